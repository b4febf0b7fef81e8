import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterSgBaseline } from '../../../../shared/capabilities/cluster-security-group/cluster-sg-baseline.ts';
import { plan } from '../../../../shared/engine/plan.ts';
import { toBusEvents } from '../../../../shared/events/result-events.ts';
import { allEgress, clusterSg, config, snapshot } from '../../../support/snapshots.ts';
import { CHECK_NAMES } from '../../../../shared/capabilities/names.ts';

const drifted = (tags: Record<string, string> = {}) => snapshot({ clusterSecurityGroup: clusterSg([allEgress()], tags) });

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
