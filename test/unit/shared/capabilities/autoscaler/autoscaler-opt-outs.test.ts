import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoscalerDiscoveryTags } from '../../../../../shared/capabilities/autoscaler/autoscaler-discovery-tags.ts';
import { autoscalerNodeTemplateTags } from '../../../../../shared/capabilities/autoscaler/autoscaler-node-template-tags.ts';
import { TAG_DELETIONS, planDiscovery } from '../../../../../shared/capabilities/autoscaler/autoscaler-opt-outs.ts';
import { DISCOVERY_RECORD_TAG, MAX_TAGS_PER_ASG, OPT_OUT_TAG } from '../../../../../shared/capabilities/autoscaler/autoscaler-tags.ts';
import { toBusEvents } from '../../../../../shared/events/result-events.ts';
import type { ReconcileResult } from '../../../../../shared/engine/result.ts';
import type { AutoScalingGroupState, NodegroupState, TagAsgAction, UntagAsgAction } from '../../../../../shared/types/index.ts';
import { config, snapshot } from '../../../../support/snapshots.ts';

const ENABLED = 'k8s.io/cluster-autoscaler/enabled';
const PROD = 'k8s.io/cluster-autoscaler/prod';
const T = 'k8s.io/cluster-autoscaler/node-template/';
const PERSON = 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/john.roe';
const eks = { 'eks:cluster-name': 'prod', 'eks:nodegroup-name': 'gpu', 'kubernetes.io/cluster/prod': 'owned' };
const self = { 'kubernetes.io/cluster/prod': 'owned' };
const filler = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`cost/center-${i}`, `v${i}`]));
const asg = (name: string, tags: Record<string, string>): AutoScalingGroupState => ({
  name, minSize: 0, maxSize: 5, desiredCapacity: 0, availabilityZones: ['us-east-1a'],
  tags: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
});
const nodegroup = (asgName: string, extra: Partial<NodegroupState> = {}): NodegroupState => ({
  name: 'gpu', clusterName: 'prod', status: 'ACTIVE', labels: { role: 'gpu' }, taints: [], instanceTypes: [], subnets: [], autoScalingGroupNames: [asgName], ...extra,
});

