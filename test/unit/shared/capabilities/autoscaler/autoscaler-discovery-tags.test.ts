import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoscalerDiscoveryTags } from '../../../../../shared/capabilities/autoscaler/autoscaler-discovery-tags.ts';
import { autoscalerNodeTemplateTags } from '../../../../../shared/capabilities/autoscaler/autoscaler-node-template-tags.ts';
import { plan } from '../../../../../shared/engine/plan.ts';
import type { AutoScalingGroupState, NodegroupState, TagAsgAction } from '../../../../../shared/types/index.ts';
import { config, snapshot } from '../../../../support/snapshots.ts';
import { CHECK_NAMES } from '../../../../../shared/capabilities/names.ts';

const T = 'k8s.io/cluster-autoscaler/node-template/';
const asg = (name: string, tags: Record<string, string>, minSize = 0): AutoScalingGroupState => ({
  name, minSize, maxSize: 5, desiredCapacity: minSize, availabilityZones: ['us-east-1a'],
  tags: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
});
const nodegroup = (name: string, asgName: string, labels: Record<string, string> = {}): NodegroupState => ({
  name, clusterName: 'prod', status: 'ACTIVE', labels, taints: [], instanceTypes: [], subnets: [], autoScalingGroupNames: [asgName],
});
const managedTags = { 'eks:cluster-name': 'prod', 'eks:nodegroup-name': 'gpu', 'kubernetes.io/cluster/prod': 'owned' };

describe('autoscaler-discovery-tags', () => {
  it('adds the two discovery tags to a self-managed ASG, and never eks:*', () => {
    const out = autoscalerDiscoveryTags.run(snapshot({ nodegroups: [], autoScalingGroups: [asg('workers', { 'kubernetes.io/cluster/prod': 'shared' })] }), config());
    const action = out.actions[0] as TagAsgAction;
    assert.deepEqual(action.tags.map((t) => `${t.key}=${t.value}`), [
      'k8s.io/cluster-autoscaler/enabled=true', 'k8s.io/cluster-autoscaler/prod=owned', 'eks-guardrails/discovery-keys=enabled prod',
    ]);
    assert.ok(action.tags.every((t) => !t.propagateAtLaunch && !t.key.startsWith('eks:')));
  });

  it('adds nothing to an ASG saying enabled=false, and skips an ASG of another cluster', () => {
    const out = autoscalerDiscoveryTags.run(snapshot({
      nodegroups: [],
      autoScalingGroups: [asg('off', { 'kubernetes.io/cluster/prod': 'owned', 'k8s.io/cluster-autoscaler/enabled': 'false' }), asg('other', { 'kubernetes.io/cluster/dev': 'owned' })],
    }), config());
    assert.deepEqual(out.findings.map((f) => [f.id, f.severity, f.quiet]), [['autoscaler-discovery-tags:off:enabled-false', 'info', true]]);
    assert.match(out.findings[0]!.title, /not discovered by cluster-autoscaler/);
    assert.deepEqual(out.actions, []);
  });

  it('says CA still manages a group with enabled=false when both keys are there (discovery matches keys)', () => {
    const tags = { 'kubernetes.io/cluster/prod': 'owned', 'k8s.io/cluster-autoscaler/enabled': 'false', 'k8s.io/cluster-autoscaler/prod': 'owned' };
    const out = autoscalerDiscoveryTags.run(snapshot({ nodegroups: [], autoScalingGroups: [asg('off', tags)] }), config());
    const f = out.findings.find((x) => x.id === 'autoscaler-discovery-tags:off:enabled-false')!;
    assert.deepEqual([f.severity, f.quiet], ['medium', undefined]);
    assert.match(f.title, /cluster-autoscaler still manages it: its discovery matches tag keys, not values/);
    assert.match(f.fixHint, /delete the tag k8s\.io\/cluster-autoscaler\/enabled/);
    // No discovery key is written; only our record of the keys found (so deleting one later is respected).
    assert.deepEqual(out.actions.flatMap((a) => (a as TagAsgAction).tags.map((t) => `${t.key}=${t.value}`)), ['eks-guardrails/discovery-keys=enabled prod']);
  });

  it('an ASG carrying the exemption tag is reported, not changed', () => {
    const s = snapshot({ nodegroups: [], autoScalingGroups: [asg('workers', { 'kubernetes.io/cluster/prod': 'owned', 'eks-guardrails/exempt': 'autoscaler-discovery-tags' })] });
    const p = plan([autoscalerDiscoveryTags], s, config(), CHECK_NAMES);
    assert.equal(p.findings[0]!.exempt, true);
    assert.deepEqual(p.actions.map((a) => [a.executable, a.reason]), [[false, 'exempt by tag eks-guardrails/exempt']]);
  });
});

describe('autoscaler-node-template-tags', () => {
  it('tags a managed ASG from its node group, found by listing or by the eks:nodegroup-name tag (a CA that does not read the EKS API)', () => {
    for (const listed of [true, false]) {
      const ng = nodegroup('gpu', listed ? 'eks-gpu-1' : 'not-this-one', { role: 'gpu' });
      const out = autoscalerNodeTemplateTags.run(snapshot({ nodegroups: [ng], autoScalingGroups: [asg('eks-gpu-1', managedTags)] }), config({ GUARDRAILS_CLUSTER_AUTOSCALER_VERSION: '1.23' }));
      const tags = (out.actions.find((a) => a.kind === 'TagAsg') as TagAsgAction).tags;
      assert.deepEqual(tags.map((t) => `${t.key}=${t.value}`), [`${T}label/role=gpu`, 'eks-guardrails/node-template-keys=l/role'], `listed=${listed}`);
    }
  });

  it('does nothing for a managed ASG whose node group was not observed', () => {
    const out = autoscalerNodeTemplateTags.run(snapshot({ nodegroups: [], autoScalingGroups: [asg('eks-gpu-1', managedTags)] }), config());
    assert.deepEqual([out.findings, out.actions], [[], []]);
  });

  it('warns about a self-managed ASG at minSize 0 without template tags, and only then', () => {
    const bare = asg('workers', { 'kubernetes.io/cluster/prod': 'owned' }, 0);
    const templated = asg('gpu-workers', { 'kubernetes.io/cluster/prod': 'owned', [`${T}label/role`]: 'gpu' }, 0);
    const running = asg('always-on', { 'kubernetes.io/cluster/prod': 'owned' }, 2);
    const out = autoscalerNodeTemplateTags.run(snapshot({ nodegroups: [], autoScalingGroups: [bare, templated, running] }), config());
    assert.deepEqual(out.findings.map((f) => f.id), ['autoscaler-node-template-tags:workers:self-managed-scale-from-zero']);
    assert.deepEqual(out.actions, []);
  });

  it('removes before it writes (frees slots; a failed removal leaves the tag, never deletes a person\'s)', () => {
    const ours = { ...managedTags, [`${T}label/old`]: 'x', 'eks-guardrails/node-template-keys': 'l/old' };
    const out = autoscalerNodeTemplateTags.run(snapshot({ nodegroups: [nodegroup('gpu', 'eks-gpu-1', { role: 'gpu' })], autoScalingGroups: [asg('eks-gpu-1', ours)] }), config({ GUARDRAILS_CLUSTER_AUTOSCALER_VERSION: '1.23' }));
    assert.deepEqual(out.actions.map((a) => a.kind), ['UntagAsg', 'TagAsg']);
    assert.deepEqual(out.actions[0]!.before, { [`${T}label/old`]: 'x' });
  });
});
