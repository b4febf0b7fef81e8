import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoscalerNodeTemplateTags } from '../../../../../shared/capabilities/autoscaler/autoscaler-node-template-tags.ts';
import { OPT_OUT_TAG } from '../../../../../shared/capabilities/autoscaler/autoscaler-tags.ts';
import type { NodegroupState, TagAsgAction } from '../../../../../shared/types/index.ts';
import { config, snapshot } from '../../../../support/snapshots.ts';
import { asgState, gpuNodegroup, NODE_TEMPLATE, WORK_ASG_TAGS, workNodegroup } from '../../../../support/autoscaler-fixtures.ts';

const T = NODE_TEMPLATE;
const asg = (name: string, tags: Record<string, string>, minSize = 0) => asgState(name, tags, { minSize, propagateAtLaunch: true });
const nodegroup = (name: string, asgName: string, labels: Record<string, string> = {}): NodegroupState => ({
  name, clusterName: 'prod', status: 'ACTIVE', labels, taints: [], instanceTypes: [], subnets: [], autoScalingGroupNames: [asgName],
});
const managedTags = { 'eks:cluster-name': 'prod', 'eks:nodegroup-name': 'gpu', 'kubernetes.io/cluster/prod': 'owned' };

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

describe('autoscaler-node-template-tags on a group opted out of discovery', () => {
  const PROD = 'k8s.io/cluster-autoscaler/prod';
  const eks = { 'eks:cluster-name': 'prod', 'eks:nodegroup-name': 'gpu', 'kubernetes.io/cluster/prod': 'owned' };
  // The opt-out scenarios' group: node group gpu's ASG, created by EKS, tags not propagated at launch.
  const asg = (name: string, tags: Record<string, string>) => asgState(name, tags);
  const nodegroup = gpuNodegroup;

  it('the node-template check still restores our template tags on an opted-out group', () => {
    const tags = { ...eks, [PROD]: 'owned', [OPT_OUT_TAG]: 'enabled', 'eks-guardrails/node-template-keys': 'l/role' }; // a person deleted label/role
    const out = autoscalerNodeTemplateTags.run(snapshot({ nodegroups: [nodegroup('eks-gpu-1')], autoScalingGroups: [asg('eks-gpu-1', tags)] }), config({ GUARDRAILS_CLUSTER_AUTOSCALER_VERSION: '1.23' })); // CA reads no labels from the EKS API
    assert.deepEqual((out.actions[0] as TagAsgAction).tags.map((t) => `${t.key}=${t.value}`), [`${T}label/role=gpu`]);
  });
});

describe('autoscaler-node-template-tags writes only what the configured CA cannot read from the EKS API', () => {
  // A managed node group 'work' whose ASG carries EKS's tags; tags not propagated at launch.
  const asg = (name: string, tags: Record<string, string>, minSize = 0) => asgState(name, tags, { minSize });
  const ng = workNodegroup;
  const EKS_TAGS = WORK_ASG_TAGS;
  const n = ng({ labels: { role: 'batch' }, taints: [{ key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' }, { key: 'spot', effect: 'NO_EXECUTE' }] });
  const written = (env: Record<string, string>, tags: Record<string, string> = EKS_TAGS) => {
    const out = autoscalerNodeTemplateTags.run(snapshot({ nodegroups: [n], autoScalingGroups: [asg('eks-work-1', tags)] }), config(env));
    const put = out.actions.find((a) => a.kind === 'TagAsg') as TagAsgAction | undefined;
    return { put: (put?.tags ?? []).map((t) => `${t.key.replace(T, '')}=${t.value}`), out };
  };

  it('1.36 (default): the valueless taint and the disk; 1.30: valued taints too; 1.23: everything', () => {
    assert.deepEqual(written({}).put, ['taint/spot=:NoExecute', 'resources/ephemeral-storage=80Gi', 'eks-guardrails/node-template-keys=r/ephemeral-storage t/spot']);
    assert.deepEqual(written({ GUARDRAILS_CLUSTER_AUTOSCALER_VERSION: '1.30' }).put.slice(0, 3), ['taint/dedicated=batch:NoSchedule', 'taint/spot=:NoExecute', 'resources/ephemeral-storage=80Gi']);
    assert.ok(written({ GUARDRAILS_CLUSTER_AUTOSCALER_VERSION: '1.23' }).put.includes('label/role=batch'));
  });

  it('removes a label tag it wrote before (recorded as ours), and never reports a person\'s tag for what the API gives as foreign', () => {
    const ours = { ...EKS_TAGS, [`${T}label/role`]: 'batch', [`${T}taint/spot`]: ':NoExecute', [`${T}resources/ephemeral-storage`]: '80Gi', 'eks-guardrails/node-template-keys': 'l/role r/ephemeral-storage t/spot' };
    const { out } = written({}, ours);
    assert.deepEqual(out.actions.map((a) => [a.kind, a.kind === 'UntagAsg' ? a.keys : null]), [['UntagAsg', [`${T}label/role`]], ['TagAsg', null]]);
    const person = { ...EKS_TAGS, [`${T}label/role`]: 'batch' };
    assert.deepEqual(written({}, person).out.findings.filter((f) => f.id.includes(':foreign:')), []);
  });
});
