import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scaleFromZeroReadiness } from '../../../../../shared/capabilities/compliance/scale-from-zero-readiness.ts';
import type { NodegroupState } from '../../../../../shared/types/index.ts';
import { config, snapshot } from '../../../../support/snapshots.ts';
import { asgState, NODE_TEMPLATE, WORK_ASG_TAGS, workNodegroup } from '../../../../support/autoscaler-fixtures.ts';

const T = NODE_TEMPLATE;
const asg = (name: string, tags: Record<string, string>, minSize = 0) => asgState(name, tags, { minSize });
const ng = workNodegroup;
const EKS_TAGS = WORK_ASG_TAGS;
const run = (n: NodegroupState, tags: Record<string, string> = EKS_TAGS, env: Record<string, string> = {}, minSize = 0) =>
  scaleFromZeroReadiness.run(snapshot({ nodegroups: [n], autoScalingGroups: [asg('eks-work-1', tags, minSize)] }), config(env)).findings;
const ids = (findings: { id: string }[]) => findings.map((f) => f.id.replace('scale-from-zero-readiness:eks-work-1:', '')).sort();

describe('scale-from-zero-readiness', () => {
  it('passes a healthy managed group at zero, and ignores groups whose minimum is above zero', () => {
    assert.deepEqual(run(ng({ labels: { role: 'batch' }, taints: [{ key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' }] })), []);
    assert.deepEqual(run(ng({ amiType: 'WINDOWS_CORE_2022_x86_64', instanceTypes: ['inf2.xlarge'] }), EKS_TAGS, {}, 1), []);
  });

  it('declares a sweep-only report check on the node group and ASG facets (no new AWS calls)', () => {
    assert.deepEqual([scaleFromZeroReadiness.triggers, scaleFromZeroReadiness.defaultMode, scaleFromZeroReadiness.facets], [['sweep'], 'report', ['nodegroups', 'autoScalingGroups']]);
  });

  it('finds Windows groups (CA assumes Linux) until the ASG says kubernetes.io/os=windows', () => {
    const windows = ng({ amiType: 'WINDOWS_FULL_2022_x86_64' });
    assert.deepEqual(ids(run(windows)), ['windows']);
    assert.deepEqual(run(windows, { ...EKS_TAGS, [`${T}label/kubernetes.io/os`]: 'windows' }), []);
  });

  it('finds Neuron instance types without a Neuron resource; a node group tag counts from 1.28 only', () => {
    const neuron = ng({ instanceTypes: ['inf2.xlarge'] });
    assert.deepEqual(ids(run(neuron)), ['neuron']);
    assert.deepEqual(run(neuron, { ...EKS_TAGS, [`${T}resources/aws.amazon.com/neuron`]: '1' }), []);
    const ngTagged = ng({ instanceTypes: ['trn1.2xlarge'], tags: { [`${T}resources/aws.amazon.com/neuroncore`]: '2' } });
    assert.deepEqual(run(ngTagged), []);
    assert.deepEqual(ids(run(ngTagged, EKS_TAGS, { GUARDRAILS_CLUSTER_AUTOSCALER_VERSION: '1.27' })), ['neuron']);
    // GPUs are in CA's instance table: no finding.
    assert.deepEqual(run(ng({ instanceTypes: ['g5.xlarge'] })), []);
  });

  it('finds a missing ephemeral-storage only where no disk size is known (launch template, self-managed)', () => {
    assert.deepEqual(ids(run(ng({ diskSize: undefined }))), ['ephemeral-storage']);
    assert.deepEqual(run(ng({ diskSize: undefined }), { ...EKS_TAGS, [`${T}resources/ephemeral-storage`]: '100Gi' }), []);
    const selfManaged = asg('legacy', { 'kubernetes.io/cluster/prod': 'owned', [`${T}label/role`]: 'legacy' });
    const bare = asg('bare', { 'kubernetes.io/cluster/prod': 'owned' });
    const out = scaleFromZeroReadiness.run(snapshot({ nodegroups: [], autoScalingGroups: [selfManaged, bare] }), config()).findings;
    // The bare one advertises no template at all: autoscaler-node-template-tags reports that, not this check.
    assert.deepEqual(out.map((f) => f.id), ['scale-from-zero-readiness:legacy:ephemeral-storage']);
  });

  it('finds valueless taints CA does not see, until the ASG carries them as :<Effect>', () => {
    const n = ng({ taints: [{ key: 'dedicated', effect: 'NO_SCHEDULE' }] });
    assert.deepEqual(ids(run(n)), ['valueless-taint:dedicated']);
    assert.deepEqual(run(n, { ...EKS_TAGS, [`${T}taint/dedicated`]: ':NoSchedule' }), []);
    // eksctl's spelling without ":<Effect>" is dropped by CA: still a finding.
    assert.deepEqual(ids(run(n, { ...EKS_TAGS, [`${T}taint/dedicated`]: 'NoSchedule' })), ['valueless-taint:dedicated']);
  });

  it('finds ASG label tags the API silently overrides (only when CA reads the API)', () => {
    const n = ng({ labels: { role: 'batch' } });
    const tags = { ...EKS_TAGS, [`${T}label/role`]: 'web' };
    const [f] = run(n, tags);
    assert.equal(f!.id, 'scale-from-zero-readiness:eks-work-1:label-overridden:role');
    assert.deepEqual([f!.evidence.asgValue, f!.evidence.apiValue], ['web', 'batch']);
    assert.deepEqual(run(n, tags, { GUARDRAILS_CLUSTER_AUTOSCALER_VERSION: '1.23' }), []);
  });

  it('leaves groups a person took out of CA\'s discovery alone; enabled=false alone is not out (CA matches keys)', () => {
    assert.deepEqual(run(ng({ amiType: 'WINDOWS_CORE_2022_x86_64' }), { ...EKS_TAGS, 'eks-guardrails/autoscaler-opt-out': 'enabled' }), []);
    assert.deepEqual(run(ng({ amiType: 'WINDOWS_CORE_2022_x86_64' }), { ...EKS_TAGS, 'k8s.io/cluster-autoscaler/enabled': 'false' }).map((f) => f.id.split(':').pop()), ['windows']);
  });
});
