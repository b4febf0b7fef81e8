import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MANAGED_KEYS_TAG, MAX_TAGS_PER_ASG, advertisedTemplate, isMarkerKey, clustersOfAsg, decodeManagedKeys, desiredNodeTemplateTags, encodeManagedKeys,
  isTiedToCluster, isValidTaintValue, looksProcessed, missingDiscoveryTags, planTemplateTags, templateKey, translateEffect,
} from '../../../../../shared/capabilities/autoscaler/autoscaler-tags.ts';
import type { AsgTag } from '../../../../../shared/types/index.ts';

const T = 'k8s.io/cluster-autoscaler/node-template/';
const tag = (key: string, value: string, propagateAtLaunch = true): AsgTag => ({ key, value, propagateAtLaunch });
const asMap = (tags: AsgTag[]) => Object.fromEntries(tags.map((t) => [t.key, t.value]));
const ng = (labels: Record<string, string>, taints: { key: string; value?: string; effect: string }[] = [], diskSize?: number) => ({ labels, taints, diskSize });

describe('taint effects and formats', () => {
  it('translates all three EKS effects to the Kubernetes spelling CA expects', () => {
    assert.equal(translateEffect('NO_SCHEDULE'), 'NoSchedule');
    assert.equal(translateEffect('NO_EXECUTE'), 'NoExecute');
    assert.equal(translateEffect('PREFER_NO_SCHEDULE'), 'PreferNoSchedule');
    assert.equal(translateEffect('NoExecute'), 'NoExecute');
    assert.equal(translateEffect('SOMETIMES'), undefined);
  });

  it('writes `<value>:<Effect>` and `:<Effect>` for a value-less taint', () => {
    const { tags } = desiredNodeTemplateTags(ng({}, [
      { key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' },
      { key: 'dedicated', effect: 'NO_EXECUTE' },
      { key: 'spot', value: 'yes', effect: 'PREFER_NO_SCHEDULE' },
    ]));
    assert.deepEqual(tags.map((t) => [t.key, t.value]), [
      [`${T}taint/nvidia.com/gpu`, 'true:NoSchedule'],
      [`${T}taint/dedicated`, ':NoExecute'],
      [`${T}taint/spot`, 'yes:PreferNoSchedule'],
    ]);
  });

  it("recognises eksctl's effect-less taint value as one CA ignores", () => {
    assert.equal(isValidTaintValue('true'), false);
    assert.equal(isValidTaintValue('true:NoSchedule'), true);
    assert.equal(isValidTaintValue(':NoExecute'), true);
    assert.equal(isValidTaintValue('true:NO_SCHEDULE'), false);
  });

  it('drops an unknown effect and a second effect for the same taint key', () => {
    const { tags, dropped } = desiredNodeTemplateTags(ng({}, [
      { key: 'a', value: '1', effect: 'NO_SCHEDULE' },
      { key: 'a', value: '1', effect: 'NO_EXECUTE' },
      { key: 'b', value: '1', effect: 'WHENEVER' },
    ]));
    assert.deepEqual(tags.map((t) => t.key), [`${T}taint/a`]);
    assert.deepEqual(dropped.map((d) => [d.key, d.reason]), [[`${T}taint/a`, 'duplicate-taint-key'], [`${T}taint/b`, 'unknown-effect']]);
  });
});

describe('labels, resources, order and limits', () => {
  it('orders taints, then labels (sorted), then resources; disk size in GiB', () => {
    const { tags } = desiredNodeTemplateTags(ng({ zone: 'a', role: 'gpu' }, [{ key: 'k', value: 'v', effect: 'NO_SCHEDULE' }], 100));
    assert.deepEqual(tags.map((t) => `${t.key}=${t.value}`), [
      `${T}taint/k=v:NoSchedule`, `${T}label/role=gpu`, `${T}label/zone=a`, `${T}resources/ephemeral-storage=100Gi`,
    ]);
  });

  it('drops keys over 128 characters and values over 256, and keeps a key of exactly 128', () => {
    const fits = 'x'.repeat(128 - `${T}label/`.length);
    const tooLong = `${fits}y`;
    const { tags, dropped } = desiredNodeTemplateTags(ng({ [fits]: 'ok', [tooLong]: 'no', big: 'v'.repeat(257) }));
    assert.deepEqual(tags.map((t) => t.key), [templateKey('label', fits)]);
    assert.equal(templateKey('label', fits).length, 128);
    assert.deepEqual(dropped.map((d) => d.reason).sort(), ['key-too-long', 'value-too-long']);
  });
});

describe('the marker of keys we manage', () => {
  it('round-trips, sorted and compact', () => {
    const keys = [`${T}taint/nvidia.com/gpu`, `${T}label/role`, `${T}resources/ephemeral-storage`];
    const value = encodeManagedKeys(keys);
    assert.equal(value, 'l/role r/ephemeral-storage t/nvidia.com/gpu');
    assert.deepEqual([...decodeManagedKeys(value)].sort(), [...keys].sort());
    assert.deepEqual([...decodeManagedKeys('garbage x/y')], []);
  });
});

describe('planTemplateTags', () => {
  const eks = [tag('eks:cluster-name', 'prod'), tag('eks:nodegroup-name', 'gpu'), tag('kubernetes.io/cluster/prod', 'owned'),
    tag('k8s.io/cluster-autoscaler/enabled', 'true'), tag('k8s.io/cluster-autoscaler/prod', 'owned')];
  const desired = desiredNodeTemplateTags(ng({ role: 'gpu' }, [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }])).tags;

  it('writes every desired tag plus the marker on a fresh ASG, PropagateAtLaunch=false', () => {
    const plan = planTemplateTags(eks, desired, 0);
    assert.deepEqual(plan.put, [
      tag(`${T}taint/nvidia.com/gpu`, 'true:NoSchedule', false), tag(`${T}label/role`, 'gpu', false), tag(MANAGED_KEYS_TAG, 'l/role t/nvidia.com/gpu', false),
    ]);
    assert.deepEqual(plan.remove, []);
  });

  it('is a no-op once converged', () => {
    const converged = [...eks, ...planTemplateTags(eks, desired, 0).put];
    const plan = planTemplateTags(converged, desired, 0);
    assert.deepEqual([plan.put, plan.remove, plan.dropped, plan.conflicts, plan.foreign], [[], [], [], [], []]);
  });

  it('removes a tag we wrote when its label goes, and never one a person wrote', () => {
    const converged = [...eks, ...planTemplateTags(eks, desired, 0).put, tag(`${T}label/team`, 'ml')];
    const withoutRole = desired.filter((t) => !t.key.endsWith('label/role'));
    const plan = planTemplateTags(converged, withoutRole, 0);
    assert.deepEqual(plan.remove, [`${T}label/role`]);
    assert.deepEqual(plan.put, [tag(MANAGED_KEYS_TAG, 't/nvidia.com/gpu', false)]);
    assert.deepEqual(plan.foreign.map((f) => f.key), [`${T}label/team`]);
  });

  it('keeps an empty marker when nothing is left to manage (it also says "processed")', () => {
    const converged = [...eks, ...planTemplateTags(eks, desired, 0).put];
    const plan = planTemplateTags(converged, [], 0);
    assert.deepEqual(plan.remove, [`${T}label/role`, `${T}taint/nvidia.com/gpu`]);
    assert.deepEqual(plan.put, [tag(MANAGED_KEYS_TAG, '', false)]);
    assert.deepEqual(planTemplateTags(eks, [], 0).put, [tag(MANAGED_KEYS_TAG, '', false)]);
    const full = [...eks, ...Array.from({ length: 45 }, (_, i) => tag(`f${i}`, 'x'))];
    assert.deepEqual(planTemplateTags(full, [], 0).put, [], 'no marker when the ASG has no room for it');
  });

  it('tells a processed ASG from one never seen, by tags alone', () => {
    const processed = asMap([...eks, ...planTemplateTags(eks, desired, 0).put]);
    assert.equal(looksProcessed(processed, 'prod'), true);
    assert.equal(looksProcessed(asMap(eks), 'prod'), false, 'managed, no marker yet');
    assert.equal(looksProcessed({ 'kubernetes.io/cluster/prod': 'owned' }, 'prod'), false, 'self-managed without discovery');
    assert.equal(looksProcessed({ 'kubernetes.io/cluster/prod': 'owned', 'k8s.io/cluster-autoscaler/enabled': 'false' }, 'prod'), true, 'enabled=false: we add nothing');
    const optedOut: Record<string, string> = { ...processed, 'eks-guardrails/autoscaler-opt-out': 'enabled' };
    delete optedOut['k8s.io/cluster-autoscaler/enabled'];
    assert.equal(looksProcessed(optedOut, 'prod'), true, 'a recorded opt-out');
    const unrecorded = { ...processed };
    delete unrecorded['k8s.io/cluster-autoscaler/enabled'];
    assert.equal(looksProcessed(unrecorded, 'prod'), false, 'a removal not recorded yet: reconcile (which records it)');
  });

  it("updates our tag's value, reports (never changes) a person's", () => {
    const ours = [...eks, ...planTemplateTags(eks, desired, 0).put];
    const relabelled = desiredNodeTemplateTags(ng({ role: 'cpu' }, [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }])).tags;
    assert.deepEqual(planTemplateTags(ours, relabelled, 0).put, [tag(`${T}label/role`, 'cpu', false)]);
    const theirs = [...eks, tag(`${T}label/role`, 'gpu'), tag(`${T}taint/nvidia.com/gpu`, 'true')];
    const plan = planTemplateTags(theirs, relabelled, 0);
    assert.deepEqual(plan.put, [tag(MANAGED_KEYS_TAG, '', false)], 'only our (empty) record; their tags untouched');
    assert.deepEqual(plan.conflicts.map((c) => [c.key, c.current, c.desired]), [
      [`${T}taint/nvidia.com/gpu`, 'true', 'true:NoSchedule'], [`${T}label/role`, 'gpu', 'cpu'],
    ]);
    assert.match(plan.conflicts[0]!.source, /eksctl#7543/);
  });

  it('restores a recorded tag a person deleted', () => {
    const converged = [...eks, ...planTemplateTags(eks, desired, 0).put];
    const deleted = converged.filter((t) => !t.key.endsWith('taint/nvidia.com/gpu'));
    assert.deepEqual(planTemplateTags(deleted, desired, 0).put, [tag(`${T}taint/nvidia.com/gpu`, 'true:NoSchedule', false)]);
  });

  it('keeps within 50 tags: taints before labels before resources, discovery slots reserved', () => {
    const filler = Array.from({ length: 43 }, (_, i) => tag(`f${i}`, 'x'));
    const many = desiredNodeTemplateTags(ng({ a: '1', b: '2' }, [{ key: 't1', value: 'v', effect: 'NO_SCHEDULE' }, { key: 't2', value: 'v', effect: 'NO_EXECUTE' }], 50)).tags;
    const base = [...eks, ...filler]; // 48 tags
    const plan = planTemplateTags(base, many, 0);
    assert.equal(base.length + plan.put.length - plan.remove.length, MAX_TAGS_PER_ASG);
    assert.deepEqual(plan.managed, [`${T}taint/t1`]);
    assert.deepEqual(plan.dropped.map((d) => d.key), [`${T}taint/t2`, `${T}label/a`, `${T}label/b`, `${T}resources/ephemeral-storage`]);
    // Two discovery tags still to be written: they take the last slots, no template tag fits.
    const noDiscovery = base.filter((t) => !t.key.startsWith('k8s.io/cluster-autoscaler/'));
    const reserved = planTemplateTags(noDiscovery, many, 2);
    assert.equal(noDiscovery.length + reserved.put.length + 2, MAX_TAGS_PER_ASG);
    assert.deepEqual(reserved.managed, [`${T}taint/t1`]);
  });

  it('evicts a label we manage to make room for a new taint (priority)', () => {
    const filler = Array.from({ length: 43 }, (_, i) => tag(`f${i}`, 'x'));
    const labelOnly = desiredNodeTemplateTags(ng({ a: '1' })).tags;
    const start = [...eks, ...filler]; // 48
    const first = [...start, ...planTemplateTags(start, labelOnly, 0).put]; // 50: label + marker
    assert.equal(first.length, 50);
    const withTaint = desiredNodeTemplateTags(ng({ a: '1' }, [{ key: 't', value: 'v', effect: 'NO_SCHEDULE' }])).tags;
    const plan = planTemplateTags(first, withTaint, 0);
    assert.deepEqual(plan.remove, [`${T}label/a`]);
    assert.deepEqual(plan.managed, [`${T}taint/t`]);
    assert.ok(first.length - plan.remove.length + plan.put.filter((t) => !first.some((f) => f.key === t.key)).length <= 50);
  });

  it('records any number of keys: the marker continues in …/2, …/3, each value ≤ 256 characters', () => {
    const labels = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`example.com/label-number-${String(i).padStart(2, '0')}`, 'v']));
    const plan = planTemplateTags(eks, desiredNodeTemplateTags(ng(labels)).tags, 0);
    assert.equal(plan.managed.length, 30, 'every label written: 5 EKS tags + 30 labels + the marker parts fit in 50');
    assert.deepEqual(plan.dropped, []);
    const parts = plan.put.filter((t) => isMarkerKey(t.key));
    assert.deepEqual(parts.map((t) => t.key), [MANAGED_KEYS_TAG, `${MANAGED_KEYS_TAG}/2`, `${MANAGED_KEYS_TAG}/3`, `${MANAGED_KEYS_TAG}/4`]);
    assert.ok(parts.every((t) => t.value.length <= 256 && t.value.length > 0));
    const after = [...eks, ...plan.put];
    assert.equal(after.length, 5 + 30 + 4);
    assert.deepEqual([...decodeManagedKeys(asMap(after))].sort(), plan.managed);
    // Converged: nothing to do. Then the node group drops most labels: the spare parts are ours to remove.
    assert.deepEqual(planTemplateTags(after, desiredNodeTemplateTags(ng(labels)).tags, 0).put, []);
    const shrunk = planTemplateTags(after, desiredNodeTemplateTags(ng({ role: 'gpu' })).tags, 0);
    assert.deepEqual(shrunk.remove.filter((k) => isMarkerKey(k)), [`${MANAGED_KEYS_TAG}/2`, `${MANAGED_KEYS_TAG}/3`, `${MANAGED_KEYS_TAG}/4`]);
    assert.equal(shrunk.remove.filter((k) => !isMarkerKey(k)).length, 30);
    assert.deepEqual(shrunk.put.map((t) => `${t.key}=${t.value}`), [`${T}label/role=gpu`, `${MANAGED_KEYS_TAG}=l/role`]);
  });

  it('counts the marker parts in the 50-tag budget', () => {
    const labels = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`example.com/label-number-${String(i).padStart(2, '0')}`, 'v']));
    const plan = planTemplateTags(eks, desiredNodeTemplateTags(ng(labels)).tags, 0);
    const total = eks.length + plan.put.length;
    assert.equal(total, MAX_TAGS_PER_ASG);
    assert.ok(plan.dropped.length > 0 && plan.dropped.every((d) => d.reason === 'tag-limit'));
    assert.equal(decodeManagedKeys(asMap([...eks, ...plan.put])).size, plan.managed.length);
  });
});

