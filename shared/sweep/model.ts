import type { ActionStatus, CheckMode, Finding, RunMode, Severity } from '../types/index.ts';
import type { LoadBalancerHeadroom } from '../checks/nlb-preflight.ts';

export type { LoadBalancerHeadroom };

/** Bumped on any breaking change; the JSON Schema lives in docs/sweep-report.schema.json. */
export const SWEEP_REPORT_SCHEMA_VERSION = '1.0';
export const SWEEP_REPORT_SCHEMA_ID = 'https://eks-guardrails.dev/schemas/sweep-report/1.0.json';

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

export interface ReportFinding extends Omit<Finding, 'exempt'> {
  state: FindingState;
  actions: ReportAction[];
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
}
