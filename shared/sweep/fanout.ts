import { randomUUID } from 'node:crypto';
import type { GuardrailsConfig, Registry } from '../types/index.ts';
import { callLog } from '../aws/calls.ts';
import { classifyError } from '../aws/errors.ts';
import { accountOfRoleArn } from '../aws/sts.ts';
import { startExecution } from '../aws/sfn.ts';
import { getObjectText, putObject } from '../aws/s3.ts';
import type { SweepConfig } from './config.ts';
import { scopesOf } from './config.ts';
import { deliverReport, type Delivery } from './deliver.ts';
import { rememberPrevious } from './remember.ts';
import type { ClusterReport, SweepReport } from './model.ts';
import { decodeHints, encodeHints, shareOf } from './hints-share.ts';
import { addCalls, assembleReport, countCalls, describeError, inSweepScope, listScopeClusters, prefetchScope, sweepScope, type ScopeResult, type SweepLog, type SweepScope } from './run-sweep.ts';

/**
 * Sweeps larger than one invocation fan out on Step Functions (template.yaml's SweepStateMachine):
 * `start` lists the clusters of every scope and, past one batch, prefetches each scope account-wide once
 * (as a sweep in one process does), stores each batch's share of those hints in S3 and starts the state
 * machine with work items; its Map state runs `batch` per item (a scope, up to batchSize clusters and the
 * key of its hints), each writing its result to S3 (Map outputs stay small); `finish` reads them back,
 * builds the one report and delivers it. Small sweeps (and the CLI) never leave the process.
 *
 * The payloads of the phases (what Step Functions passes; the state machine's definition names the fields):
 */
export interface WorkItem {
  scope: SweepScope;
  clusters: string[];
  /** S3 key of this batch's share of the start phase's prefetch; absent = the batch prefetches for itself. */
  hintsKey?: string;
}

export interface StartEvent { phase?: 'start' }
/** The execution input `start` gives SweepStateMachine. */
export interface ExecutionInput {
  sweepId: string;
  startedAt: string;
  mapConcurrency: number;
  items: WorkItem[];
  /** Scopes without a work item (no clusters, or their listing failed): they are in the report all the same. */
  scopes: SweepReport['scopes'];
  /** The start phase's AWS calls (listing, prefetch), added to the report's count. */
  calls: SweepReport['calls'];
}
export interface BatchEvent { phase: 'batch'; sweepId: string; index: number; item: WorkItem }
export interface BatchOutput { index: number; key: string; clusters: number }
export interface FailedBatch { failed: true; index: number; item: WorkItem; error?: { Error?: string; Cause?: string } }
export interface FinishEvent {
  phase: 'finish'; sweepId: string; startedAt: string; items: WorkItem[]; partials: (BatchOutput | FailedBatch)[];
  scopes?: SweepReport['scopes']; calls?: SweepReport['calls'];
}

export type SweepOutcome =
  | { status: 'completed'; sweepId: string; clusters: number; open: number; fixed: number; delivery: Delivery; report?: SweepReport }
  | { status: 'fanned-out'; sweepId: string; executionArn: string; items: number; clusters: number };

export interface FanoutDeps {
  config: GuardrailsConfig;
  sweep: SweepConfig;
  /** The capabilities swept; default: all of them. */
  registry?: Registry;
  log?: SweepLog;
}

/** Where one sweep's batches park their results and read their hints: all of it under this prefix. */
export function partialsPrefix(sweepId: string): string {
  return `partials/${sweepId}/`;
}

export function partialKey(sweepId: string, index: number): string {
  return `${partialsPrefix(sweepId)}${String(index).padStart(5, '0')}.json`;
}

