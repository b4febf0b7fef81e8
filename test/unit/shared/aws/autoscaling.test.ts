import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { mockClient } from 'aws-sdk-client-mock';
import { AutoScalingClient, CreateOrUpdateTagsCommand, DeleteTagsCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { createOrUpdateTags, deleteTags, describeAutoScalingGroupsByFilters, describeAutoScalingGroupsByName } from '../../../../shared/aws/autoscaling.ts';
import { classifyError } from '../../../../shared/aws/errors.ts';
import { sdkClients } from '../../../../shared/aws/client.ts';

const asMock = mockClient(AutoScalingClient);
const awsError = (name: string, message: string, status = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe('autoscaling adapter', () => {
  beforeEach(() => {
    process.env.AWS_REGION = 'us-east-1';
    sdkClients.clear();
    asMock.reset();
  });
  afterEach(() => asMock.reset());

  it('reads every page and maps tags', async () => {
    asMock.on(DescribeAutoScalingGroupsCommand)
      .resolvesOnce({ AutoScalingGroups: [{ AutoScalingGroupName: 'a', MinSize: 0, MaxSize: 1, DesiredCapacity: 0, Tags: [{ Key: 'k', Value: 'v', PropagateAtLaunch: true }] } as never], NextToken: 't' })
      .resolvesOnce({ AutoScalingGroups: [{ AutoScalingGroupName: 'b', MinSize: 1, MaxSize: 2, DesiredCapacity: 1 } as never] });
    const groups = await describeAutoScalingGroupsByFilters([{ Name: 'tag-key', Values: ['kubernetes.io/cluster/prod'] }]);
    assert.deepEqual(groups.map((g) => g.name), ['a', 'b']);
    assert.deepEqual(groups[0]!.tags, [{ key: 'k', value: 'v', propagateAtLaunch: true }]);
    assert.equal(asMock.commandCalls(DescribeAutoScalingGroupsCommand)[1]!.args[0].input.NextToken, 't');
  });

  it('refuses an unfiltered account-wide scan', async () => {
    await assert.rejects(describeAutoScalingGroupsByFilters([]), /unfiltered/);
    assert.equal(asMock.calls().length, 0);
  });

  it('de-duplicates names and asks for them in chunks of 50', async () => {
    asMock.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    await describeAutoScalingGroupsByName([...Array.from({ length: 60 }, (_, i) => `asg-${i}`), 'asg-1']);
    assert.deepEqual(asMock.commandCalls(DescribeAutoScalingGroupsCommand).map((c) => c.args[0].input.AutoScalingGroupNames!.length), [50, 10]);
  });

  it('refuses to write keys outside the cluster-autoscaler and eks-guardrails prefixes (never eks:*)', async () => {
    await assert.rejects(createOrUpdateTags('a', [{ key: 'eks:nodegroup-name', value: 'x', propagateAtLaunch: false }]), /refusing/);
    await assert.rejects(deleteTags('a', ['team']), /refusing/);
    assert.equal(asMock.calls().length, 0);
  });

  it('deletes conditionally on the value the plan saw', async () => {
    asMock.on(DeleteTagsCommand).resolves({});
    await deleteTags('a', ['k8s.io/cluster-autoscaler/node-template/label/role', 'eks-guardrails/node-template-keys'], { 'k8s.io/cluster-autoscaler/node-template/label/role': 'gpu' });
    assert.deepEqual(asMock.commandCalls(DeleteTagsCommand)[0]!.args[0].input.Tags, [
      { ResourceId: 'a', ResourceType: 'auto-scaling-group', Key: 'k8s.io/cluster-autoscaler/node-template/label/role', Value: 'gpu' },
      { ResourceId: 'a', ResourceType: 'auto-scaling-group', Key: 'eks-guardrails/node-template-keys' },
    ]);
  });

  it('treats a deleted ASG as done, throttling as retryable, anything else as fatal', async () => {
    const tags = [{ key: 'k8s.io/cluster-autoscaler/enabled', value: 'true', propagateAtLaunch: false }];
    asMock.on(CreateOrUpdateTagsCommand)
      .rejectsOnce(awsError('ValidationException', 'AutoScalingGroup name not found - null'))
      .rejectsOnce(awsError('Throttling', 'Rate exceeded'))
      .rejectsOnce(awsError('ResourceContention', 'pending update', 500))
      .rejectsOnce(awsError('AccessDenied', 'not authorized'));
    assert.equal(await createOrUpdateTags('gone', tags), 'already-done');
    await assert.rejects(createOrUpdateTags('a', tags), (err) => classifyError(err) === 'retryable');
    await assert.rejects(createOrUpdateTags('a', tags), (err) => classifyError(err) === 'retryable');
    await assert.rejects(createOrUpdateTags('a', tags), (err) => classifyError(err) === 'fatal');
  });

  it('writes nothing for an empty tag list', async () => {
    assert.equal(await createOrUpdateTags('a', []), 'already-done');
    assert.equal(await deleteTags('a', []), 'already-done');
    assert.equal(asMock.calls().length, 0);
  });
});
