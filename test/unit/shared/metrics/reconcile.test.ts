import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReconcileResult } from '../../../../shared/engine/result.ts';
import { reconcileMetrics } from '../../../../shared/metrics/reconcile.ts';
import { Tally } from '../../../../shared/metrics/tally.ts';
import type { Action, ActionResult, Finding, Severity } from '../../../../shared/types/index.ts';

const authorize = (check: string): Action => ({ kind: 'AuthorizeRules', check, findingId: `${check}:sg-1`, summary: 's', before: null, after: null, groupId: 'sg-1', direction: 'ingress', rules: [] });
const revoke = (ruleIds: string[]): Action => ({ kind: 'RevokeRules', check: 'nlb-rule-headroom', findingId: 'nlb-rule-headroom:sg-1', summary: 's', before: null, after: null, groupId: 'sg-1', direction: 'ingress', ruleIds, rules: [] });
const finding = (severity: Severity): Finding => ({ id: `x:${severity}`, check: 'x', severity, resource: { type: 'security-group', id: 'sg-1' } as Finding['resource'], title: 't', evidence: {}, fixHint: 'f' });

function result(actions: ActionResult[], findings: Finding[] = []): ReconcileResult {
  return { cluster: { name: 'prod' }, account: '123456789012', region: 'us-east-1', mode: 'enforce', status: 'reconciled', trigger: { kind: 'cloudtrail' } as ReconcileResult['trigger'], checks: [], findings, actions, published: 0 };
}

const summed = (r: ReconcileResult) => {
  const t = new Tally();
  t.add(reconcileMetrics(r));
  return t.drain();
};

describe('reconcileMetrics', () => {
  it('counts actions applied, failed and planned by check; an action already in place counts nothing', () => {
    assert.deepEqual(summed(result([
      { action: authorize('cluster-sg-baseline'), status: 'applied' },
      { action: authorize('cluster-sg-baseline'), status: 'applied' },
      { action: authorize('cluster-sg-baseline'), status: 'skipped', reason: 'already in the desired state' },
      { action: authorize('autoscaler-discovery-tags'), status: 'failed', reason: 'AccessDenied: no' },
      { action: authorize('control-plane-logging'), status: 'planned', reason: 'report mode' },
    ])), [
      { metric: 'RemediationsApplied', value: 2, dimension: 'cluster-sg-baseline' },
      { metric: 'RemediationsFailed', value: 1, dimension: 'autoscaler-discovery-tags' },
      { metric: 'RemediationsPlanned', value: 1, dimension: 'control-plane-logging' },
    ]);
  });

  it('counts the rules of applied revokes only, and findings by severity', () => {
    assert.deepEqual(summed(result([
      { action: revoke(['sgr-1', 'sgr-2', 'sgr-3']), status: 'applied' },
      { action: revoke(['sgr-4', 'sgr-5']), status: 'failed', reason: 'UnauthorizedOperation: no' },
      { action: revoke(['sgr-6']), status: 'planned' },
    ], [finding('high'), finding('high'), finding('info')])), [
      { metric: 'Findings', value: 2, dimension: 'high' },
      { metric: 'Findings', value: 1, dimension: 'info' },
      { metric: 'NlbRulesTrimmed', value: 3 },
      { metric: 'RemediationsApplied', value: 1, dimension: 'nlb-rule-headroom' },
      { metric: 'RemediationsFailed', value: 1, dimension: 'nlb-rule-headroom' },
      { metric: 'RemediationsPlanned', value: 1, dimension: 'nlb-rule-headroom' },
    ]);
  });

  it('never uses a cluster, account or resource id as a dimension', () => {
    const points = reconcileMetrics(result([{ action: authorize('cluster-sg-baseline'), status: 'applied' }], [finding('low')]));
    for (const p of points) assert.ok(!['prod', '123456789012', 'sg-1'].includes(p.dimension ?? ''), JSON.stringify(p));
  });
});
