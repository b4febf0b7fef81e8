import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidEventError } from '../../../../shared/errors.ts';
import { deletedKeysOn, parseAsgEvent } from '../../../../shared/events/asg-event.ts';
import { loadSample } from '../../../../dev/local/samples.ts';

const SELF = ['arn:aws:iam::123456789012:role/OnAsgEventRole'];

describe('parseAsgEvent', () => {
  it('reads the ASG of a native launch event', () => {
    const e = parseAsgEvent(loadSample('on-asg-event/instance-launch.json', { asgName: 'eks-a-1' }), SELF);
    assert.equal(e.kind, 'launch');
    assert.deepEqual(e.kind === 'launch' && [e.asgNames, e.trigger.kind, e.trigger.apiCall], [['eks-a-1'], 'native-event', 'EC2 Instance Launch Successful']);
  });

  it('reads requestParameters.autoScalingGroupName, and tags[].resourceId of tag calls (with deleted keys)', () => {
    const created = parseAsgEvent(loadSample('on-asg-event/create-asg-by-eks.json', { asgName: 'eks-a-1' }), SELF);
    assert.deepEqual(created.kind === 'cloudtrail' && created.asgNames, ['eks-a-1']);
    const deleted = parseAsgEvent(loadSample('on-asg-event/delete-tags.json', { asgName: 'eks-a-1' }), SELF);
    assert.ok(deleted.kind === 'cloudtrail');
    assert.deepEqual(deleted.asgNames, ['eks-a-1']);
    assert.deepEqual(deleted.deletedKeys, ['k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu']);
    assert.equal(deleted.trigger.actor, 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/john.roe');
  });

  it('ignores our own calls and failed calls', () => {
    assert.deepEqual(parseAsgEvent(loadSample('unmatched/own-create-or-update-tags.json'), SELF), { kind: 'ignored', reason: 'our own change' });
    assert.deepEqual(parseAsgEvent(loadSample('unmatched/failed-create-or-update-tags.json'), SELF), { kind: 'ignored', reason: 'failed call (ValidationException)' });
  });

  it('rejects events it cannot read', () => {
    const launch = loadSample('on-asg-event/instance-launch.json');
    delete (launch.detail as Record<string, unknown>).AutoScalingGroupName;
    assert.throws(() => parseAsgEvent(launch, SELF), InvalidEventError);
    const tags = loadSample('on-asg-event/create-or-update-tags.json');
    (tags.detail as { requestParameters: Record<string, unknown> }).requestParameters = { tags: [] };
    assert.throws(() => parseAsgEvent(tags, SELF), /names no Auto Scaling group/);
    assert.throws(() => parseAsgEvent({ hello: 'world' }, SELF), InvalidEventError);
  });
});

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