describe('cluster ties and discovery', () => {
  it('ties an ASG by cluster tag (owned|shared), EKS or eksctl names, or node group listing; nothing else', () => {
    assert.equal(isTiedToCluster({ 'kubernetes.io/cluster/prod': 'owned' }, 'prod'), true);
    assert.equal(isTiedToCluster({ 'kubernetes.io/cluster/prod': 'shared' }, 'prod'), true);
    assert.equal(isTiedToCluster({ 'kubernetes.io/cluster/prod': 'maybe' }, 'prod'), false);
    assert.equal(isTiedToCluster({ 'alpha.eksctl.io/cluster-name': 'prod' }, 'prod'), true);
    assert.equal(isTiedToCluster({ 'kubernetes.io/cluster/dev': 'owned' }, 'prod'), false);
    assert.equal(isTiedToCluster({ team: 'data' }, 'prod', true), true);
    assert.deepEqual(clustersOfAsg({ 'kubernetes.io/cluster/a': 'owned', 'eks:cluster-name': 'b', team: 'x' }).sort(), ['a', 'b']);
    assert.deepEqual(clustersOfAsg({ team: 'x' }), []);
  });

  it('adds only missing discovery keys, whatever value a present one has', () => {
    assert.deepEqual(missingDiscoveryTags({}, 'prod').map((t) => `${t.key}=${t.value}`), ['k8s.io/cluster-autoscaler/enabled=true', 'k8s.io/cluster-autoscaler/prod=owned']);
    assert.deepEqual(missingDiscoveryTags({ 'k8s.io/cluster-autoscaler/enabled': 'yes', 'k8s.io/cluster-autoscaler/prod': 'shared' }, 'prod'), []);
  });

  it('reads back the template CA will advertise', () => {
    const t = advertisedTemplate([tag(`${T}label/role`, 'gpu'), tag(`${T}taint/nvidia.com/gpu`, 'true:NoSchedule'), tag(`${T}taint/bad`, 'true'), tag(`${T}resources/ephemeral-storage`, '100Gi'), tag('x', 'y')]);
    assert.deepEqual(t, { labels: { role: 'gpu' }, taints: ['nvidia.com/gpu=true:NoSchedule'], resources: { 'ephemeral-storage': '100Gi' } });
  });
});
