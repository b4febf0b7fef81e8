import type { ActionResult, Check, GuardrailsConfig, Severity } from '../types/index.ts';
import { SEVERITIES } from '../types/index.ts';
import { checkMode } from '../engine/select.ts';
import type { ReconcileResult } from '../engine/result.ts';
import { SWEEP_COMPLETED, SWEEP_SCHEMA_VERSION, type SweepChanges, type SweepCompletedDetail } from '../events/sweep-events.ts';
import { NLB_PREFLIGHT } from '../capabilities/compliance/names.ts';
import type { ClusterCheckResult, ClusterReport, FindingState, LoadBalancerHeadroom, ReportFinding, SweepReport, SweepSummary } from './model.ts';

const OPEN_STATES: ReadonlySet<FindingState> = new Set(['open', 'planned', 'pending', 'failed']);

/** Bookkeeping actions: applying them changes no access, only prepares a later fix (grace-period marks). */
const PREPARATORY: ReadonlySet<string> = new Set(['TagSecurityGroupRules', 'UntagSecurityGroupRules']);

export function isOpen(f: Pick<ReportFinding, 'state'>): boolean {
  return OPEN_STATES.has(f.state);
}

function stateOf(exempt: boolean | undefined, actions: readonly ActionResult[]): FindingState {
  if (exempt) return 'exempt';
  if (actions.length === 0) return 'open';
  if (actions.some((a) => a.status === 'failed')) return 'failed';
  if (actions.every((a) => a.status === 'applied' || a.status === 'skipped')) {
    return actions.every((a) => PREPARATORY.has(a.action.kind)) ? 'pending' : 'fixed';
  }
  return 'planned';
}

/** One cluster's reconcile result as the report shows it: every check it ran, and what became of each finding. */
export function clusterReport(result: ReconcileResult, checks: readonly Check[], config: GuardrailsConfig, durationMs: number): ClusterReport {
  const findings: ReportFinding[] = result.findings.map(({ exempt, quiet, ...finding }) => {
    const actions = result.actions.filter((a) => a.action.findingId === finding.id);
    return {
      ...finding,
      // A quiet finding is a person's decision already recorded (an autoscaler opt-out): listed, not open.
      state: stateOf(exempt || (quiet && actions.length === 0), actions),
      actions: actions.map(({ action, status, reason }) => ({ kind: action.kind, summary: action.summary, status, ...(reason ? { reason } : {}) })),
    };
  });
  const checkResults: ClusterCheckResult[] = result.checks.map((name) => {
    const mine = findings.filter((f) => f.check === name);
    const check = checks.find((c) => c.name === name);
    const status = mine.some(isOpen) ? 'fail' : mine.some((f) => f.state === 'fixed') ? 'fixed' : 'pass';
    return { name, mode: check ? checkMode(check, config) : 'report', status, findings: mine.length };
  });
  const status = result.status === 'cluster-not-found' ? 'not-found'
    : result.status === 'cluster-gone' ? 'gone'
    : findings.some(isOpen) ? 'fail' : 'pass';
  return {
    name: result.cluster.name,
    ...(result.cluster.arn ? { arn: result.cluster.arn } : {}),
    account: result.account,
    region: result.region,
    status,
    ...(result.reason && status !== 'pass' && status !== 'fail' ? { error: result.reason } : {}),
    checks: checkResults,
    findings,
    ...headroomOf(result),
    durationMs,
  };
}

/** nlb-preflight's per-group room for more LoadBalancer Services, when it ran. */
function headroomOf(result: ReconcileResult): Pick<ClusterReport, 'loadBalancerHeadroom'> {
  const groups = result.facts?.[NLB_PREFLIGHT]?.loadBalancerHeadroom as LoadBalancerHeadroom[] | undefined;
  return groups ? { loadBalancerHeadroom: groups } : {};
}

