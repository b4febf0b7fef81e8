import type { CheckMode, GuardrailsConfig, RunMode, Severity } from '../types/index.ts';
import { SEVERITIES } from '../types/index.ts';
import { ConfigError } from '../errors.ts';
import { CONTROL_PLANE_LOG_TYPES, DEFAULT_REQUIRED_LOG_TYPES } from './control-plane-log-types.ts';
import { parseCaVersion } from './cluster-autoscaler-version.ts';
import { nonEmpty, list, bool, int } from './env.ts';
import { parseClusterAdminAllowlist } from './cluster-admin-allowlist.ts';

const CHECK_MODES: readonly CheckMode[] = ['off', 'report', 'enforce'];

/**
 * Reads configuration from environment variables (the same names as template.yaml). `checkNames` is every
 * check the product knows (shared/capabilities/names.ts): check modes naming another are refused.
 * Bad values fail loudly: a guardrail that silently falls back to `enforce` is not safe.
 */
export function parseConfig(env: Record<string, string | undefined>, checkNames: readonly string[]): GuardrailsConfig {
  const config: GuardrailsConfig = {
    mode: parseRunMode(env.GUARDRAILS_MODE),
    checkModes: parseCheckModes(env.GUARDRAILS_CHECK_MODES, checkNames),
    exemptTagKey: parseTagKey(env.GUARDRAILS_EXEMPT_TAG),
    eventBus: nonEmpty(env.GUARDRAILS_EVENT_BUS),
    selfRoleArns: parseSelfRoleArns(env.GUARDRAILS_SELF_ROLE_ARN),
    clusterSecurityGroup: {
      httpsFromVpc: bool('GUARDRAILS_HTTPS_FROM_VPC', env.GUARDRAILS_HTTPS_FROM_VPC, false),
      enforceEgress: bool('GUARDRAILS_ENFORCE_EGRESS', env.GUARDRAILS_ENFORCE_EGRESS, false),
    },
    nlb: {
      graceSeconds: int('GUARDRAILS_NLB_GRACE_SECONDS', env.GUARDRAILS_NLB_GRACE_SECONDS, 600),
      thresholdPercent: int('GUARDRAILS_NLB_THRESHOLD_PERCENT', env.GUARDRAILS_NLB_THRESHOLD_PERCENT, 80, 0, 100),
    },
    compliance: {
      requiredLogTypes: parseLogTypes(env.GUARDRAILS_REQUIRED_LOG_TYPES),
      clusterAdminAllowlist: parseClusterAdminAllowlist(env.GUARDRAILS_CLUSTER_ADMIN_ALLOWLIST),
    },
    // 1 keeps pods (one hop further, in their own network namespace) from getting an IMDSv2 token; 2 is the
    // most AWS suggests for containers that must reach IMDS (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-options.html).
    nodeImds: { hopLimitMax: int('GUARDRAILS_IMDS_HOP_LIMIT_MAX', env.GUARDRAILS_IMDS_HOP_LIMIT_MAX, 1, 1, 2) as 1 | 2 },
    retryQueueUrl: nonEmpty(env.GUARDRAILS_RETRY_QUEUE_URL),
    retryMaxAttempts: int('GUARDRAILS_RETRY_MAX_ATTEMPTS', env.GUARDRAILS_RETRY_MAX_ATTEMPTS, 12),
    autoscaler: {
      launchCacheSeconds: int('GUARDRAILS_ASG_LAUNCH_CACHE_SECONDS', env.GUARDRAILS_ASG_LAUNCH_CACHE_SECONDS, 300),
    },
    clusterAutoscalerVersion: parseCaVersion(env.GUARDRAILS_CLUSTER_AUTOSCALER_VERSION),
    // SQS caps a message delay at 900 s (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html).
    retryBaseDelaySeconds: int('GUARDRAILS_RETRY_BASE_DELAY_SECONDS', env.GUARDRAILS_RETRY_BASE_DELAY_SECONDS, 30, 0, 900),
    notify: {
      slackWebhookSecretArn: nonEmpty(env.SLACK_WEBHOOK_SECRET_ARN),
      chatbotTopicArn: nonEmpty(env.GUARDRAILS_CHATBOT_TOPIC_ARN),
      minSeverity: parseSeverity(env.GUARDRAILS_NOTIFY_MIN_SEVERITY),
      intervalMs: int('GUARDRAILS_SLACK_INTERVAL_MS', env.GUARDRAILS_SLACK_INTERVAL_MS, 1000),
      idempotencyTable: nonEmpty(env.GUARDRAILS_IDEMPOTENCY_TABLE),
      deadLetterQueueUrl: nonEmpty(env.GUARDRAILS_DLQ_URL),
    },
  };
  rejectContradictions(config);
  return config;
}

/**
 * Settings that only mean something to a check that is switched off: the operator asked for two
 * opposite things, and guessing which one they meant could undo a deliberate choice.
 */
