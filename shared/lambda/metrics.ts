import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import { DEFAULT_NAMESPACE, METRICS, type MetricSpec } from '../metrics/catalog.ts';
import { tally, type MetricPoint } from '../metrics/tally.ts';
import { logger } from './logger.ts';

/**
 * Middy middleware: what the invocation counted (shared/metrics/tally.ts) is written as EMF lines when it
 * ends, failed or not (a failed remediation is counted before its error fails the invocation), plus
 * Powertools' ColdStart metric. Powertools' own `logMetrics` middleware publishes one EMF object per
 * invocation, and one object holds one value per dimension name, so counts by check, severity or reason
 * would collapse into one; it also logs a warning on every invocation that counted nothing
 * (powertools-lambda-typescript, packages/metrics/src/middleware/middy.ts and Metrics.publishStoredMetrics). So the counts
 * are published here, one object per dimension value, and nothing at all when there is nothing to say.
 * The namespace comes from POWERTOOLS_METRICS_NAMESPACE (template.yaml's MetricsNamespace); the `service`
 * dimension is the function's name. POWERTOOLS_METRICS_DISABLED=true turns the output off.
 */
export function emitMetrics(service: string): MiddlewareObj {
  let metrics: Metrics | undefined;
  // Built at the first invocation, not at import: the CLI and the tests set the environment after importing.
  const instance = () => (metrics ??= new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || DEFAULT_NAMESPACE, serviceName: service }));
  // Metrics are an account of the work, never a reason to fail (and so repeat) it.
  const safely = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      logger.error('metrics not written', { what, error: { name: (err as Error)?.name, message: (err as Error)?.message } });
    }
  };
  const flush = () => {
    const points = tally.drain();
    safely('counts', () => publishPoints(instance(), points));
  };
  return {
    before: () => {
      tally.drain(); // counts made outside any invocation (a CLI run in the same process) belong to no function
      safely('cold start', () => instance().captureColdStartMetric());
    },
    after: flush,
    onError: flush,
  };
}

/** One EMF object per dimension value (and per rollup): its metrics share the object's dimensions. */
export function publishPoints(metrics: Metrics, points: readonly MetricPoint[]): void {
  const groups = new Map<string, MetricPoint[]>();
  for (const p of points) {
    const spec: MetricSpec = METRICS[p.metric];
    const key = `${spec.dimension ?? ''}\u0000${p.dimension ?? ''}\u0000${spec.rollup ? 1 : 0}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const group of groups.values()) {
    const spec: MetricSpec = METRICS[group[0]!.metric];
    if (spec.dimension && group[0]!.dimension) metrics.addDimension(spec.dimension, group[0]!.dimension);
    // An empty extra set publishes the same values under `service` alone.
    if (spec.rollup) metrics.addDimensions({});
    for (const p of group) metrics.addMetric(p.metric, MetricUnit.Count, p.value);
    metrics.publishStoredMetrics();
  }
}
