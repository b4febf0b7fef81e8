import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterSgBaseline } from '../../../../shared/capabilities/cluster-security-group/cluster-sg-baseline.ts';
import { isExempt } from '../../../../shared/engine/exemptions.ts';
import { plan } from '../../../../shared/engine/plan.ts';
import { toBusEvents } from '../../../../shared/events/result-events.ts';
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

  it('parses exemption values', () => {
    assert.equal(isExempt({ k: 'TRUE' }, 'k', 'a', ['a', 'b']), true);
    assert.equal(isExempt({ k: 'a, b' }, 'k', 'b', ['a', 'b']), true);
    assert.equal(isExempt({ k: 'false' }, 'k', 'a', ['a', 'b']), false);
    assert.equal(isExempt(undefined, 'k', 'a', ['a', 'b']), false);
  });
});

describe('result events', () => {
  it('publishes one versioned event per finding, with the actions, trigger and how to exempt', () => {
    const snap = drifted();
    const p = plan([clusterSgBaseline], snap, config({ GUARDRAILS_MODE: 'dry-run' }), CHECK_NAMES);
    const trigger = { kind: 'cloudtrail' as const, eventId: 'e-1', apiCall: 'ec2:RevokeSecurityGroupIngress', actor: 'arn:aws:iam::1:role/Admin', time: '2026-11-24T08:00:00Z' };
    const events = toBusEvents({
      cluster: { name: 'prod', arn: snap.cluster.arn }, account: snap.account, region: snap.region, mode: 'dry-run', status: 'reconciled', trigger,
      checks: ['cluster-sg-baseline'], findings: p.findings, actions: p.actions.map((a) => ({ action: a.action, status: 'planned' as const, reason: a.reason })), published: 0,
    }, config());
    assert.equal(events.length, 1);
    const e = events[0]!;
    assert.equal(e.detailType, 'Remediation Planned');
    const d = e.detail as Record<string, unknown>;
    assert.equal(d.schemaVersion, '1.0');
    assert.equal(d.mode, 'dry-run');
    assert.equal(d.outcome, 'planned');
    assert.deepEqual(d.trigger, trigger);
    assert.equal((d.actions as { status: string }[])[0]!.status, 'planned');
    assert.match((d.exemption as { how: string }).how, /eks-guardrails\/exempt=cluster-sg-baseline/);
    assert.deepEqual(e.resources, [snap.cluster.arn]);
  });
});
