import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrailEvent } from '../../../../shared/events/cloudtrail.ts';
import { clustersOfGroup, securityGroupsOf } from '../../../../shared/events/sg-event.ts';
import { loadSample } from '../../../../dev/local/samples.ts';

const parse = (path: string) => parseCloudTrailEvent(loadSample(path));

describe('security-group events', () => {
  it('finds the group in every request form', () => {
    for (const sample of ['revoke-self-rule', 'revoke-by-rule-ids', 'authorize-flat-legacy', 'modify-security-group-rules', 'authorize-rules-limit-exceeded']) {
      assert.deepEqual(securityGroupsOf(parse(`on-sg-event/${sample}.json`)).groupIds, ['sg-0123456789abcdef0'], sample);
    }
  });

  it('falls back to the group name for legacy calls that name no id', () => {
    const event = loadSample('on-sg-event/authorize-flat-legacy.json') as { detail: { requestParameters: Record<string, unknown> } };
    delete event.detail.requestParameters.groupId;
    event.detail.requestParameters.groupName = 'default';
    (event.detail as Record<string, unknown>).responseElements = null;
    assert.deepEqual(securityGroupsOf(parseCloudTrailEvent(event)), { groupIds: [], groupNames: ['default'] });
  });

  it('maps groups to clusters through their tags', () => {
    assert.deepEqual(clustersOfGroup({ 'aws:eks:cluster-name': 'prod', 'kubernetes.io/cluster/prod': 'owned' }), ['prod']);
    assert.deepEqual(clustersOfGroup({ 'kubernetes.io/cluster/a': 'shared', 'kubernetes.io/cluster/b': 'owned' }).sort(), ['a', 'b']);
    assert.deepEqual(clustersOfGroup({ 'kubernetes.io/cluster/a': 'something-else', Name: 'x' }), []);
  });
});
