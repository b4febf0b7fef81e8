import { randomUUID } from 'node:crypto';
import type { Check, Facet, GuardrailsConfig, ObserveHints, Registry } from '../types/index.ts';
import { callLog } from '../aws/calls.ts';
import { dryRunGuard, targetScope } from '../aws/client.ts';
import { errorCode } from '../aws/errors.ts';
import { listClusters } from '../aws/eks.ts';
import { assumeRole, accountOfRoleArn, callerAccount as stsCallerAccount } from '../aws/sts.ts';
import { REGISTRY } from '../capabilities/registry.ts';
import { checkMode, selectChecks } from '../engine/select.ts';
import { reconcile } from '../engine/reconcile.ts';
import type { ReconcileResult } from '../engine/result.ts';
import { putEvents } from '../aws/eventbridge.ts';
import { DETAIL_TYPES, toBusEvents } from '../events/result-events.ts';
import { GuardrailsError } from '../errors.ts';
import { SWEEP_REPORT_SCHEMA_ID, SWEEP_REPORT_SCHEMA_VERSION, type ClusterReport, type SweepReport } from './model.ts';
import { prefetch, restorePrefetched } from '../engine/prefetch.ts';
import { clusterReport, summarize } from './summarize.ts';
import { notCompared } from './baseline.ts';
import { DEFAULT_BACKOFF, runPool, type BackoffOptions } from './throttle.ts';

/** One account and region to sweep; `roleArn` is a member account's role (infra/member-role.yaml). */
export interface SweepScope {
  region: string;
  roleArn?: string;
  externalId?: string;
}

export interface SweepProgress {
  done: number;
  total: number;
  cluster: string;
  region: string;
  status: ClusterReport['status'];
}

export interface SweepOptions {
  config: GuardrailsConfig;
  /** Default: the current region with the current credentials. */
  scopes?: readonly SweepScope[];
  /** Cluster names to sweep in every scope; default: all of them (EKS ListClusters, by page). */
  clusters?: readonly string[];
  /** Clusters reconciled at once within a scope. */
  concurrency?: number;
  trigger?: SweepReport['trigger'];
  sweepId?: string;
  /** The capabilities swept; default: all of them (shared/capabilities/registry.ts). */
  registry?: Registry;
  backoff?: BackoffOptions;
  /** Per-finding result events: `changes` (applied and failed fixes; default) or `all` (also planned and reported). */
  publish?: 'changes' | 'all';
  onProgress?: (p: SweepProgress) => void;
  /** Logs (never secrets); default: none. */
  log?: SweepLog;
  /** The hints a fan-out's start phase prefetched for these clusters: used instead of prefetching again. */
  prefetched?: ObserveHints;
}

export type SweepLog = (message: string, data?: Record<string, unknown>, level?: 'debug' | 'info' | 'warn') => void;

export const DEFAULT_CONCURRENCY = 4;

export interface ScopeResult {
  scope: SweepReport['scopes'][number];
  clusters: ClusterReport[];
}

/** A whole sweep in this process: every scope in turn, clusters of a scope concurrently. */
export async function runSweep(options: SweepOptions): Promise<SweepReport> {
  const startedAt = new Date();
  const firstCall = callLog.all().length;
  const scopes = options.scopes?.length ? options.scopes : [{ region: currentRegion() }];
  const parts: ScopeResult[] = [];
  for (const scope of scopes) {
    parts.push(await sweepScope(scope, options.clusters, options));
  }
  return assembleReport(parts, {
    sweepId: options.sweepId ?? randomUUID(),
    startedAt,
    finishedAt: new Date(),
    config: options.config,
    trigger: options.trigger ?? 'cli',
    ...(options.registry ? { checks: options.registry.checks } : {}),
    calls: countCalls(callLog.all().slice(firstCall)),
  });
}

