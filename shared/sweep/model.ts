import type { ActionStatus, CheckMode, Finding, RunMode, Severity } from '../types/index.ts';
import type { LoadBalancerHeadroom } from '../capabilities/compliance/nlb-preflight.ts';

export type { LoadBalancerHeadroom };

/** Bumped on any breaking change; the JSON Schema lives in docs/sweep-report.schema.json. */
export const SWEEP_REPORT_SCHEMA_VERSION = '1.1';
export const SWEEP_REPORT_SCHEMA_ID = 'https://eks-guardrails.dev/schemas/sweep-report/1.1.json';
/** Versions a sweep can compare itself with (shared/sweep/baseline-read.ts reads only the fields both have). */
export const BASELINE_SCHEMA_VERSIONS = ['1.0', '1.1'] as const;

/**
 * What became of a finding in this sweep. `open`: nothing will change it (report-only, no fix exists);
 * `planned`: a fix exists but dry-run, report mode or an exemption held it back; `fixed`: every fix was
 * applied (or found already applied); `failed`: a fix was tried and failed; `exempt`: the resource or
 * its cluster carries the exemption tag; `pending`: a first step was applied and the fix completes on a
 * later sweep (nlb-rule-headroom marks stale rules, then revokes them after its grace period).
 */
export type FindingState = 'open' | 'planned' | 'pending' | 'fixed' | 'failed' | 'exempt';

export interface ReportAction {
  kind: string;
  summary: string;
  status: ActionStatus;
  reason?: string;
}

/**
 * A finding against the previous sweep's report (keyed by account, region, cluster and the stable finding id):
 * `new` open now, not open then; `still-open` open both times; `resolved` open then, fixed or exempt now.
 * Absent when the cluster was not compared (no baseline).
 */
export type FindingChange = 'new' | 'still-open' | 'resolved';

export interface ReportFinding extends Omit<Finding, 'exempt' | 'quiet'> {
  state: FindingState;
  actions: ReportAction[];
  change?: FindingChange;
}

/** A check on one cluster: `pass` (no finding), `fixed` (all its findings fixed now), `fail`, or `error` (cluster not swept). */
export type CheckStatus = 'pass' | 'fixed' | 'fail';

export interface ClusterCheckResult {
  name: string;
  mode: CheckMode;
  status: CheckStatus;
  findings: number;
}

export type ClusterStatus = 'pass' | 'fail' | 'error' | 'not-found' | 'gone';

export interface ClusterReport {
  name: string;
  arn?: string;
  account: string;
  region: string;
  status: ClusterStatus;
  /** Why the cluster could not be swept (error code and message; never a secret). */
  error?: string;
  checks: ClusterCheckResult[];
  findings: ReportFinding[];
  /**
   * Room for more LoadBalancer Services in each security group tagged `kubernetes.io/cluster/<name>` (from
   * nlb-preflight; absent when that check did not run).
   */
  loadBalancerHeadroom?: LoadBalancerHeadroom[];
  durationMs: number;
  /** `compared`: swept in the previous report too; `not-in-baseline`: new, or not swept last time (its open findings count as new). */
  baseline?: 'compared' | 'not-in-baseline';
}

export type SeverityCounts = Partial<Record<Severity, number>>;

export interface SweepSummary {
  clusters: number;
  clustersPassing: number;
  clustersFailing: number;
  clustersErrored: number;
  /** Findings still open (open, planned, failed), by severity and by check. */
  open: { total: number; bySeverity: SeverityCounts; byCheck: Record<string, SeverityCounts> };
  byState: Record<FindingState, number>;
  actions: Record<ActionStatus, number>;
}

export interface SweepReport {
  $schema: typeof SWEEP_REPORT_SCHEMA_ID;
  schemaVersion: typeof SWEEP_REPORT_SCHEMA_VERSION;
  sweepId: string;
  startedAt: string;
  finishedAt: string;
  mode: RunMode;
  trigger: 'schedule' | 'cli' | 'fan-out';
  scopes: { account: string; region: string; error?: string }[];
  checks: { name: string; description: string; mode: CheckMode }[];
  summary: SweepSummary;
  clusters: ClusterReport[];
  /** AWS calls the sweep made, by `Service.Operation`; `mutating` counts writes to the customer's resources (EC2, EKS, Auto Scaling, ELB, IAM). */
  calls: { total: number; mutating: number; byOperation: Record<string, number> };
  /** This sweep against the previous one (shared/sweep/baseline.ts). */
  comparison: SweepComparison;
}

/**
 * Where the previous report came from and what became of it: `compared`; `missing` (first sweep: nothing
 * there yet — every open finding is new); `unreadable` (not a report we can read — every open finding is
 * new); `off` (no previous report asked for: findings carry no `change`).
 */
export interface BaselineInfo {
  status: 'compared' | 'missing' | 'unreadable' | 'off';
  /** File path or s3:// URL of the previous report (or of the pointer to it). */
  source?: string;
  sweepId?: string;
  finishedAt?: string;
  reason?: string;
}

export interface ResolvedFinding {
  id: string;
  check: string;
  severity: Severity;
  title: string;
  resource: Finding['resource'];
  cluster: string;
  account: string;
  region: string;
  /** `fixed`: by this sweep; `exempt`: exempted since; `gone`: no longer found (fixed by someone, or the resource is gone). */
  resolution: 'fixed' | 'exempt' | 'gone';
}

export interface SweepComparison {
  baseline: BaselineInfo;
  /** Open findings that were not open in the previous report (every open finding when there is no baseline). */
  new: { total: number; bySeverity: SeverityCounts };
  stillOpen: number;
  resolved: { total: number; bySeverity: SeverityCounts; findings: ResolvedFinding[] };
  /** Clusters of the previous report not swept this time: their findings are neither resolved nor still open. */
  notCompared: { cluster: string; account: string; region: string; open: number; reason: string }[];
}
