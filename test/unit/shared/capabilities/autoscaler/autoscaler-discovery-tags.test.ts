import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoscalerDiscoveryTags } from '../../../../../shared/capabilities/autoscaler/autoscaler-discovery-tags.ts';
import { TAG_DELETIONS } from '../../../../../shared/capabilities/autoscaler/autoscaler-opt-outs.ts';
import { OPT_OUT_TAG } from '../../../../../shared/capabilities/autoscaler/autoscaler-tags.ts';
import { plan } from '../../../../../shared/engine/plan.ts';
import type { ReconcileResult } from '../../../../../shared/engine/result.ts';
import { toBusEvents } from '../../../../../shared/events/result-events.ts';
import type { TagAsgAction, UntagAsgAction } from '../../../../../shared/types/index.ts';
import { config, snapshot } from '../../../../support/snapshots.ts';
import { CHECK_NAMES } from '../../../../../shared/capabilities/names.ts';
import { asgState, GPU_ASG_TAGS, gpuNodegroup } from '../../../../support/autoscaler-fixtures.ts';

const asg = (name: string, tags: Record<string, string>, minSize = 0) => asgState(name, tags, { minSize, propagateAtLaunch: true });

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

describe('the discovery check with opt-outs', () => {
  const ENABLED = 'k8s.io/cluster-autoscaler/enabled';
  const PROD = 'k8s.io/cluster-autoscaler/prod';
  const PERSON = 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/john.roe';
  // The opt-out scenarios' group: node group gpu's ASG, created by EKS, tags not propagated at launch.
  const eks = GPU_ASG_TAGS;
  const asg = (name: string, tags: Record<string, string>) => asgState(name, tags);
  const nodegroup = gpuNodegroup;
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
});
