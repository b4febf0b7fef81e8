import type { CheckMode, GuardrailsConfig, RunMode, Severity } from '../types/index.ts';
import { SEVERITIES } from '../types/index.ts';
import { ConfigError } from '../errors.ts';
import { CONTROL_PLANE_LOG_TYPES, DEFAULT_REQUIRED_LOG_TYPES } from '../checks/control-plane-logging.ts';
import { nonEmpty, list, bool, int } from './env.ts';

const CHECK_MODES: readonly CheckMode[] = ['off', 'report', 'enforce'];

/**
 * Reads configuration from environment variables (the same names as template.yaml).
 * Bad values fail loudly: a guardrail that silently falls back to `enforce` is not safe.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): GuardrailsConfig {
  return {
    mode: parseRunMode(env.GUARDRAILS_MODE),
    checkModes: parseCheckModes(env.GUARDRAILS_CHECK_MODES),
    exemptTagKey: nonEmpty(env.GUARDRAILS_EXEMPT_TAG) ?? 'eks-guardrails/exempt',
    eventBus: nonEmpty(env.GUARDRAILS_EVENT_BUS),
    selfRoleArns: list(env.GUARDRAILS_SELF_ROLE_ARN),
    clusterSecurityGroup: {
      httpsFromVpc: bool('GUARDRAILS_HTTPS_FROM_VPC', env.GUARDRAILS_HTTPS_FROM_VPC, false),
      enforceEgress: bool('GUARDRAILS_ENFORCE_EGRESS', env.GUARDRAILS_ENFORCE_EGRESS, false),
    },
    nlb: {
      graceSeconds: int('GUARDRAILS_NLB_GRACE_SECONDS', env.GUARDRAILS_NLB_GRACE_SECONDS, 600),
      thresholdPercent: int('GUARDRAILS_NLB_THRESHOLD_PERCENT', env.GUARDRAILS_NLB_THRESHOLD_PERCENT, 80),
    },
    compliance: {
      requiredLogTypes: parseLogTypes(env.GUARDRAILS_REQUIRED_LOG_TYPES),
    },
    retryQueueUrl: nonEmpty(env.GUARDRAILS_RETRY_QUEUE_URL),
    retryMaxAttempts: int('GUARDRAILS_RETRY_MAX_ATTEMPTS', env.GUARDRAILS_RETRY_MAX_ATTEMPTS, 12),
    autoscaler: {
      launchCacheSeconds: int('GUARDRAILS_ASG_LAUNCH_CACHE_SECONDS', env.GUARDRAILS_ASG_LAUNCH_CACHE_SECONDS, 300),
    },
    retryBaseDelaySeconds: int('GUARDRAILS_RETRY_BASE_DELAY_SECONDS', env.GUARDRAILS_RETRY_BASE_DELAY_SECONDS, 30),
    notify: {
      slackWebhookSecretArn: nonEmpty(env.SLACK_WEBHOOK_SECRET_ARN),
      chatbotTopicArn: nonEmpty(env.GUARDRAILS_CHATBOT_TOPIC_ARN),
      minSeverity: parseSeverity(env.GUARDRAILS_NOTIFY_MIN_SEVERITY),
      intervalMs: int('GUARDRAILS_SLACK_INTERVAL_MS', env.GUARDRAILS_SLACK_INTERVAL_MS, 1000),
      idempotencyTable: nonEmpty(env.GUARDRAILS_IDEMPOTENCY_TABLE),
      deadLetterQueueUrl: nonEmpty(env.GUARDRAILS_DLQ_URL),
    },
  };
}

function parseRunMode(raw: string | undefined): RunMode {
  const value = nonEmpty(raw)?.toLowerCase() ?? 'enforce';
  if (value === 'enforce' || value === 'dry-run') return value;
  if (value === 'dryrun' || value === 'dry_run') return 'dry-run';
  throw new ConfigError(`GUARDRAILS_MODE must be "enforce" or "dry-run", got "${raw}"`);
}

/** `check=mode,check=mode` or a JSON object. */
function parseCheckModes(raw: string | undefined): Record<string, CheckMode> {
  const text = nonEmpty(raw);
  if (!text) return {};
  let pairs: [string, string][];
  if (text.startsWith('{')) {
    try {
      pairs = Object.entries(JSON.parse(text) as Record<string, string>);
    } catch {
      throw new ConfigError('GUARDRAILS_CHECK_MODES is not valid JSON');
    }
  } else {
    pairs = text.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
      const [k, v] = p.split('=');
      return [k?.trim() ?? '', v?.trim() ?? ''];
    });
  }
  const modes: Record<string, CheckMode> = {};
  for (const [check, mode] of pairs) {
    if (!check || !CHECK_MODES.includes(mode as CheckMode)) {
      throw new ConfigError(`GUARDRAILS_CHECK_MODES: "${check}=${mode}" — mode must be off, report or enforce`);
    }
    modes[check] = mode as CheckMode;
  }
  return modes;
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
