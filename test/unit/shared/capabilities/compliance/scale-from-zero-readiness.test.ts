import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoscalerNodeTemplateTags } from '../../../../../shared/capabilities/autoscaler/autoscaler-node-template-tags.ts';
import { caTemplate, caVersion, tagsCaNeeds } from '../../../../../shared/capabilities/autoscaler/ca-template.ts';
import { parseCaVersion } from '../../../../../shared/config/cluster-autoscaler-version.ts';
import { desiredNodeTemplateTags } from '../../../../../shared/capabilities/autoscaler/autoscaler-tags.ts';
import { scaleFromZeroReadiness } from '../../../../../shared/capabilities/compliance/scale-from-zero-readiness.ts';
import { ConfigError } from '../../../../../shared/errors.ts';
import type { AutoScalingGroupState, NodegroupState, TagAsgAction } from '../../../../../shared/types/index.ts';
import { config, snapshot } from '../../../../support/snapshots.ts';

const T = 'k8s.io/cluster-autoscaler/node-template/';
const asg = (name: string, tags: Record<string, string>, minSize = 0): AutoScalingGroupState => ({
  name, minSize, maxSize: 5, desiredCapacity: minSize, availabilityZones: ['us-east-1a'],
  tags: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
});
const ng = (fields: Partial<NodegroupState> = {}): NodegroupState => ({
  name: 'work', clusterName: 'prod', status: 'ACTIVE', labels: {}, taints: [], instanceTypes: ['m6i.large'], subnets: [],
  autoScalingGroupNames: ['eks-work-1'], diskSize: 80, amiType: 'AL2023_x86_64_STANDARD', capacityType: 'ON_DEMAND', tags: {}, ...fields,
});
const EKS_TAGS = { 'eks:cluster-name': 'prod', 'eks:nodegroup-name': 'work', 'kubernetes.io/cluster/prod': 'owned', 'k8s.io/cluster-autoscaler/enabled': 'true', 'k8s.io/cluster-autoscaler/prod': 'owned' };
const v = (text: string) => caVersion(text);
const run = (n: NodegroupState, tags: Record<string, string> = EKS_TAGS, env: Record<string, string> = {}, minSize = 0) =>
  scaleFromZeroReadiness.run(snapshot({ nodegroups: [n], autoScalingGroups: [asg('eks-work-1', tags, minSize)] }), config(env)).findings;
const ids = (findings: { id: string }[]) => findings.map((f) => f.id.replace('scale-from-zero-readiness:eks-work-1:', '')).sort();

describe('GUARDRAILS_CLUSTER_AUTOSCALER_VERSION', () => {
  it('defaults to the current minor and accepts 1.33, v1.33, 1.33.2', () => {
    assert.equal(parseCaVersion(undefined), '1.36');
    assert.equal(config().clusterAutoscalerVersion, '1.36');
    for (const raw of ['1.33', 'v1.33', '1.33.2', ' 1.33 ']) assert.equal(parseCaVersion(raw), '1.33');
  });

  it('rejects anything else before any AWS call (a guess could drop tags CA still needs)', () => {
    for (const raw of ['latest', '1', '2.1', '1.x', '133', '1.33-eks']) {
      assert.throws(() => config({ GUARDRAILS_CLUSTER_AUTOSCALER_VERSION: raw }), (e: unknown) => e instanceof ConfigError && /GUARDRAILS_CLUSTER_AUTOSCALER_VERSION/.test((e as Error).message));
    }
  });
});

describe('the template cluster-autoscaler builds (ca-template.ts)', () => {
  const tags = (t: Record<string, string>) => Object.entries(t).map(([key, value]) => ({ key, value, propagateAtLaunch: false }));
  const n = ng({ labels: { role: 'batch' }, taints: [{ key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' }, { key: 'spot', effect: 'NO_EXECUTE' }] });

  it('reads the EKS API from 1.24 only, and only with EKS\'s eks:cluster-name and eks:nodegroup-name ASG tags', () => {
    assert.equal(caTemplate(tags(EKS_TAGS), n, v('1.23')).readsApi, false);
    assert.equal(caTemplate(tags(EKS_TAGS), n, v('1.24')).readsApi, true);
    assert.equal(caTemplate(tags({ 'eks:cluster-name': 'prod' }), n, v('1.36')).readsApi, false);
  });

  it('labels: the API\'s (and its diskSize/amiType/nodegroup labels) win over ASG label tags; the OS is always linux', () => {
    const t = caTemplate(tags({ ...EKS_TAGS, [`${T}label/role`]: 'web', [`${T}label/team`]: 'a' }), n, v('1.36'));
    assert.equal(t.labels.role, 'batch');
    assert.equal(t.labels.team, 'a');
    assert.equal(t.labels.diskSize, '80');
    assert.equal(t.labels['eks.amazonaws.com/nodegroup'], 'work');
    assert.equal(t.labels['kubernetes.io/os'], 'linux');
    assert.deepEqual(t.overriddenLabels, [{ label: 'role', asgValue: 'web', apiValue: 'batch' }]);
  });

  it('taints: valueless ones skipped; effects translated from 1.31, passed through untranslated before', () => {
    assert.deepEqual(caTemplate(tags(EKS_TAGS), n, v('1.31')).taints, [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }]);
    assert.deepEqual(caTemplate(tags(EKS_TAGS), n, v('1.30')).taints, [{ key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' }]);
    // An ASG tag without ":<Effect>" is dropped by CA; one with it is read.
    const t = caTemplate(tags({ [`${T}taint/a`]: 'true', [`${T}taint/b`]: ':NoExecute' }), undefined, v('1.36'));
    assert.deepEqual(t.taints, [{ key: 'b', value: '', effect: 'NoExecute' }]);
  });

  it('resources: ASG tags, and from 1.28 the node group\'s own resources tags; unparsable quantities skipped', () => {
    const withNgTag = ng({ tags: { [`${T}resources/aws.amazon.com/neuron`]: '1' } });
    const asgTags = tags({ ...EKS_TAGS, [`${T}resources/ephemeral-storage`]: '80Gi', [`${T}resources/bad`]: 'lots' });
    assert.deepEqual(caTemplate(asgTags, withNgTag, v('1.27')).resources, { 'ephemeral-storage': '80Gi' });
    assert.deepEqual(caTemplate(asgTags, withNgTag, v('1.28')).resources, { 'ephemeral-storage': '80Gi', 'aws.amazon.com/neuron': '1' });
  });

  it('tagsCaNeeds keeps only what the API cannot give: no labels from 1.24, no valued taints from 1.31; valueless taints and disk always', () => {
    const desired = desiredNodeTemplateTags(n).tags;
    const keys = (version: string, t: Record<string, string> = EKS_TAGS) => tagsCaNeeds(desired, n, v(version), t).map((x) => x.key.slice(T.length)).sort();
    assert.deepEqual(keys('1.23'), ['label/role', 'resources/ephemeral-storage', 'taint/dedicated', 'taint/spot']);
    assert.deepEqual(keys('1.30'), ['resources/ephemeral-storage', 'taint/dedicated', 'taint/spot']);
    assert.deepEqual(keys('1.31'), ['resources/ephemeral-storage', 'taint/spot']);
    // Without EKS's tags on the ASG, CA never asks the API: everything is still needed.
    assert.deepEqual(keys('1.36', { 'kubernetes.io/cluster/prod': 'owned' }), keys('1.23'));
  });
});

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

describe('autoscaler-node-template-tags writes only what the configured CA cannot read from the EKS API', () => {
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