/** Scheduled entry: in-process when the whole sweep fits one batch (or no state machine is configured). */
export async function startSweep(deps: FanoutDeps, sweepId = randomUUID()): Promise<SweepOutcome> {
  const startedAt = new Date();
  const firstCall = callLog.all().length;
  const scopes = scopesOf(deps.sweep);
  const listed: { scope: SweepScope; clusters: string[]; error?: string }[] = [];
  for (const scope of scopes) {
    try {
      listed.push({ scope, clusters: await listScopeClusters(scope) });
    } catch (err) {
      // A transient failure (throttling, 5xx, a dropped connection) fails the invocation so the schedule's
      // retry sweeps again; reporting it would be a success that checked and fixed nothing. A permanent one
      // (a member role we may not assume) is reported for that scope and the others are swept.
      if (classifyError(err) === 'retryable') throw err;
      listed.push({ scope, clusters: [], error: describeError(err) });
    }
  }
  const total = listed.reduce((n, l) => n + l.clusters.length, 0);
  if (total > deps.sweep.batchSize && deps.sweep.stateMachineArn && deps.sweep.bucket) {
    const items: WorkItem[] = [];
    for (const l of listed) {
      if (l.error || l.clusters.length === 0) continue;
      items.push(...(await prefetchForBatches(l.scope, l.clusters, sweepId, items.length, deps)));
    }
    const input: ExecutionInput = {
      sweepId, startedAt: startedAt.toISOString(), mapConcurrency: deps.sweep.mapConcurrency, items,
      scopes: listed.filter((l) => l.error || l.clusters.length === 0).map(scopeEntry),
      calls: countCalls(callLog.all().slice(firstCall)),
    };
    const executionArn = await startExecution(deps.sweep.stateMachineArn, sweepId, input);
    deps.log?.('sweep fanned out', { sweepId, items: items.length, clusters: total });
    return { status: 'fanned-out', sweepId, executionArn, items: items.length, clusters: total };
  }
  const parts: ScopeResult[] = [];
  for (const l of listed) {
    if (l.error || l.clusters.length === 0) parts.push({ scope: scopeEntry(l), clusters: [] });
    else parts.push(await sweepScope(l.scope, l.clusters, { config: deps.config, concurrency: deps.sweep.concurrency, trigger: 'schedule', registry: deps.registry, log: deps.log, publish: deps.sweep.publish }));
  }
  const report = assembleReport(parts, {
    sweepId, startedAt, finishedAt: new Date(), config: deps.config, trigger: 'schedule', ...(deps.registry ? { checks: deps.registry.checks } : {}), calls: countCalls(callLog.all().slice(firstCall)),
  });
  return complete(report, deps);
}

/** One Map iteration: sweep one scope's batch of clusters, park the result in S3, return its key. */
export async function sweepBatch(event: BatchEvent, deps: FanoutDeps): Promise<BatchOutput> {
  if (!deps.sweep.bucket) throw new Error('GUARDRAILS_SWEEP_BUCKET is not set: fan-out needs it for partial results');
  const firstCall = callLog.all().length;
  const { hintsKey } = event.item;
  // A share that can't be read fails the batch (Step Functions retries it, then reports its clusters as not swept).
  const stored = hintsKey ? decodeHints(await getObjectText(deps.sweep.bucket, hintsKey)) : undefined;
  if (hintsKey && !stored) deps.log?.('hints of another format: the batch prefetches for itself', { sweepId: event.sweepId, index: event.index }, 'warn');
  if (stored?.failed.length) deps.log?.('prefetch failed in the start phase; its loaders read per cluster', { sweepId: event.sweepId, prefetchers: stored.failed }, 'warn');
  const part = await sweepScope(event.item.scope, event.item.clusters, {
    config: deps.config, concurrency: deps.sweep.concurrency, trigger: 'fan-out', registry: deps.registry, log: deps.log, publish: deps.sweep.publish,
    ...(stored ? { prefetched: stored.hints } : {}),
  });
  const key = partialKey(event.sweepId, event.index);
  await putObject(deps.sweep.bucket, key, JSON.stringify({ part, calls: countCalls(callLog.all().slice(firstCall)) }), 'application/json');
  return { index: event.index, key, clusters: part.clusters.length };
}

