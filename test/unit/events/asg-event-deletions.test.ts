import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deletedKeysOn, parseAsgEvent } from '../../../shared/events/asg-event.ts';
import { loadSample } from '../../../dev/local/samples.ts';

describe('deletedKeysOn', () => {
  it('gives each ASG of one DeleteTags call only the keys removed from it', () => {
    const raw = loadSample('on-asg-event/delete-tags.json', { asgName: 'a' }) as { detail: { requestParameters: { tags: Record<string, string>[] } } };
    raw.detail.requestParameters.tags = [
      { resourceType: 'auto-scaling-group', resourceId: 'a', key: 'k8s.io/cluster-autoscaler/enabled' },
      { resourceType: 'auto-scaling-group', resourceId: 'b', key: 'k8s.io/cluster-autoscaler/prod' },
    ];
    const e = parseAsgEvent(raw, []);
    assert.ok(e.kind === 'cloudtrail');
    assert.deepEqual(e.asgNames, ['a', 'b']);
    assert.deepEqual(deletedKeysOn(e.event, 'a'), ['k8s.io/cluster-autoscaler/enabled']);
    assert.deepEqual(deletedKeysOn(e.event, 'b'), ['k8s.io/cluster-autoscaler/prod']);
  });

  it('is empty for any call but DeleteTags', () => {
    const e = parseAsgEvent(loadSample('on-asg-event/create-or-update-tags.json', { asgName: 'a' }), []);
    assert.ok(e.kind === 'cloudtrail');
    assert.deepEqual(deletedKeysOn(e.event, 'a'), []);
  });
});
