import { METRICS, type MetricName } from './catalog.ts';

/** One count: a metric, its value and the value of its one dimension (if it has one). */
export interface MetricPoint {
  metric: MetricName;
  value: number;
  dimension?: string;
}

/**
 * Counts summed per (metric, dimension value) while an invocation runs; the Lambda middleware drains and
 * emits them at its end (shared/lambda/metrics.ts). Summing keeps the log to one EMF line per dimension
 * value however many resources an invocation touched; outside Lambda (CLI, demo) nothing drains it and its
 * size stays bounded by the metric vocabulary.
 */
export class Tally {
  readonly #counts = new Map<string, MetricPoint>();

  count(metric: MetricName, value = 1, dimension?: string): void {
    if (!(value > 0)) return;
    const dim = 'dimension' in METRICS[metric] ? (dimension || 'unknown') : undefined;
    const key = `${metric}\u0000${dim ?? ''}`;
    const seen = this.#counts.get(key);
    if (seen) seen.value += value;
    else this.#counts.set(key, { metric, value, ...(dim !== undefined ? { dimension: dim } : {}) });
  }

  add(points: Iterable<MetricPoint>): void {
    for (const p of points) this.count(p.metric, p.value, p.dimension);
  }

  /** Everything counted since the last drain, in a stable order; the tally is empty afterwards. */
  drain(): MetricPoint[] {
    const out = [...this.#counts.values()].sort((a, b) => a.metric.localeCompare(b.metric) || (a.dimension ?? '').localeCompare(b.dimension ?? ''));
    this.#counts.clear();
    return out;
  }
}

/** One per container: a Lambda container runs one invocation at a time. */
export const tally = new Tally();
