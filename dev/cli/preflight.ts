import { randomUUID } from 'node:crypto';
import { stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { errorCode } from '../../shared/aws/errors.ts';
import { describeCluster } from '../../shared/aws/eks.ts';
import { describeEventBus } from '../../shared/aws/eventbridge.ts';
import { headBucket } from '../../shared/aws/s3.ts';
import { GuardrailsError } from '../../shared/errors.ts';
import { describeError, withScope, type SweepScope } from '../../shared/sweep/run-sweep.ts';
import { UsageError } from './invoke.ts';

/**
 * What the CLI can check before a sweep changes anything: an enforcing sweep that applies its fixes and
 * then cannot write or upload its report has lost the record of what it changed. Reads only.
 */
export class PreflightError extends GuardrailsError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('PreflightFailed', message, details);
  }
}

/** --output: its directory exists and we can create a file in it (a test file, removed at once); it is not a directory. */
export async function checkOutputPath(path: string): Promise<void> {
  const file = resolve(path);
  const dir = dirname(file);
  const dirStat = await stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) throw new UsageError(`--output ${path}: directory ${dir} does not exist; nothing was swept`);
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`--output ${path} is a directory; give a file name; nothing was swept`);
  const probe = `${dir}/.eks-guardrails-${randomUUID()}.tmp`;
  try {
    await writeFile(probe, '', { flag: 'wx' });
  } catch (err) {
    throw new UsageError(`--output ${path}: cannot write in ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); nothing was swept`);
  }
  await unlink(probe).catch(() => undefined);
}

/** --upload: the bucket exists and is ours to use (HeadBucket). */
export async function checkBucket(bucket: string): Promise<void> {
  try {
    await headBucket(bucket);
  } catch (err) {
    throw new PreflightError(`--upload s3://${bucket}: the bucket is not reachable (${errorCode(err)}); nothing was swept`, { bucket });
  }
}

/** GUARDRAILS_EVENT_BUS: the bus the "Sweep Completed" digest goes to exists. */
export async function checkEventBus(bus: string): Promise<void> {
  try {
    await describeEventBus(bus);
  } catch (err) {
    throw new PreflightError(`GUARDRAILS_EVENT_BUS ${bus}: the bus is not reachable (${errorCode(err)}); nothing was swept`, { bus });
  }
}

/**
 * --cluster: each named cluster exists in at least one scope (DescribeCluster). A name no scope knows is a
 * typo or a deleted cluster, and a sweep that quietly skips it would pass a CI gate forever. A scope that
 * cannot answer (AssumeRole denied) proves nothing either way: the sweep reports it as not swept.
 */
export async function checkNamedClusters(scopes: readonly SweepScope[], names: readonly string[]): Promise<void> {
  const found = new Set<string>();
  const unanswered: string[] = [];
  for (const scope of scopes) {
    const pending = names.filter((n) => !found.has(n));
    if (pending.length === 0) break;
    try {
      await withScope(scope, async () => {
        for (const name of pending) if (await describeCluster(name)) found.add(name);
      });
    } catch (err) {
      unanswered.push(`${scope.roleArn ?? 'this account'}/${scope.region}: ${describeError(err)}`);
    }
  }
  const missing = names.filter((n) => !found.has(n));
  if (missing.length === 0 || unanswered.length > 0) return;
  const where = scopes.map((s) => `${s.roleArn ? `${s.roleArn} ` : ''}${s.region}`).join(', ');
  throw new GuardrailsError('ClusterNotFound', `--cluster ${missing.join(', ')}: no such cluster in ${where}; nothing was swept`, { missing, scopes: scopes.map((s) => ({ region: s.region, ...(s.roleArn ? { roleArn: s.roleArn } : {}) })) });
}
