import type { Finding, Severity } from '../types/index.ts';
import type { BaselineInfo, ClusterReport, FindingState, ResolvedFinding, SeverityCounts, SweepComparison, SweepReport } from './model.ts';
import { isOpen, severityRank } from './summarize.ts';

/**
 * What a sweep needs of the previous report to compare itself with it: the clusters it swept and their
 * findings' stable ids and states. Every report schema version so far has these fields.
 */
export interface BaselineReport {
  schemaVersion: string;
  sweepId: string;
  finishedAt: string;
  clusters: {
    name: string;
    account: string;
    region: string;
    status: string;
    findings: { id: string; check: string; severity: Severity; title: string; resource: Finding['resource']; state: FindingState }[];
  }[];
}

export interface Baseline {
  info: BaselineInfo;
  report?: BaselineReport;
}

/** Only a cluster that was reconciled has findings that mean something: not one that errored, was not found or went away. */
const SWEPT: ReadonlySet<string> = new Set(['pass', 'fail']);

const clusterKey = (c: { account: string; region: string; name: string }) => `${c.account}/${c.region}/${c.name}`;

/**
 * Marks every finding of this sweep new, still open or resolved against the previous report, keyed by
 * account, region, cluster and the finding's stable id. Only clusters swept both times are compared: a
 * cluster this sweep could not reach resolves nothing (it is listed as not compared), and a cluster the
 * previous sweep did not reach has only new findings. Pure: the caller reads the baseline.
 */
export function compareWithBaseline(report: SweepReport, baseline: Baseline): SweepReport {
  const comparison: SweepComparison = {
    baseline: baseline.info,
    new: { total: 0, bySeverity: {} },
    stillOpen: 0,
    resolved: { total: 0, bySeverity: {}, findings: [] },
    notCompared: [],
  };
  if (baseline.info.status === 'off') {
    return { ...report, clusters: report.clusters.map(({ baseline: _b, ...c }) => ({ ...c, findings: c.findings.map(({ change: _c, ...f }) => f) })), comparison };
  }
  const previous = new Map((baseline.info.status === 'compared' ? baseline.report?.clusters ?? [] : [])
    .filter((c) => SWEPT.has(c.status)).map((c) => [clusterKey(c), c]));

  const clusters = report.clusters.map((c): ClusterReport => {
    if (!SWEPT.has(c.status)) return c;
    const before = previous.get(clusterKey(c));
    const openBefore = new Map((before?.findings ?? []).filter(isOpen).map((f) => [f.id, f]));
    const findings = c.findings.map((f) => {
      const wasOpen = openBefore.has(f.id);
      const change = isOpen(f) ? (wasOpen ? 'still-open' as const : 'new' as const) : wasOpen ? 'resolved' as const : undefined;
      if (change === 'new') count(comparison.new, f.severity);
      if (change === 'still-open') comparison.stillOpen++;
      if (change === 'resolved') resolve(comparison, f, c, f.state === 'exempt' ? 'exempt' : 'fixed');
      const { change: _old, ...rest } = f;
      return change ? { ...rest, change } : rest;
    });
    if (before) {
      const present = new Set(c.findings.map((f) => f.id));
      // A check that did not run this time (switched off, say) proves nothing about its findings.
      const ran = new Set(c.checks.map((x) => x.name));
      const unchecked = new Map<string, number>();
      for (const f of openBefore.values()) {
        if (present.has(f.id)) continue;
        if (ran.has(f.check)) resolve(comparison, f, c, 'gone');
        else unchecked.set(f.check, (unchecked.get(f.check) ?? 0) + 1);
      }
      if (unchecked.size > 0) {
        comparison.notCompared.push({ cluster: c.name, account: c.account, region: c.region, open: [...unchecked.values()].reduce((a, b) => a + b, 0),
          reason: `check${unchecked.size === 1 ? '' : 's'} not run this time: ${[...unchecked.keys()].sort().join(', ')}` });
      }
    }
    return { ...c, findings, baseline: before ? 'compared' : 'not-in-baseline' };
  });

  const now = new Map(report.clusters.map((c) => [clusterKey(c), c]));
  for (const [key, before] of previous) {
    const current = now.get(key);
    if (current && SWEPT.has(current.status)) continue;
    const open = before.findings.filter(isOpen).length;
    const scopeError = report.scopes.find((s) => s.account === before.account && s.region === before.region)?.error;
    const reason = current ? `${current.status}${current.error ? `: ${current.error}` : ''}`
      : scopeError ? `its account and region could not be swept: ${scopeError}` : 'not in this sweep (deleted, or left out by --cluster/--region)';
    comparison.notCompared.push({ cluster: before.name, account: before.account, region: before.region, open, reason });
  }
  comparison.resolved.findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.cluster.localeCompare(b.cluster) || a.id.localeCompare(b.id));
  return { ...report, clusters, comparison };
}

/** The comparison of a report that was not compared with anything (`off`), e.g. while it is being built. */
export function notCompared(reason: string): SweepComparison {
  return { baseline: { status: 'off', reason }, new: { total: 0, bySeverity: {} }, stillOpen: 0, resolved: { total: 0, bySeverity: {}, findings: [] }, notCompared: [] };
}

/** Open findings marked new at or above `threshold` (what `--fail-on-new` counts). */
export function newAtOrAbove(report: SweepReport, threshold: Severity): number {
  return report.clusters.flatMap((c) => c.findings).filter((f) => f.change === 'new' && isOpen(f) && severityRank(f.severity) >= severityRank(threshold)).length;
}

function count(into: { total: number; bySeverity: SeverityCounts }, severity: Severity): void {
  into.total++;
  into.bySeverity[severity] = (into.bySeverity[severity] ?? 0) + 1;
}

function resolve(comparison: SweepComparison, f: BaselineReport['clusters'][number]['findings'][number], c: ClusterReport, resolution: ResolvedFinding['resolution']): void {
  count(comparison.resolved, f.severity);
  comparison.resolved.findings.push({
    id: f.id, check: f.check, severity: f.severity, title: f.title, resource: f.resource, cluster: c.name, account: c.account, region: c.region, resolution,
  });
}