/** After the Map: one report from every partial; a batch that failed shows its clusters as not swept. */
export async function finishSweep(event: FinishEvent, deps: FanoutDeps): Promise<SweepOutcome> {
  const parts: ScopeResult[] = (event.scopes ?? []).map((scope) => ({ scope, clusters: [] }));
  let calls = event.calls ?? countCalls([]);
  for (const p of [...event.partials].sort((a, b) => a.index - b.index)) {
    if ('failed' in p) {
      const item = p.item ?? event.items[p.index];
      const error = `batch ${p.index} failed: ${p.error?.Error ?? 'error'}${p.error?.Cause ? ` — ${p.error.Cause.slice(0, 300)}` : ''}`;
      const scope = scopeEntry({ scope: item?.scope ?? { region: 'unknown' }, error });
      parts.push({
        scope,
        clusters: (item?.clusters ?? []).map((name): ClusterReport => ({ name, account: scope.account, region: scope.region, status: 'error', error, checks: [], findings: [], durationMs: 0 })),
      });
      continue;
    }
    const stored = JSON.parse(await getObjectText(deps.sweep.bucket!, p.key)) as { part: ScopeResult; calls: SweepReport['calls'] };
    parts.push(stored.part);
    calls = addCalls(calls, stored.calls);
  }
  const report = assembleReport(mergeScopes(parts), {
    sweepId: event.sweepId, startedAt: new Date(event.startedAt), finishedAt: new Date(), config: deps.config, trigger: 'fan-out', ...(deps.registry ? { checks: deps.registry.checks } : {}), calls,
  });
  return complete(report, deps);
}

async function complete(built: SweepReport, deps: FanoutDeps): Promise<SweepOutcome> {
  const upload = deps.sweep.uploadReports && deps.sweep.bucket ? { bucket: deps.sweep.bucket } : undefined;
  const report = await rememberPrevious(built, deps.sweep);
  const delivery = await deliverReport(report, deps.config, upload);
  deps.log?.('sweep completed', { sweepId: report.sweepId, clusters: report.summary.clusters, open: report.summary.open.total, fixed: report.summary.byState.fixed, calls: report.calls.total });
  return { status: 'completed', sweepId: report.sweepId, clusters: report.summary.clusters, open: report.summary.open.total, fixed: report.summary.byState.fixed, delivery };
}

/** Batches of one scope become one scope entry again. */
function mergeScopes(parts: readonly ScopeResult[]): ScopeResult[] {
  const byScope = new Map<string, ScopeResult>();
  for (const p of parts) {
    const key = `${p.scope.account}/${p.scope.region}`;
    const seen = byScope.get(key);
    if (!seen) byScope.set(key, { scope: { ...p.scope }, clusters: [...p.clusters] });
    else {
      seen.clusters.push(...p.clusters);
      if (p.scope.error) seen.scope.error = seen.scope.error ? `${seen.scope.error}; ${p.scope.error}` : p.scope.error;
    }
  }
  return [...byScope.values()];
}

/**
 * The start phase's prefetch of one scope, cut into one share per batch and stored in S3 (the state passed
 * between Step Functions states is limited to 256 KiB; a share is not). Batches read their share instead of
 * the account: a fanned-out sweep makes the account-wide reads once, like a sweep in one process.
 */
async function prefetchForBatches(scope: SweepScope, clusters: readonly string[], sweepId: string, firstIndex: number, deps: FanoutDeps): Promise<WorkItem[]> {
  const batches = chunk(clusters, deps.sweep.batchSize);
  const shares = await inSweepScope(scope, deps.config, async () => {
    const { hints, failed } = await prefetchScope(clusters, { config: deps.config, registry: deps.registry, trigger: 'schedule', log: deps.log });
    return batches.map((names) => encodeHints(shareOf(hints, names), failed));
  });
  const items: WorkItem[] = [];
  for (const [i, names] of batches.entries()) {
    const hintsKey = hintsKeyOf(sweepId, firstIndex + i);
    await putObject(deps.sweep.bucket!, hintsKey, shares[i]!, 'application/json');
    items.push({ scope, clusters: names, hintsKey });
  }
  return items;
}

export function hintsKeyOf(sweepId: string, index: number): string {
  return `${partialsPrefix(sweepId)}hints-${String(index).padStart(5, '0')}.json`;
}

/** The report's entry for a scope that was not swept here: no clusters, or it failed (its account then is the role's, or unknown). */
function scopeEntry(l: { scope: SweepScope; error?: string }): SweepReport['scopes'][number] {
  const member = l.scope.roleArn ? accountOfRoleArn(l.scope.roleArn) : undefined;
  const account = member ?? (l.error ? 'unknown' : process.env.AWS_ACCOUNT_ID ?? 'unknown');
  return { account, region: l.scope.region, ...(l.error ? { error: l.error } : {}) };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
