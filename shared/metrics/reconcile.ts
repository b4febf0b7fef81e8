import type { ReconcileResult } from '../engine/result.ts';
import type { MetricPoint } from './tally.ts';

const BY_STATUS = { applied: 'RemediationsApplied', failed: 'RemediationsFailed', planned: 'RemediationsPlanned' } as const;

/**
 * What one reconcile did, as counts: actions applied / failed / planned by check (an action already in the
 * desired state counts nothing), findings by severity, and the NLB rules named by applied revokes.
 */
export function reconcileMetrics(result: ReconcileResult): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const a of result.actions) {
    if (a.status === 'skipped') continue;
    points.push({ metric: BY_STATUS[a.status], value: 1, dimension: a.action.check });
    if (a.status === 'applied' && a.action.kind === 'RevokeRules') points.push({ metric: 'NlbRulesTrimmed', value: a.action.ruleIds.length });
  }
  for (const f of result.findings) points.push({ metric: 'Findings', value: 1, dimension: f.severity });
  return points;
}
