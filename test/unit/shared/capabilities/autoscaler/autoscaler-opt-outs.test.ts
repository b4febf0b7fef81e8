import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planDiscovery } from '../../../../../shared/capabilities/autoscaler/autoscaler-opt-outs.ts';
import { DISCOVERY_RECORD_TAG, MAX_TAGS_PER_ASG, OPT_OUT_TAG } from '../../../../../shared/capabilities/autoscaler/autoscaler-tags.ts';

const ENABLED = 'k8s.io/cluster-autoscaler/enabled';
const PROD = 'k8s.io/cluster-autoscaler/prod';
const PERSON = 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/john.roe';
const eks = { 'eks:cluster-name': 'prod', 'eks:nodegroup-name': 'gpu', 'kubernetes.io/cluster/prod': 'owned' };
const self = { 'kubernetes.io/cluster/prod': 'owned' };
const filler = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`cost/center-${i}`, `v${i}`]));

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