function rejectContradictions(config: GuardrailsConfig): void {
  if (config.checkModes['cluster-sg-baseline'] !== 'off') return;
  const asked = [
    config.clusterSecurityGroup.enforceEgress && 'GUARDRAILS_ENFORCE_EGRESS=true',
    config.clusterSecurityGroup.httpsFromVpc && 'GUARDRAILS_HTTPS_FROM_VPC=true',
  ].filter(Boolean);
  if (asked.length > 0) {
    throw new ConfigError(`${asked.join(' and ')} asks cluster-sg-baseline for rules, but GUARDRAILS_CHECK_MODES switches cluster-sg-baseline off: remove one of them`);
  }
}

/** Tag keys: 1–128 characters, and `aws:` is reserved for AWS (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html). */
function parseTagKey(raw: string | undefined): string {
  const key = nonEmpty(raw) ?? 'eks-guardrails/exempt';
  if (key.length > 128 || key.toLowerCase().startsWith('aws:')) {
    throw new ConfigError(`GUARDRAILS_EXEMPT_TAG must be a tag key of at most 128 characters not starting with "aws:", got "${raw}"`);
  }
  return key;
}

/** A typo here would let our own changes trigger more work: each entry must be a role or assumed-role ARN. */
function parseSelfRoleArns(raw: string | undefined): string[] {
  const arns = list(raw);
  for (const arn of arns) {
    if (!/^arn:aws[a-z-]*:(iam::\d+:role\/|sts::\d+:assumed-role\/)[\w+=,.@/-]+$/.test(arn)) {
      throw new ConfigError(`GUARDRAILS_SELF_ROLE_ARN: "${arn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>) or assumed-role ARN`);
    }
  }
  return arns;
}

function parseRunMode(raw: string | undefined): RunMode {
  const value = nonEmpty(raw)?.toLowerCase() ?? 'enforce';
  if (value === 'enforce' || value === 'dry-run') return value;
  if (value === 'dryrun' || value === 'dry_run') return 'dry-run';
  throw new ConfigError(`GUARDRAILS_MODE must be "enforce" or "dry-run", got "${raw}"`);
}

/**
 * `check=mode,check=mode` or a JSON object `{"check":"mode"}`. Every name must be a check the product
 * has: a misspelled name would otherwise leave the real check at its default (often `enforce`).
 */
function parseCheckModes(raw: string | undefined, checkNames: readonly string[]): Record<string, CheckMode> {
  const text = nonEmpty(raw);
  if (!text) return {};
  const pairs: [string, unknown][] = text.startsWith('{') || text.startsWith('[') ? jsonPairs(text) : text.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
    const parts = p.split('=');
    if (parts.length !== 2) throw new ConfigError(`GUARDRAILS_CHECK_MODES: "${p}" is not check=mode (modes: ${CHECK_MODES.join(', ')})`);
    return [parts[0]!.trim(), parts[1]!.trim()];
  });
  const modes: Record<string, CheckMode> = {};
  for (const [check, mode] of pairs) {
    if (!checkNames.includes(check)) {
      throw new ConfigError(`GUARDRAILS_CHECK_MODES: unknown check "${check}"; checks: ${checkNames.join(', ')}`);
    }
    if (typeof mode !== 'string' || !CHECK_MODES.includes(mode as CheckMode)) {
      throw new ConfigError(`GUARDRAILS_CHECK_MODES: "${check}=${String(mode)}" — mode must be off, report or enforce`);
    }
    if (modes[check] !== undefined && modes[check] !== mode) {
      throw new ConfigError(`GUARDRAILS_CHECK_MODES: "${check}" is set twice (${modes[check]} and ${mode})`);
    }
    modes[check] = mode as CheckMode;
  }
  return modes;
}

function jsonPairs(text: string): [string, unknown][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError('GUARDRAILS_CHECK_MODES is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('GUARDRAILS_CHECK_MODES: the JSON form must be an object {"check":"mode", …}');
  }
  return Object.entries(parsed);
}

function parseSeverity(raw: string | undefined): Severity {
  const value = nonEmpty(raw)?.toLowerCase() ?? 'medium';
  if (SEVERITIES.includes(value as Severity)) return value as Severity;
  throw new ConfigError(`GUARDRAILS_NOTIFY_MIN_SEVERITY must be one of ${SEVERITIES.join(', ')}, got "${raw}"`);
}

/** `api,audit,authenticator` (default), `all`, or `none`; the names EKS uses, validated. */
function parseLogTypes(raw: string | undefined): string[] {
  const text = nonEmpty(raw)?.toLowerCase();
  if (text === undefined) return [...DEFAULT_REQUIRED_LOG_TYPES];
  if (text === 'all') return [...CONTROL_PLANE_LOG_TYPES];
  if (text === 'none') return [];
  const byLower = new Map(CONTROL_PLANE_LOG_TYPES.map((t) => [t.toLowerCase(), t]));
  return list(text).map((t) => {
    const type = byLower.get(t);
    if (!type) throw new ConfigError(`GUARDRAILS_REQUIRED_LOG_TYPES: "${t}" is not one of ${CONTROL_PLANE_LOG_TYPES.join(', ')} (or all / none)`);
    return type;
  });
}
