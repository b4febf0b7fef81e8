import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caTemplate, caVersion, tagsCaNeeds } from '../../../../../shared/capabilities/autoscaler/ca-template.ts';
import { desiredNodeTemplateTags } from '../../../../../shared/capabilities/autoscaler/autoscaler-tags.ts';
import { NODE_TEMPLATE, WORK_ASG_TAGS, workNodegroup } from '../../../../support/autoscaler-fixtures.ts';

const T = NODE_TEMPLATE;
const ng = workNodegroup;
const EKS_TAGS = WORK_ASG_TAGS;
const v = (text: string) => caVersion(text);

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
