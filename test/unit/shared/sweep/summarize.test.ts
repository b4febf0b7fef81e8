import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../../shared/capabilities/config.ts';
import { parseNotifyEvent } from '../../../../shared/notify/schema.ts';
import { renderSweep } from '../../../../shared/notify/sweep-message.ts';
import type { ReconcileResult } from '../../../../shared/engine/result.ts';
import { clusterReport, openAtOrAbove, summarize, sweepCompletedDetail } from '../../../../shared/sweep/summarize.ts';
import { assembleReport, countCalls } from '../../../../shared/sweep/run-sweep.ts';
import type { Action, Check, Finding } from '../../../../shared/types/index.ts';

const config = loadConfig({});
const check = (name: string): Check => ({ name, description: name, defaultMode: 'enforce', facets: [], run: () => ({ findings: [], actions: [] }) });
const finding = (id: string, severity: Finding['severity'], extra: Partial<Finding> = {}): Finding => ({
  id, check: id.split(':')[0]!, severity, resource: { type: 'security-group', id: 'sg-1' }, title: id, evidence: {}, fixHint: 'do it', ...extra,
});
const action = (findingId: string): Action => ({ kind: 'AuthorizeRules', check: findingId.split(':')[0]!, findingId, groupId: 'sg-1', direction: 'ingress', rules: [], summary: 's', before: null, after: null });

function result(findings: Finding[], actions: ReconcileResult['actions'], checks = ['a', 'b', 'c']): ReconcileResult {
  return { cluster: { name: 'prod', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod' }, account: '111122223333', region: 'eu-west-1', mode: 'enforce', status: 'reconciled', trigger: { kind: 'cli' }, checks, findings, actions, published: 0 };
}

describe('sweep summaries', () => {
  const checks = [check('a'), check('b'), check('c')];
  const r = result(
    [finding('a:1', 'high'), finding('a:2', 'medium'), finding('b:1', 'critical'), finding('b:2', 'low', { exempt: true }), finding('a:3', 'high')],
    [
      { action: action('a:1'), status: 'applied' },
      { action: action('a:2'), status: 'planned', reason: 'dry-run' },
      { action: action('b:1'), status: 'failed', reason: 'AccessDenied' },
      { action: action('a:3'), status: 'skipped', reason: 'already' },
    ],
  );
  const cluster = clusterReport(r, checks, config, 12);

  it('gives each finding a state from its actions, and each check a status', () => {
    assert.deepEqual(Object.fromEntries(cluster.findings.map((f) => [f.id, f.state])), { 'a:1': 'fixed', 'a:2': 'planned', 'b:1': 'failed', 'b:2': 'exempt', 'a:3': 'fixed' });
    assert.deepEqual(cluster.checks.map((c) => `${c.name}:${c.status}:${c.findings}`), ['a:fail:3', 'b:fail:2', 'c:pass:0']);
    assert.equal(cluster.status, 'fail');
    assert.equal(cluster.findings.find((f) => f.id === 'b:2')?.['exempt' as never], undefined, 'exempt folded into state');
  });

  it('a finding whose only applied actions are grace-period marks is pending, not fixed', () => {
    const mark = { ...action('a:1'), kind: 'TagSecurityGroupRules', ruleIds: ['sgr-1'], tags: {} } as unknown as Action;
    const r2 = clusterReport(result([finding('a:1', 'high')], [{ action: mark, status: 'applied' }]), checks, config, 1);
    assert.equal(r2.findings[0]!.state, 'pending');
    assert.equal(r2.status, 'fail');
    const revoke = { ...action('a:1'), kind: 'RevokeRules', ruleIds: ['sgr-1'], rules: [] } as unknown as Action;
    const r3 = clusterReport(result([finding('a:1', 'high')], [{ action: mark, status: 'applied' }, { action: revoke, status: 'applied' }]), checks, config, 1);
    assert.equal(r3.findings[0]!.state, 'fixed');
  });

  it('a check whose findings were all fixed shows as fixed, and the cluster passes', () => {
    const fixed = clusterReport(result([finding('a:1', 'high')], [{ action: action('a:1'), status: 'applied' }]), checks, config, 1);
    assert.equal(fixed.checks[0]!.status, 'fixed');
    assert.equal(fixed.status, 'pass');
  });

  it('counts open findings (open, planned, failed) by severity and check', () => {
    const s = summarize([cluster]);
    assert.equal(s.open.total, 2);
    assert.deepEqual(s.open.bySeverity, { medium: 1, critical: 1 });
    assert.deepEqual(s.open.byCheck, { a: { medium: 1 }, b: { critical: 1 } });
    assert.deepEqual(s.byState, { open: 0, planned: 1, pending: 0, fixed: 2, failed: 1, exempt: 1 });
    assert.deepEqual(s.actions, { applied: 1, planned: 1, skipped: 1, failed: 1 });
  });

  it('fail-on counts open findings at or above the threshold', () => {
    const report = assembleReport([{ scope: { account: '111122223333', region: 'eu-west-1' }, clusters: [cluster] }], {
      sweepId: 's', startedAt: new Date(0), finishedAt: new Date(1000), config, trigger: 'cli', checks: checks, calls: countCalls([]),
    });
    assert.equal(openAtOrAbove(report, 'critical'), 1);
    assert.equal(openAtOrAbove(report, 'medium'), 2);
    assert.equal(openAtOrAbove(report, 'info'), 2, 'fixed and exempt findings never count');
  });

  it('Sweep Completed detail: counts and the most severe open findings first', () => {
    const report = assembleReport([{ scope: { account: '111122223333', region: 'eu-west-1' }, clusters: [cluster] }], {
      sweepId: 's', startedAt: new Date(0), finishedAt: new Date(1000), config, trigger: 'cli', checks: checks, calls: countCalls([]),
    });
    const d = sweepCompletedDetail(report, 's3://b/r.html');
    assert.equal(d.schemaVersion, '1.0');
    assert.deepEqual(d.accounts, ['111122223333']);
    assert.deepEqual(d.regions, ['eu-west-1']);
    assert.deepEqual(d.counts, { bySeverity: { medium: 1, critical: 1 }, byCheck: { a: { medium: 1 }, b: { critical: 1 } }, fixed: 2, planned: 1, failed: 1 });
    assert.deepEqual(d.topFindings.map((f) => f.id), ['b:1', 'a:2']);
    assert.equal(d.topFindings[0]!.cluster, 'prod');
    assert.equal(d.reportUrl, 's3://b/r.html');
  });

  it('the notifier accepts the detail the sweep publishes (the SweepCompletedDetail contract)', () => {
    const report = assembleReport([{ scope: { account: '111122223333', region: 'eu-west-1' }, clusters: [cluster] }], {
      sweepId: 's', startedAt: new Date(0), finishedAt: new Date(1000), config, trigger: 'schedule', checks: checks, calls: countCalls([]),
    });
    const event = { id: 'e-1', 'detail-type': 'Sweep Completed', source: 'eks-guardrails', detail: JSON.parse(JSON.stringify(sweepCompletedDetail(report))) };
    const parsed = parseNotifyEvent(event);
    assert.equal(parsed.kind, 'sweep');
    assert.match(JSON.stringify(renderSweep(parsed.detail as never, 'e-1')), /2 open findings in 1 cluster/);
  });
});
