import { ConfigError } from '../errors.ts';
import type { SweepScope } from './run-sweep.ts';
import { nonEmpty, list, bool, int, oneOf } from '../config/env.ts';

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