/** One account and region: list (or take) the clusters, prefetch account-wide, reconcile each. */
export async function sweepScope(scope: SweepScope, clusterNames: readonly string[] | undefined, options: SweepOptions): Promise<ScopeResult> {
  const { config } = options;
  const log = options.log ?? (() => undefined);
  let account = scope.roleArn ? accountOfRoleArn(scope.roleArn) : undefined;
  try {
    return await inSweepScope(scope, config, async () => {
      const names = clusterNames?.length ? [...new Set(clusterNames)] : await listClusters();
      const triggerKind = triggerKindOf(options.trigger);
      const registry = options.registry ?? REGISTRY;
      const checks = selectChecks(config, undefined, registry.checks, triggerKind);
      let hints: ObserveHints;
      if (options.prefetched) {
        // A fan-out batch: the start phase prefetched for the whole scope and handed over this batch's share.
        hints = options.prefetched;
        log('prefetched by the start phase', { region: scope.region, prefetchers: restorePrefetched(facetsOf(checks), registry.prefetchers, hints) }, 'debug');
      } else {
        hints = names.length > 0 ? (await prefetchScope(names, options)).hints : {};
      }

      const trigger = { kind: triggerKind, time: new Date().toISOString() };
      let done = 0;
      const progress = (c: ClusterReport): ClusterReport => {
        options.onProgress?.({ done: ++done, total: names.length, cluster: c.name, region: scope.region, status: c.status });
        return c;
      };
      const { results } = await runPool(
        names,
        options.concurrency ?? DEFAULT_CONCURRENCY,
        async (clusterName) => {
          const t0 = Date.now();
          // The engine would publish every finding of every cluster on every sweep; the sweep publishes what
          // changed (or everything, when asked) and one "Sweep Completed" digest for the rest.
          const result = await reconcile({ clusterName, trigger }, { ...config, eventBus: undefined }, { hints, registry });
          result.published = await publishSweepResults(result, config, options.publish ?? 'changes', log);
          // The engine names the region from the cluster ARN, or from the environment when there is no cluster: the scope knows better.
          return progress({ ...clusterReport(result, checks, config, Date.now() - t0), region: scope.region });
        },
        (clusterName, err): ClusterReport => progress({
          name: clusterName, account: account ?? 'unknown', region: scope.region, status: 'error', error: describeError(err),
          checks: [], findings: [], durationMs: 0,
        }),
        options.backoff ?? DEFAULT_BACKOFF,
      );
      account ??= results.find((c) => c.arn)?.account ?? (await callerAccount());
      for (const c of results) if (c.account === 'unknown') c.account = account;
      return { scope: { account, region: scope.region }, clusters: results };
    });
  } catch (err) {
    log('scope failed', { region: scope.region, roleArn: scope.roleArn, error: describeError(err) }, 'warn');
    return { scope: { account: account ?? 'unknown', region: scope.region, error: describeError(err) }, clusters: [] };
  }
}

function triggerKindOf(trigger: SweepOptions['trigger']): 'cli' | 'schedule' {
  return trigger === 'cli' || trigger === undefined ? 'cli' : 'schedule';
}

function facetsOf(checks: readonly Check[]): Set<Facet> {
  return new Set<Facet>(checks.flatMap((c) => c.facets));
}

/**
 * The account-wide reads of one scope for the selected checks' facets (call it within `inSweepScope`): what a
 * sweep in one process does before its first cluster, and what a fan-out's start phase does once for its batches.
 */
export async function prefetchScope(clusterNames: readonly string[], options: Pick<SweepOptions, 'config' | 'registry' | 'trigger' | 'log'>): Promise<{ hints: ObserveHints; failed: string[] }> {
  const log = options.log ?? (() => undefined);
  const registry = options.registry ?? REGISTRY;
  const checks = selectChecks(options.config, undefined, registry.checks, triggerKindOf(options.trigger));
  const hints: ObserveHints = {};
  const { ran, failed } = await prefetch(facetsOf(checks), registry.prefetchers, { clusterNames, config: options.config, hints });
  log('prefetched', { region: targetScope.region, prefetchers: ran }, 'debug');
  for (const f of failed) log('prefetch failed; its loaders read per cluster', { region: targetScope.region, prefetcher: f.name, error: describeError(f.error) }, 'warn');
  return { hints, failed: failed.map((f) => f.name) };
}

const CHANGES: ReadonlySet<string> = new Set([DETAIL_TYPES.applied, DETAIL_TYPES.failed]);

/** A bus that refuses an event must not undo the cluster's sweep: the fix is made, the report still says so. */
async function publishSweepResults(result: ReconcileResult, config: GuardrailsConfig, which: 'changes' | 'all', log: SweepLog): Promise<number> {
  if (!config.eventBus) return 0;
  const events = toBusEvents(result, config).filter((e) => which === 'all' || CHANGES.has(e.detailType));
  if (events.length === 0) return 0;
  try {
    return (await putEvents(config.eventBus, events)).published;
  } catch (err) {
    log('result events not published', { cluster: result.cluster.name, events: events.length, error: describeError(err) }, 'warn');
    return 0;
  }
}

