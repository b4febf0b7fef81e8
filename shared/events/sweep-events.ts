import type { Finding, Severity } from '../types/index.ts';

export const SWEEP_COMPLETED = 'Sweep Completed';
export const SWEEP_SCHEMA_VERSION = '1.0';

/**
 * Detail of the "Sweep Completed" event on the project's bus (the sweep publishes it, notify posts it).
 * Contract between the sweep and the notifier: extend only with optional fields.
 */
export interface SweepCompletedDetail {
  schemaVersion: typeof SWEEP_SCHEMA_VERSION;
  sweepId: string;
  startedAt: string;
  finishedAt: string;
  mode: 'enforce' | 'dry-run';
  accounts: string[];
  regions: string[];
  clusters: number;
  /** Findings still open after the sweep, per check and severity. */
  counts: {
    bySeverity: Partial<Record<Severity, number>>;
    byCheck: Record<string, Partial<Record<Severity, number>>>;
    fixed: number;
    planned: number;
    failed: number;
  };
  /** The most severe open findings (at most 10), for a digest. */
  topFindings: (Pick<Finding, 'id' | 'check' | 'severity' | 'title' | 'resource'> & { cluster: string; account: string; region: string })[];
  /** Where the full report is (s3:// or https:// URL), when one was uploaded. */
  reportUrl?: string;
  /** Against the previous sweep's report (absent from producers before it existed). */
  changes?: SweepChanges;
}

export type DigestFinding = SweepCompletedDetail['topFindings'][number];

export interface SweepChanges {
  /** `compared`, `missing` (first sweep), `unreadable` or `off` (nothing to compare with), and why. */
  baseline: { status: 'compared' | 'missing' | 'unreadable' | 'off'; sweepId?: string; finishedAt?: string; reason?: string };
  new: number;
  resolved: number;
  stillOpen: number;
  /** The most severe new findings (at most 10). */
  newFindings: DigestFinding[];
  /** The most severe resolved findings (at most 10), with how each was resolved. */
  resolvedFindings: (DigestFinding & { resolution: 'fixed' | 'exempt' | 'gone' })[];
}
