import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actorOf, errorCodeOf, isOwnChange, parseCloudTrailEvent, triggerOf } from '../../../shared/events/cloudtrail.ts';
import { clusterNameOf, routeClusterEvent } from '../../../shared/events/cluster-event.ts';
import { clustersOfGroup, securityGroupsOf } from '../../../shared/events/sg-event.ts';
import { InvalidEventError } from '../../../shared/errors.ts';
import { loadSample } from '../../../dev/local/samples.ts';

const parse = (path: string) => parseCloudTrailEvent(loadSample(path));

describe('CloudTrail events', () => {
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

  it('reads the cluster name of EKS calls, URL-decoded, old and new forms', () => {
    assert.equal(clusterNameOf(parse('on-cluster-event/create-cluster.json')), 'prod');
    const old = loadSample('on-cluster-event/create-cluster.json') as { detail: { requestParameters: Record<string, unknown>; responseElements: unknown } };
    old.detail.requestParameters = { clusterName: 'team%2Da' };
    old.detail.responseElements = null;
    assert.equal(clusterNameOf(parseCloudTrailEvent(old)), 'team-a');
  });

  it('routes EKS calls: a node group call to nodegroup-changed, CreateCluster to cluster-created; own and failed calls nowhere', () => {
    assert.deepEqual(routeClusterEvent(parse('on-cluster-event/create-cluster.json'), []), { kind: 'route', route: 'cluster-created', clusterName: 'prod' });
    assert.deepEqual(routeClusterEvent(parse('on-cluster-event/update-nodegroup-config.json'), []), { kind: 'route', route: 'nodegroup-changed', clusterName: 'prod', nodegroupName: 'gpu' });
    const admin = 'arn:aws:iam::123456789012:role/PlatformAdmin';
    assert.deepEqual(routeClusterEvent(parse('on-cluster-event/create-nodegroup.json'), [admin]), { kind: 'ignored', reason: 'our own change' });
    const failed = loadSample('on-cluster-event/create-cluster.json') as { detail: Record<string, unknown> };
    failed.detail.errorCode = 'ResourceInUseException';
    assert.deepEqual(routeClusterEvent(parseCloudTrailEvent(failed), []), { kind: 'ignored', reason: 'failed call (ResourceInUseException)' });
    const nameless = loadSample('on-cluster-event/create-cluster.json') as { detail: Record<string, unknown> };
    nameless.detail.requestParameters = {};
    nameless.detail.responseElements = null;
    assert.throws(() => routeClusterEvent(parseCloudTrailEvent(nameless), []), /names no cluster/);
  });

  it('maps groups to clusters through their tags', () => {
    assert.deepEqual(clustersOfGroup({ 'aws:eks:cluster-name': 'prod', 'kubernetes.io/cluster/prod': 'owned' }), ['prod']);
    assert.deepEqual(clustersOfGroup({ 'kubernetes.io/cluster/a': 'shared', 'kubernetes.io/cluster/b': 'owned' }).sort(), ['a', 'b']);
    assert.deepEqual(clustersOfGroup({ 'kubernetes.io/cluster/a': 'something-else', Name: 'x' }), []);
  });

  it('rejects what is not a CloudTrail event with a structured error', () => {
    for (const bad of [null, 42, {}, { id: 'x', 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }, { ...loadSample('on-sg-event/revoke-self-rule.json'), detail: { eventName: 'X' } }]) {
      assert.throws(() => parseCloudTrailEvent(bad), (err: unknown) => err instanceof InvalidEventError && err.code === 'InvalidEvent' && Array.isArray(err.details?.issues));
    }
  });
});
