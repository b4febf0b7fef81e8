import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { converged, groupReconciles, planAsgBatch, readAsgRecords, restoredKeys, skipRecentlyVerified } from '../../../../../shared/capabilities/autoscaler/asg-batch.ts';
import { launchCacheTtlMs, type LaunchCache } from '../../../../../shared/capabilities/autoscaler/launch-cache.ts';
import { TAG_DELETIONS } from '../../../../../shared/capabilities/autoscaler/autoscaler-opt-outs.ts';
import { EVENT_REGISTRY } from '../../../../../shared/capabilities/event-registry.ts';
import { checksFor } from '../../../../../shared/engine/registry.ts';
import { callLog } from '../../../../../shared/aws/calls.ts';
import type { ReconcileResult } from '../../../../../shared/engine/result.ts';
import { ContainerCache } from '../../../../../shared/state/cache.ts';
import type { ActionResult } from '../../../../../shared/types/index.ts';
import { loadSample } from '../../../../../dev/local/samples.ts';
import { config } from '../../../../support/snapshots.ts';
import { asgState } from '../../../../support/autoscaler-fixtures.ts';

const PERSON = 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/john.roe';
const T0 = Date.parse('2026-11-26T08:00:00Z');
const planning = { checks: checksFor(EVENT_REGISTRY, 'auto-scaling-group-changed'), checkNames: EVENT_REGISTRY.checkNames };
const launch = (asgName: string, id: string) => ({ messageId: id, event: loadSample('on-asg-event/instance-launch.json', { asgName, id }) });
const cache = (): LaunchCache => new ContainerCache({ name: 'launch-verified ASGs (test)' });
const asg = (name: string, tags: Record<string, string>) => asgState(name, tags);
const managed = (name: string, nodegroup: string, extra: Record<string, string> = {}) =>
  asg(name, { 'eks:cluster-name': 'prod', 'eks:nodegroup-name': nodegroup, 'kubernetes.io/cluster/prod': 'owned', ...extra });
const done = {
  'k8s.io/cluster-autoscaler/enabled': 'true', 'k8s.io/cluster-autoscaler/prod': 'owned', 'eks-guardrails/node-template-keys': 'l/role',
};

describe('readAsgRecords: a batch, by ASG', () => {
  it('names each ASG once, with every record naming it; a CloudTrail call makes it more than a launch', () => {
    const read = readAsgRecords([
      launch('a', 'm1'), launch('b', 'm2'), launch('a', 'm3'),
      { messageId: 'm4', event: loadSample('on-asg-event/delete-tags.json', { asgName: 'b' }) },
      { messageId: 'm5', event: loadSample('unmatched/own-create-or-update-tags.json') },
      { messageId: 'm6', event: { hello: 'world' } },
    ], config({ GUARDRAILS_SELF_ROLE_ARN: 'arn:aws:iam::123456789012:role/OnAsgEventRole' }).selfRoleArns);
    assert.equal(read.records, 6);
    assert.deepEqual([...read.pending.keys()], ['a', 'b']);
    const [a, b] = [read.pending.get('a')!, read.pending.get('b')!];
    assert.deepEqual([a.messageIds, a.launchOnly, a.trigger.kind, a.deletedKeys], [['m1', 'm3'], true, 'native-event', []]);
    assert.deepEqual([b.messageIds, b.launchOnly, b.trigger.kind, b.trigger.actor, b.trigger.resourceId], [['m2', 'm4'], false, 'cloudtrail', PERSON, 'b']);
    assert.deepEqual(b.deletedKeys, ['k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu']);
    assert.deepEqual(read.ignored, [{ messageId: 'm5', reason: 'our own change' }]);
    assert.deepEqual(read.invalid.map((i) => [i.messageId, i.error.code]), [['m6', 'InvalidEvent']]);
  });
});

describe('the launch cache: lifetime from the configuration, judged when read', () => {
  it('skips a launch-only ASG verified less than launchCacheSeconds ago, and reads it once that has passed', () => {
    const verified = cache();
    verified.set('a', true, T0);
    const pending = readAsgRecords([launch('a', 'm1')], []).pending.values();
    const warm = skipRecentlyVerified([...pending], launchCacheTtlMs(config()), verified, T0 + 42_000);
    assert.deepEqual(warm, { toRead: [], skipped: [{ asg: 'a', reason: 'verified 42 s ago' }] });
    const shorter = config({ GUARDRAILS_ASG_LAUNCH_CACHE_SECONDS: '30' });
    const stale = skipRecentlyVerified(readAsgRecords([launch('a', 'm1')], []).pending.values(), launchCacheTtlMs(shorter), verified, T0 + 42_000);
    assert.deepEqual([stale.toRead.map((p) => p.name), stale.skipped], [['a'], []]);
    assert.equal(verified.size, 0, 'an entry past its lifetime is dropped');
  });

  it('never skips an ASG a CloudTrail call names (it may be drift)', () => {
    const verified = cache();
    verified.set('b', true, T0);
    const read = readAsgRecords([launch('b', 'm1'), { messageId: 'm2', event: loadSample('on-asg-event/create-or-update-tags.json', { asgName: 'b' }) }], []);
    const out = skipRecentlyVerified(read.pending.values(), launchCacheTtlMs(config()), verified, T0 + 1_000);
    assert.deepEqual([out.toRead.map((p) => p.name), out.skipped], [['b'], []]);
  });

  it('a batch of launches on ASGs all recently verified is planned without a call', async () => {
    const verified = cache();
    for (const name of ['a', 'b']) verified.set(name, true, T0);
    const read = readAsgRecords([launch('a', 'm1'), launch('b', 'm2'), launch('a', 'm3')], []);
    callLog.reset();
    const plan = await planAsgBatch(read, config(), { ...planning, launchCache: verified, now: T0 + 5_000 });
    assert.deepEqual(callLog.all(), []);
    assert.deepEqual(plan.reconciles, []);
    assert.deepEqual([plan.result.status, plan.result.records, plan.result.asgs, plan.result.groups], ['ignored', 3, 2, []]);
    assert.deepEqual(plan.result.skipped.map((s) => s.reason), ['verified 5 s ago', 'verified 5 s ago']);
  });
});