describe('planDiscovery: who removed a discovery key, and what we may write', () => {
  it('a self-managed ASG that never had the keys gets both, with our record of writing them', () => {
    const p = planDiscovery(self, 'prod', 'self-managed');
    assert.deepEqual(p.optedOut, []);
    assert.deepEqual(p.add.map((t) => `${t.key}=${t.value}`), [`${ENABLED}=true`, `${PROD}=owned`, `${DISCOVERY_RECORD_TAG}=enabled prod`]);
    assert.equal(p.newSlots, 3);
  });

  it('a self-managed ASG whose keys someone else wrote: we remember them (no key written), if there is room', () => {
    const p = planDiscovery({ ...self, [ENABLED]: 'true', [PROD]: 'owned' }, 'prod', 'self-managed');
    assert.deepEqual([p.add, p.remember?.value, p.newSlots], [[], 'enabled prod', 1]);
    assert.equal(planDiscovery({ ...self, [ENABLED]: 'true', [PROD]: 'owned', [DISCOVERY_RECORD_TAG]: 'enabled prod' }, 'prod', 'self-managed').remember, undefined);
    assert.equal(planDiscovery({ ...self, [ENABLED]: 'true', [PROD]: 'owned', ...filler(47) }, 'prod', 'self-managed').remember, undefined, 'no room: nothing');
    assert.equal(planDiscovery({ ...eks, [ENABLED]: 'true', [PROD]: 'owned' }, 'prod', 'managed').remember, undefined, 'managed: EKS is the proof');
  });

  it('the DeleteTags event of a person is an opt-out: recorded, never re-added', () => {
    const tags = { ...self, [PROD]: 'owned' }; // enabled was just removed by a person; no record of ours
    const p = planDiscovery(tags, 'prod', 'self-managed', { keys: [ENABLED], actor: PERSON });
    assert.deepEqual(p.optedOut, [{ key: ENABLED, evidence: 'deleted-by-person' }]);
    assert.deepEqual(p.add, []);
    assert.deepEqual(p.record, { before: null, after: 'enabled' });
  });

  it('without the event: a managed ASG lacking a key lost it to a person (EKS writes both)', () => {
    const p = planDiscovery({ ...eks, [ENABLED]: 'true' }, 'prod', 'managed');
    assert.deepEqual(p.optedOut, [{ key: PROD, evidence: 'eks-wrote-it' }]);
    assert.deepEqual([p.add, p.record?.after], [[], 'prod']);
  });

  it('without the event: a self-managed key our record lists, now gone, was removed by a person', () => {
    const p = planDiscovery({ ...self, [PROD]: 'owned', [DISCOVERY_RECORD_TAG]: 'enabled prod' }, 'prod', 'self-managed');
    assert.deepEqual(p.optedOut, [{ key: ENABLED, evidence: 'we-wrote-it' }]);
    assert.deepEqual(p.add, [], 'the other key is not touched either');
  });

  it('a recorded opt-out stays: no write at all (no record change, no key)', () => {
    const p = planDiscovery({ ...eks, [PROD]: 'owned', [OPT_OUT_TAG]: 'enabled' }, 'prod', 'managed');
    assert.deepEqual([p.optedOut, p.add, p.record, p.newSlots], [[{ key: ENABLED, evidence: 'recorded' }], [], undefined, 0]);
  });

  it('keys put back by a person withdraw the opt-out: our record is removed, nothing else', () => {
    const p = planDiscovery({ ...eks, [ENABLED]: 'true', [PROD]: 'owned', [OPT_OUT_TAG]: 'enabled' }, 'prod', 'managed');
    assert.deepEqual([p.withdrawn, p.record, p.add], [[ENABLED], { before: 'enabled', after: null }, []]);
  });

  it("a person's deletion of our opt-out tag (its event) is the undo: the keys are added again", () => {
    const p = planDiscovery({ ...eks, [PROD]: 'owned' }, 'prod', 'managed', { keys: [OPT_OUT_TAG], actor: PERSON });
    assert.equal(p.undo, true);
    assert.deepEqual(p.add.map((t) => t.key), [ENABLED]);
  });

  it('keeps other clusters’ entries in a shared ASG’s record', () => {
    const p = planDiscovery({ ...self, [PROD]: 'owned', [OPT_OUT_TAG]: 'dev' }, 'prod', 'self-managed', { keys: [ENABLED] });
    assert.equal(p.record?.after, 'dev enabled');
  });

  it('enabled=false: nothing added, even the missing cluster key', () => {
    const p = planDiscovery({ ...self, [ENABLED]: 'false' }, 'prod', 'self-managed');
    assert.deepEqual([p.enabledFalse, p.missing, p.add], [true, [PROD], []]);
  });

  it('49 tags: two discovery keys do not fit, so none is written (CA needs both) and both are dropped', () => {
    const p = planDiscovery({ ...self, ...filler(48) }, 'prod', 'self-managed');
    assert.deepEqual(p.add, []);
    assert.deepEqual(p.dropped.map((d) => d.key), [ENABLED, PROD]);
  });

  it('48 tags: both keys fit, our record does not (reported, not written)', () => {
    const p = planDiscovery({ ...self, ...filler(47) }, 'prod', 'self-managed');
    assert.deepEqual(p.add.map((t) => t.key), [ENABLED, PROD]);
    assert.deepEqual(p.dropped.map((d) => d.key), [DISCOVERY_RECORD_TAG]);
    assert.equal(48 + p.newSlots, MAX_TAGS_PER_ASG);
  });

  it('50 tags: an opt-out that cannot be recorded is still respected', () => {
    const tags = { ...eks, [PROD]: 'owned', ...filler(46) };
    assert.equal(Object.keys(tags).length, 50);
    const p = planDiscovery(tags, 'prod', 'managed');
    assert.deepEqual([p.optedOut.map((o) => o.key), p.add, p.record], [[ENABLED], [], undefined]);
    assert.deepEqual(p.dropped.map((d) => d.key), [OPT_OUT_TAG]);
  });
});

