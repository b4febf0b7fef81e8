import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterSgBaseline } from '../../../../shared/capabilities/cluster-security-group/cluster-sg-baseline.ts';
import { plan } from '../../../../shared/engine/plan.ts';
import { allEgress, clusterSg, config, snapshot } from '../../../support/snapshots.ts';
import { CHECK_NAMES } from '../../../../shared/capabilities/names.ts';

const drifted = (tags: Record<string, string> = {}) => snapshot({ clusterSecurityGroup: clusterSg([allEgress()], tags) });

describe('plan', () => {
  it('makes actions executable in enforce mode', () => {
    const p = plan([clusterSgBaseline], drifted(), config(), CHECK_NAMES);
    assert.equal(p.actions.length, 1);
    assert.equal(p.actions[0]!.executable, true);
  });

  it('keeps the plan but executes nothing in dry-run', () => {
    const p = plan([clusterSgBaseline], drifted(), config({ GUARDRAILS_MODE: 'dry-run' }), CHECK_NAMES);
    assert.deepEqual(p.actions.map((a) => [a.executable, a.reason]), [[false, 'dry-run']]);
  });

  it('reports only when the check is in report mode, and skips it when off', () => {
    const report = plan([clusterSgBaseline], drifted(), config({ GUARDRAILS_CHECK_MODES: 'cluster-sg-baseline=report' }), CHECK_NAMES);
    assert.equal(report.findings.length, 1);
    assert.equal(report.actions[0]!.executable, false);
    const off = plan([clusterSgBaseline], drifted(), config({ GUARDRAILS_CHECK_MODES: 'cluster-sg-baseline=off' }), CHECK_NAMES);
    assert.deepEqual(off, { findings: [], actions: [] });
  });

  it('honours the exemption tag on the group or the cluster', () => {
    const onGroup = plan([clusterSgBaseline], drifted({ 'eks-guardrails/exempt': 'true' }), config(), CHECK_NAMES);
    assert.equal(onGroup.findings[0]!.exempt, true);
    assert.equal(onGroup.actions[0]!.executable, false);
    const snap = drifted();
    snap.cluster.tags = { 'eks-guardrails/exempt': 'cluster-sg-baseline' };
    assert.equal(plan([clusterSgBaseline], snap, config(), CHECK_NAMES).actions[0]!.executable, false);
    const other = drifted({ 'eks-guardrails/exempt': 'nlb-rule-headroom' });
    assert.equal(plan([clusterSgBaseline], other, config(), CHECK_NAMES).actions[0]!.executable, true);
  });
});
