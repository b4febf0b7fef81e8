// zod/mini, as the sweep's input schema: the sweep bundle stays lean.
import * as z from 'zod/mini';
import { SEVERITIES } from '../types/index.ts';
import type { Baseline, BaselineReport } from './baseline.ts';
import { BASELINE_SCHEMA_VERSIONS } from './model.ts';

/** The fields a comparison reads; anything else in the report is left alone (a later 1.x may add fields). */
const finding = z.looseObject({
  id: z.string().check(z.minLength(1)),
  check: z.string(),
  severity: z.enum(SEVERITIES as unknown as [string, ...string[]]),
  title: z.string(),
  resource: z.looseObject({ type: z.string(), id: z.string(), arn: z.optional(z.string()) }),
  state: z.enum(['open', 'planned', 'pending', 'fixed', 'failed', 'exempt']),
});
const baselineReport = z.looseObject({
  schemaVersion: z.enum(BASELINE_SCHEMA_VERSIONS as unknown as [string, ...string[]]),
  sweepId: z.string().check(z.minLength(1)),
  finishedAt: z.iso.datetime({ offset: true }),
  clusters: z.array(z.looseObject({ name: z.string(), account: z.string(), region: z.string(), status: z.string(), findings: z.array(finding) })),
});

/**
 * A previous report's text → the baseline to compare with. Never throws: a text that is not JSON, not a sweep
 * report, or of a schema version this one cannot read is `unreadable`, with the reason — the sweep still runs
 * and says so, and every open finding counts as new.
 */
export function parseBaseline(text: string, source: string): Baseline {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return unreadable(source, `not JSON (${(err as Error).message.slice(0, 120)})`);
  }
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof value !== 'object' || value === null || typeof version !== 'string') return unreadable(source, 'not an eks-guardrails sweep report (no schemaVersion)');
  if (!(BASELINE_SCHEMA_VERSIONS as readonly string[]).includes(version)) {
    return unreadable(source, `report schema ${version.slice(0, 20)} is not one this version reads (${BASELINE_SCHEMA_VERSIONS.join(', ')})`);
  }
  const parsed = baselineReport.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return unreadable(source, `not a valid sweep report (${first?.path.join('.') || '(root)'}: ${first?.code ?? 'invalid'})`);
  }
  const report = parsed.data as unknown as BaselineReport;
  return { info: { status: 'compared', source, sweepId: report.sweepId, finishedAt: report.finishedAt }, report };
}

export function unreadable(source: string, reason: string): Baseline {
  return { info: { status: 'unreadable', source, reason } };
}

export function missing(source: string, reason: string): Baseline {
  return { info: { status: 'missing', source, reason } };
}
