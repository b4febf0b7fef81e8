import type { Facet, GuardrailsConfig, ObserveHints, ReconcileTarget, Registry } from '../types/index.ts';
import { dryRunGuard } from '../aws/client.ts';
import { apply } from './apply.ts';
import { observe } from './observe.ts';
import { plan } from './plan.ts';
import { publish } from './publish.ts';
import type { ReconcileResult } from './result.ts';
import { selectChecks } from './select.ts';
import { reconcileMetrics } from '../metrics/reconcile.ts';
import { tally } from '../metrics/tally.ts';

export interface ReconcileOptions {
  /**
   * The capabilities this function loads (shared/capabilities/registry.ts, or event-registry.ts in the event
   * functions): their checks, facets and loaders.
   */
  registry: Registry;
  hints?: ObserveHints;
}

/**
 * The one engine: observe → plan → apply → publish, for one cluster. Level-triggered: the target only
 * says where to look; the current state decides what to do, so replays and our own echoes are no-ops.
 */
export async function reconcile(target: ReconcileTarget, config: GuardrailsConfig, options: ReconcileOptions): Promise<ReconcileResult> {
  const checks = selectChecks(config, target.checks, options.registry.checks, target.trigger.kind);
  const base = {
    cluster: { name: target.clusterName },
    account: process.env.AWS_ACCOUNT_ID ?? 'unknown',
    region: process.env.AWS_REGION ?? 'unknown',
    mode: config.mode,
    trigger: target.trigger,
    checks: checks.map((c) => c.name),
    findings: [],
    actions: [],
    published: 0,
  };
  if (checks.length === 0) return { ...base, status: 'reconciled', reason: 'no check enabled' };

  const facets = new Set<Facet>(checks.flatMap((c) => c.facets));
  const observation = await observe(target.clusterName, facets, config, options.registry, { ...options.hints, target, config });
  if (observation.kind === 'missing') return { ...base, status: 'cluster-not-found', reason: `cluster ${target.clusterName} does not exist` };
  if (observation.kind === 'gone') return { ...base, status: 'cluster-gone', reason: `cluster ${target.clusterName} is ${observation.status}` };

  const { snapshot } = observation;
  const planned = plan(checks, snapshot, config, options.registry.checkNames);
  const dryRun = config.mode === 'dry-run';
  if (dryRun) dryRunGuard.hold();
  let actions;
  try {
    actions = await apply(planned.actions);
  } finally {
    if (dryRun) dryRunGuard.release();
  }
  const result: ReconcileResult = {
    ...base,
    cluster: { name: snapshot.cluster.name, arn: snapshot.cluster.arn },
    account: snapshot.account,
    region: snapshot.region,
    status: 'reconciled',
    findings: planned.findings,
    actions,
    ...(planned.facts ? { facts: planned.facts } : {}),
  };
  // Counted before publishing: the writes are done whether or not the bus takes the events.
  tally.add(reconcileMetrics(result));
  result.published = await publish(result, config);
  return result;
}