describe('groupReconciles: one reconcile per cluster and trigger', () => {
  it('launches of a cluster share one reconcile; a person\'s call keeps its own, with its deleted keys', () => {
    const read = readAsgRecords([
      launch('ng-a', 'm1'), launch('ng-b', 'm2'),
      { messageId: 'm3', event: loadSample('on-asg-event/delete-tags.json', { asgName: 'ng-c' }) },
    ], []);
    const found = [managed('ng-a', 'a'), managed('ng-b', 'b'), managed('ng-c', 'c')];
    const { reconciles, skipped, processed } = groupReconciles([...read.pending.values()], found, config(), planning);
    assert.deepEqual([skipped, processed], [[], []]);
    assert.equal(reconciles.length, 2);
    const [launches, person] = reconciles;
    assert.deepEqual([launches!.target.clusterName, launches!.asgNames, launches!.messageIds, launches!.target.trigger.resourceId], ['prod', ['ng-a', 'ng-b'], ['m1', 'm2'], 'ng-a,ng-b']);
    assert.deepEqual(launches!.target.focus, { type: 'auto-scaling-group', id: 'ng-a' });
    assert.deepEqual(launches!.hints.extra, { nodegroupNames: ['a', 'b'], [TAG_DELETIONS]: {} });
    assert.deepEqual(launches!.hints.autoScalingGroups?.map((g) => g.name), ['ng-a', 'ng-b']);
    assert.deepEqual([person!.asgNames, person!.target.trigger.actor, person!.messageIds], [['ng-c'], PERSON, ['m3']]);
    assert.deepEqual(person!.hints.extra?.[TAG_DELETIONS], { 'ng-c': { keys: ['k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu'], actor: PERSON } });
  });

  it('leaves alone what is gone, tied to no cluster, already processed or exempt (a launch says nothing about tags)', () => {
    const read = readAsgRecords(['gone', 'loose', 'done', 'exempt'].map((n, i) => launch(n, `m${i}`)), []);
    const found = [asg('loose', { team: 'ml' }), managed('done', 'd', done), managed('exempt', 'e', { 'eks-guardrails/exempt': 'true' })];
    const { reconciles, skipped, processed } = groupReconciles([...read.pending.values()], found, config(), planning);
    assert.deepEqual(reconciles, []);
    assert.deepEqual(skipped, [
      { asg: 'gone', reason: 'Auto Scaling group not found (deleted)' },
      { asg: 'loose', reason: 'no tie to any EKS cluster: left alone' },
      { asg: 'done', reason: 'already processed (tags in place); a launch says nothing about tags' },
      { asg: 'exempt', reason: 'already processed (tags in place); a launch says nothing about tags' },
    ]);
    assert.deepEqual(processed, ['done', 'exempt']);
  });
});

describe('after the reconcile', () => {
  const result = (actions: ActionResult[]) => ({ actions }) as unknown as ReconcileResult;
  const tagged = (key: string, status: ActionResult['status']) => ({ status, action: { kind: 'TagAsg', tags: [{ key }] } }) as unknown as ActionResult;

  it('restoredKeys: the deleted keys an applied TagAsg wrote back', () => {
    const read = readAsgRecords([{ messageId: 'm1', event: loadSample('on-asg-event/delete-tags.json', { asgName: 'ng' }) }], []);
    const [planned] = groupReconciles([...read.pending.values()], [managed('ng', 'gpu')], config(), planning).reconciles;
    const key = 'k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu';
    assert.deepEqual(restoredKeys(planned!, result([tagged(key, 'applied')])), [key]);
    assert.deepEqual(restoredKeys(planned!, result([tagged(key, 'planned')])), []);
  });

  it('converged: every action applied or skipped (a dry-run plan is looked at again)', () => {
    assert.equal(converged(result([tagged('k', 'applied'), tagged('k', 'skipped')])), true);
    assert.equal(converged(result([tagged('k', 'planned')])), false);
  });
});