/** Runs fn with the customer-resource clients pointed at the scope's region and (member) credentials. */
export async function withScope<T>(scope: SweepScope, fn: () => Promise<T>): Promise<T> {
  const credentials = scope.roleArn ? await assumeRole(scope.roleArn, 'eks-guardrails-sweep', scope.externalId) : targetScope.credentials;
  const before = targetScope.pointAt({ region: scope.region, credentials });
  try {
    return await fn();
  } finally {
    targetScope.pointAt(before);
  }
}

/**
 * withScope for sweeping: in dry-run the guard (a count) is held for the whole scope, its account-wide reads
 * included, not only around each apply — by the in-process sweep and by a fan-out's start phase alike.
 */
export async function inSweepScope<T>(scope: SweepScope, config: GuardrailsConfig, fn: () => Promise<T>): Promise<T> {
  const dryRun = config.mode === 'dry-run';
  if (dryRun) dryRunGuard.hold();
  try {
    return await withScope(scope, fn);
  } finally {
    if (dryRun) dryRunGuard.release();
  }
}

/** The clusters of one scope (EKS ListClusters, by page). */
export function listScopeClusters(scope: SweepScope): Promise<string[]> {
  return withScope(scope, () => listClusters());
}

export interface ReportMeta {
  sweepId: string;
  startedAt: Date;
  finishedAt: Date;
  config: GuardrailsConfig;
  trigger: SweepReport['trigger'];
  /** The checks swept; default: every check (shared/capabilities/registry.ts). */
  checks?: readonly Check[];
  calls: SweepReport['calls'];
}

/** Services holding the customer's resources: `mutating` counts writes to these only (not our bus, bucket or STS). */
const CUSTOMER_SERVICES = new Set(['EC2', 'EKS', 'AutoScaling', 'ElasticLoadBalancingV2', 'IAM']);

export function countCalls(records: readonly { service: string; operation: string; mutating: boolean }[]): SweepReport['calls'] {
  const byOperation: Record<string, number> = {};
  for (const c of records) byOperation[`${c.service}.${c.operation}`] = (byOperation[`${c.service}.${c.operation}`] ?? 0) + 1;
  return { total: records.length, mutating: records.filter((c) => c.mutating && CUSTOMER_SERVICES.has(c.service)).length, byOperation };
}

export function addCalls(a: SweepReport['calls'], b: SweepReport['calls']): SweepReport['calls'] {
  const byOperation = { ...a.byOperation };
  for (const [k, v] of Object.entries(b.byOperation)) byOperation[k] = (byOperation[k] ?? 0) + v;
  return { total: a.total + b.total, mutating: a.mutating + b.mutating, byOperation };
}

/** Scope results (from this process or from fan-out workers) → the versioned report. */
export function assembleReport(parts: readonly ScopeResult[], meta: ReportMeta): SweepReport {
  const clusters = parts.flatMap((p) => p.clusters);
  return {
    $schema: SWEEP_REPORT_SCHEMA_ID,
    schemaVersion: SWEEP_REPORT_SCHEMA_VERSION,
    sweepId: meta.sweepId,
    startedAt: meta.startedAt.toISOString(),
    finishedAt: meta.finishedAt.toISOString(),
    mode: meta.config.mode,
    trigger: meta.trigger,
    scopes: parts.map((p) => p.scope),
    checks: selectChecks(meta.config, undefined, meta.checks ?? REGISTRY.checks, meta.trigger === 'cli' ? 'cli' : 'schedule').map((c) => ({ name: c.name, description: c.description, mode: checkMode(c, meta.config) })),
    summary: summarize(clusters),
    clusters,
    calls: meta.calls,
    // The caller compares the report with the previous one (shared/sweep/baseline.ts) once it has read it.
    comparison: notCompared('not compared with a previous sweep'),
  };
}

function currentRegion(): string {
  return process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

/** Only when no cluster ARN named the account (an empty region): one STS call. */
async function callerAccount(): Promise<string> {
  if (targetScope.credentials === undefined && process.env.AWS_ACCOUNT_ID) return process.env.AWS_ACCOUNT_ID;
  try {
    return (await stsCallerAccount()) ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Error code and message only: request details may carry secrets. */
export function describeError(err: unknown): string {
  if (err instanceof GuardrailsError) return `${err.code}: ${err.message}`;
  return `${errorCode(err)}: ${(err as Error)?.message ?? String(err)}`;
}
