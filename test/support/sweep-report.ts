import { loadConfig } from '../../shared/capabilities/config.ts';
import type { ClusterReport, ReportFinding } from '../../shared/sweep/model.ts';
import { assembleReport, countCalls } from '../../shared/sweep/run-sweep.ts';

/** A finding `<check>:<name>` on cluster c, titled and hinted after its id. */
export const reportFinding = (id: string, severity: ReportFinding['severity'], state: ReportFinding['state']): ReportFinding => ({
  id, check: id.split(':')[0]!, severity, state, resource: { type: 'cluster', id: 'c' }, title: `title ${id}`, evidence: {}, fixHint: `hint ${id}`, actions: [],
});

export const clusterReport = (name: string, findings: ReportFinding[], status: ClusterReport['status'] = findings.length ? 'fail' : 'pass'): ClusterReport =>
  ({ name, account: '111122223333', region: 'eu-west-1', status, checks: [], findings, durationMs: 1 });

/** A CLI sweep report `id-1` of these clusters, all in one scope (account 111122223333, eu-west-1). */
export const reportOf = (clusters: ClusterReport[]) => assembleReport([{ scope: { account: '111122223333', region: 'eu-west-1' }, clusters }],
  { sweepId: 'id-1', startedAt: new Date(0), finishedAt: new Date(1), config: loadConfig({}), trigger: 'cli', checks: [], calls: countCalls([]) });

/** Three clusters: a failing one (open, fixed and planned findings), a passing one, one that could not be swept. */
export function mixedReport() {
  return reportOf([
    clusterReport('a', [reportFinding('x:low', 'low', 'open'), reportFinding('x:fixed', 'critical', 'fixed'), reportFinding('x:high', 'high', 'planned')]),
    clusterReport('b', []),
    { ...clusterReport('c', []), status: 'error', error: 'AccessDeniedException: no' },
  ]);
}