export function summarize(clusters: readonly ClusterReport[]): SweepSummary {
  const summary: SweepSummary = {
    clusters: clusters.length,
    clustersPassing: clusters.filter((c) => c.status === 'pass').length,
    clustersFailing: clusters.filter((c) => c.status === 'fail').length,
    clustersErrored: clusters.filter((c) => c.status === 'error').length,
    open: { total: 0, bySeverity: {}, byCheck: {} },
    byState: { open: 0, planned: 0, pending: 0, fixed: 0, failed: 0, exempt: 0 },
    actions: { applied: 0, planned: 0, skipped: 0, failed: 0 },
  };
  for (const f of clusters.flatMap((c) => c.findings)) {
    summary.byState[f.state]++;
    for (const a of f.actions) summary.actions[a.status]++;
    if (!isOpen(f)) continue;
    summary.open.total++;
    summary.open.bySeverity[f.severity] = (summary.open.bySeverity[f.severity] ?? 0) + 1;
    const byCheck = (summary.open.byCheck[f.check] ??= {});
    byCheck[f.severity] = (byCheck[f.severity] ?? 0) + 1;
  }
  return summary;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Open findings at or above `threshold` (what `--fail-on` counts). */
export function openAtOrAbove(report: SweepReport, threshold: Severity): number {
  return report.clusters.flatMap((c) => c.findings).filter((f) => isOpen(f) && severityRank(f.severity) >= severityRank(threshold)).length;
}

/** The "Sweep Completed" detail (contract in shared/events/sweep-events.ts). */
export function sweepCompletedDetail(report: SweepReport, reportUrl?: string): SweepCompletedDetail {
  const open = report.clusters.flatMap((c) => c.findings.filter(isOpen).map((f) => ({ f, c })));
  open.sort((a, b) => severityRank(b.f.severity) - severityRank(a.f.severity) || a.f.id.localeCompare(b.f.id));
  return {
    schemaVersion: SWEEP_SCHEMA_VERSION,
    sweepId: report.sweepId,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    mode: report.mode,
    accounts: [...new Set(report.scopes.map((s) => s.account))],
    regions: [...new Set(report.scopes.map((s) => s.region))],
    clusters: report.summary.clusters,
    counts: {
      bySeverity: report.summary.open.bySeverity,
      byCheck: report.summary.open.byCheck,
      fixed: report.summary.byState.fixed,
      planned: report.summary.byState.planned,
      failed: report.summary.byState.failed,
    },
    topFindings: open.slice(0, 10).map(({ f, c }) => ({
      id: f.id, check: f.check, severity: f.severity, title: f.title, resource: f.resource, cluster: c.name, account: c.account, region: c.region,
    })),
    ...(reportUrl ? { reportUrl } : {}),
    changes: digestChanges(report),
  };
}

function digestChanges(report: SweepReport): SweepChanges {
  const { baseline, new: fresh, resolved, stillOpen } = report.comparison;
  const newFindings = report.clusters.flatMap((c) => c.findings.filter((f) => f.change === 'new').map((f) => ({ f, c })))
    .sort((a, b) => severityRank(b.f.severity) - severityRank(a.f.severity) || a.f.id.localeCompare(b.f.id));
  return {
    baseline: { status: baseline.status, ...(baseline.sweepId ? { sweepId: baseline.sweepId } : {}), ...(baseline.finishedAt ? { finishedAt: baseline.finishedAt } : {}), ...(baseline.reason ? { reason: baseline.reason } : {}) },
    new: fresh.total,
    resolved: resolved.total,
    stillOpen,
    newFindings: newFindings.slice(0, 10).map(({ f, c }) => ({ id: f.id, check: f.check, severity: f.severity, title: f.title, resource: f.resource, cluster: c.name, account: c.account, region: c.region })),
    resolvedFindings: resolved.findings.slice(0, 10).map((r) => ({ ...r })),
  };
}

export { SWEEP_COMPLETED };
