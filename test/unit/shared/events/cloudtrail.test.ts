import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actorOf, errorCodeOf, isOwnChange, parseCloudTrailEvent, triggerOf } from '../../../../shared/events/cloudtrail.ts';
import { InvalidEventError } from '../../../../shared/errors.ts';
import { loadSample } from '../../../../dev/local/samples.ts';

const parse = (path: string) => parseCloudTrailEvent(loadSample(path));

describe('CloudTrail events', () => {
  it('strips the Client. prefix from EC2 error codes', () => {
    assert.equal(errorCodeOf(parse('on-sg-event/authorize-rules-limit-exceeded.json')), 'RulesPerSecurityGroupLimitExceeded');
    assert.equal(errorCodeOf(parse('on-sg-event/revoke-self-rule.json')), undefined);
  });

  it('names the actor by role ARN, or user ARN', () => {
    assert.equal(actorOf(parse('on-sg-event/revoke-self-rule.json')), 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jane.doe');
    assert.equal(actorOf(parse('on-sg-event/revoke-by-rule-ids.json')), 'arn:aws:iam::123456789012:user/ops-bot');
  });

  it('recognises our own role by role ARN or by assumed-role ARN', () => {
    const own = parse('unmatched/own-authorize.json');
    assert.equal(isOwnChange(own, ['arn:aws:iam::123456789012:role/OnSgEventRole']), true);
    assert.equal(isOwnChange(own, ['arn:aws:sts::123456789012:assumed-role/OnSgEventRole/x']), true);
    assert.equal(isOwnChange(own, ['arn:aws:iam::123456789012:role/Other']), false);
    assert.equal(isOwnChange(own, []), false);
    assert.equal(isOwnChange(parse('on-sg-event/revoke-self-rule.json'), ['arn:aws:iam::123456789012:role/OnSgEventRole']), false);
  });

  it('builds a trigger with event id, API call, actor and time', () => {
    assert.deepEqual(triggerOf(parse('on-sg-event/revoke-self-rule.json'), 'sg-1'), {
      kind: 'cloudtrail', eventId: '6f1c2a9e-3b7d-4e21-9a55-0c4a1d2e7b10', source: 'aws.ec2', apiCall: 'ec2:RevokeSecurityGroupIngress',
      actor: 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jane.doe', time: '2026-11-20T09:14:03Z', resourceId: 'sg-1',
    });
  });

  it('rejects what is not a CloudTrail event with a structured error', () => {
    for (const bad of [null, 42, {}, { id: 'x', 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }, { ...loadSample('on-sg-event/revoke-self-rule.json'), detail: { eventName: 'X' } }]) {
      assert.throws(() => parseCloudTrailEvent(bad), (err: unknown) => err instanceof InvalidEventError && err.code === 'InvalidEvent' && Array.isArray(err.details?.issues));
    }
  });
});
