import { ConfigError } from '../errors.ts';
import type { SweepScope } from './sweep.ts';

/** Sweep options from the environment (template.yaml sets the same names); bad values fail loudly. */
export interface SweepConfig {
  regions: string[];
  /** Member-account roles (infra/member-role.yaml); each is swept in every region. */
  roleArns: string[];
  externalId?: string;
  /** Also sweep the account the sweep runs in (default true). */
  includeSelf: boolean;
  concurrency: number;
  /** Clusters per fan-out work item; a sweep of at most this many clusters runs in one invocation. */
  batchSize: number;
  /** Batches the fan-out Map state sweeps at once. */
  mapConcurrency: number;
  /** Bucket for fan-out partial results and (when uploadReports) the reports. */
  bucket?: string;
  uploadReports: boolean;
  /** The fan-out state machine; unset = always in-process. */
  stateMachineArn?: string;
  /** Per-finding result events: `changes` (applied/failed fixes, default) or `all`; the digest always. */
  publish: 'changes' | 'all';
}

export function loadSweepConfig(env: Record<string, string | undefined> = process.env): SweepConfig {
  const roleArns = list(env.GUARDRAILS_SWEEP_ROLE_ARNS);
  for (const arn of roleArns) {
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn)) throw new ConfigError(`GUARDRAILS_SWEEP_ROLE_ARNS: "${arn}" is not an IAM role ARN`);
  }
  const regions = list(env.GUARDRAILS_SWEEP_REGIONS);
  for (const r of regions) if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(r)) throw new ConfigError(`GUARDRAILS_SWEEP_REGIONS: "${r}" is not a region name`);
  return {
    regions: regions.length ? regions : [env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1'],
    roleArns,
    externalId: nonEmpty(env.GUARDRAILS_SWEEP_EXTERNAL_ID),
    includeSelf: bool('GUARDRAILS_SWEEP_INCLUDE_SELF', env.GUARDRAILS_SWEEP_INCLUDE_SELF, true),
    concurrency: int('GUARDRAILS_SWEEP_CONCURRENCY', env.GUARDRAILS_SWEEP_CONCURRENCY, 4, 1, 32),
    batchSize: int('GUARDRAILS_SWEEP_BATCH_SIZE', env.GUARDRAILS_SWEEP_BATCH_SIZE, 25, 1, 500),
    mapConcurrency: int('GUARDRAILS_SWEEP_MAP_CONCURRENCY', env.GUARDRAILS_SWEEP_MAP_CONCURRENCY, 4, 1, 40),
    bucket: nonEmpty(env.GUARDRAILS_SWEEP_BUCKET),
    uploadReports: bool('GUARDRAILS_SWEEP_UPLOAD_REPORTS', env.GUARDRAILS_SWEEP_UPLOAD_REPORTS, false),
    stateMachineArn: nonEmpty(env.GUARDRAILS_SWEEP_STATE_MACHINE_ARN),
    publish: oneOf('GUARDRAILS_SWEEP_PUBLISH', env.GUARDRAILS_SWEEP_PUBLISH, ['changes', 'all'] as const, 'changes'),
  };
}

/** Every (account, region) to sweep: our own account (unless excluded) and each member role, in each region. */
export function scopesOf(config: Pick<SweepConfig, 'regions' | 'roleArns' | 'externalId' | 'includeSelf'>): SweepScope[] {
  const scopes: SweepScope[] = [];
  for (const region of config.regions) {
    if (config.includeSelf) scopes.push({ region });
    for (const roleArn of config.roleArns) scopes.push({ region, roleArn, ...(config.externalId ? { externalId: config.externalId } : {}) });
  }
  if (scopes.length === 0) throw new ConfigError('nothing to sweep: GUARDRAILS_SWEEP_INCLUDE_SELF=false and no GUARDRAILS_SWEEP_ROLE_ARNS');
  return scopes;
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

function list(v: string | undefined): string[] {
  return (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function bool(name: string, v: string | undefined, fallback: boolean): boolean {
  const t = nonEmpty(v)?.toLowerCase();
  if (t === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(t)) return true;
  if (['false', '0', 'no', 'off'].includes(t)) return false;
  throw new ConfigError(`${name} must be true or false, got "${v}"`);
}

function int(name: string, v: string | undefined, fallback: number, min: number, max: number): number {
  const t = nonEmpty(v);
  if (t === undefined) return fallback;
  const n = Number(t);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${v}"`);
  return n;
}

function oneOf<T extends string>(name: string, v: string | undefined, allowed: readonly T[], fallback: T): T {
  const t = nonEmpty(v)?.toLowerCase();
  if (t === undefined) return fallback;
  if ((allowed as readonly string[]).includes(t)) return t as T;
  throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${v}"`);
}