describe('the discovery check with opt-outs', () => {
  const deletion = { [TAG_DELETIONS]: { 'eks-gpu-1': { keys: [ENABLED], actor: PERSON } } };

  it('records a fresh opt-out once: an info finding with the undo, and one TagAsg of our record only', () => {
    const s = snapshot({ nodegroups: [nodegroup('eks-gpu-1')], autoScalingGroups: [asg('eks-gpu-1', { ...eks, [PROD]: 'owned' })], extra: deletion });
    const out = autoscalerDiscoveryTags.run(s, config());
    const f = out.findings.find((x) => x.id === 'autoscaler-discovery-tags:eks-gpu-1:opted-out')!;
    assert.equal(f.severity, 'info');
    assert.equal(f.quiet, undefined);
    assert.match(f.title, /john\.roe removed k8s\.io\/cluster-autoscaler\/enabled.*will not add it back/);
    assert.match(f.fixHint, /add the key\(s\) again yourself/);
    assert.deepEqual(out.actions.map((a) => [a.kind, (a as TagAsgAction).tags.map((t) => `${t.key}=${t.value}`)]), [['TagAsg', [`${OPT_OUT_TAG}=enabled`]]]);
  });

  it('once recorded, the opt-out is quiet state: listed, not published, no action', () => {
    const s = snapshot({ nodegroups: [nodegroup('eks-gpu-1')], autoScalingGroups: [asg('eks-gpu-1', { ...eks, [PROD]: 'owned', [OPT_OUT_TAG]: 'enabled' })] });
    const out = autoscalerDiscoveryTags.run(s, config());
    assert.deepEqual(out.findings.map((f) => [f.id, f.quiet]), [['autoscaler-discovery-tags:eks-gpu-1:opted-out', true]]);
    assert.deepEqual(out.actions, []);
    const result = { cluster: { name: 'prod' }, account: '1', region: 'us-east-1', mode: 'enforce', trigger: { kind: 'schedule' }, checks: [], findings: out.findings, actions: [], published: 0, status: 'reconciled' } as unknown as ReconcileResult;
    assert.deepEqual(toBusEvents(result, config()), [], 'a quiet finding is never an event');
  });

  it('withdrawal removes our record, with the value seen (a conditional delete)', () => {
    const s = snapshot({ nodegroups: [nodegroup('eks-gpu-1')], autoScalingGroups: [asg('eks-gpu-1', { ...eks, [ENABLED]: 'true', [PROD]: 'owned', [OPT_OUT_TAG]: 'enabled' })] });
    const out = autoscalerDiscoveryTags.run(s, config());
    const a = out.actions[0] as UntagAsgAction;
    assert.deepEqual([a.kind, a.keys, a.before], ['UntagAsg', [OPT_OUT_TAG], { [OPT_OUT_TAG]: 'enabled' }]);
  });

  it('the node-template check still restores our template tags on an opted-out group', () => {
    const tags = { ...eks, [PROD]: 'owned', [OPT_OUT_TAG]: 'enabled', 'eks-guardrails/node-template-keys': 'l/role' }; // a person deleted label/role
    const out = autoscalerNodeTemplateTags.run(snapshot({ nodegroups: [nodegroup('eks-gpu-1')], autoScalingGroups: [asg('eks-gpu-1', tags)] }), config({ GUARDRAILS_CLUSTER_AUTOSCALER_VERSION: '1.23' })); // CA reads no labels from the EKS API
    assert.deepEqual((out.actions[0] as TagAsgAction).tags.map((t) => `${t.key}=${t.value}`), [`${T}label/role=gpu`]);
  });
});

describe('node groups whose ASG is gone', () => {
  it('a listed ASG that does not exist is a high finding at once (DEGRADED, or EKS says AutoScalingGroupNotFound)', () => {
    const notFound = [{ code: 'AutoScalingGroupNotFound', resourceIds: ['eks-gpu-gone'] }];
    for (const [status, healthIssues] of [['DEGRADED', []], ['ACTIVE', notFound]] as const) {
      const out = autoscalerDiscoveryTags.run(snapshot({ nodegroups: [nodegroup('eks-gpu-gone', { status, healthIssues: [...healthIssues] })], autoScalingGroups: [] }), config());
      assert.deepEqual(out.findings.map((f) => [f.id, f.severity, f.resource.type]), [['autoscaler-discovery-tags:gpu:asg-not-found', 'high', 'nodegroup']], status);
      assert.match(out.findings[0]!.title, /has lost its Auto Scaling group eks-gpu-gone/);
      assert.deepEqual(out.actions, []);
    }
  });

  it('EKS health issues are findings; a CREATING or ACTIVE node group without its ASG (EKS has not flagged it) is not', () => {
    const degraded = nodegroup('eks-gpu-1', { status: 'DEGRADED', healthIssues: [{ code: 'AutoScalingGroupNotFound', message: 'ASG not found', resourceIds: ['eks-gpu-1'] }, { code: 'Ec2SubnetNotFound' }] });
    const out = autoscalerDiscoveryTags.run(snapshot({ nodegroups: [degraded], autoScalingGroups: [] }), config());
    assert.deepEqual(out.findings.map((f) => f.id), ['autoscaler-discovery-tags:gpu:asg-not-found', 'autoscaler-discovery-tags:gpu:health:Ec2SubnetNotFound']);
    for (const status of ['CREATING', 'ACTIVE']) {
      const quiet = autoscalerDiscoveryTags.run(snapshot({ nodegroups: [nodegroup('eks-gpu-1', { status })], autoScalingGroups: [] }), config());
      assert.deepEqual(quiet.findings, [], status);
    }
  });
});
