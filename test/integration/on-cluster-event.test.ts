import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { callLog } from '../../shared/aws/calls.ts';
import { loadSample } from '../../dev/local/samples.ts';
import { seedClients, seedCluster } from '../../dev/local/scenario.ts';
import { asSqsEvent } from '../../dev/cli/lambda-context.ts';
import { handler, type ClusterEventResult } from '../../functions/on-cluster-event/handler.ts';
import { invokeHandler } from '../support/lambda.ts';
import { useMoto, withEnv } from '../support/moto.ts';

const env = useMoto();

async function retryQueue() {
  const sqs = new SQSClient({ region: 'us-east-1', endpoint: env.moto.endpoint, credentials: { accessKeyId: 't', secretAccessKey: 't' } });
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: `retry-${Date.now()}` }))).QueueUrl!;
  return {
    url,
    async receive() {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, AttributeNames: ['All'] }));
      return r.Messages ?? [];
    },
  };
}

async function hasSelfRule(groupId: string): Promise<boolean> {
  const { ec2 } = seedClients(env.moto);
  const sg = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
  return (sg.IpPermissions ?? []).some((p) => p.IpProtocol === '-1' && p.UserIdGroupPairs?.some((g) => g.GroupId === groupId));
}

describe('on-cluster-event on moto', () => {
  it('repairs the baseline of a new cluster that is already ACTIVE', async () => {
    const cluster = await seedCluster(env.moto, 'prod', { withoutSelfRule: true });
    const result = await invokeHandler<ClusterEventResult>(handler, loadSample('on-cluster-event/create-cluster.json'));
    assert.equal(result.status, 'reconciled');
    assert.equal(await hasSelfRule(cluster.clusterSecurityGroupId), true);
  });

  it('defers a CREATING cluster through the retry queue, then repairs it when the delayed message comes back', async () => {
    const cluster = await seedCluster(env.moto, 'prod', { withoutSelfRule: true, status: 'CREATING' });
    const queue = await retryQueue();
    await withEnv({ GUARDRAILS_RETRY_QUEUE_URL: queue.url, GUARDRAILS_RETRY_BASE_DELAY_SECONDS: '0' }, async () => {
      const first = await invokeHandler<ClusterEventResult>(handler, loadSample('on-cluster-event/create-cluster.json'));
      assert.equal(first.status, 'deferred');
      assert.ok(first.status === 'deferred' && first.attempt === 1);
      assert.equal(callLog.count({ service: 'EC2', mutating: true }), 0);
      const messages = await queue.receive();
      assert.equal(messages.length, 1);
      const body = JSON.parse(messages[0]!.Body!) as { attempt: number; deferredEvent: { id: string } };
      assert.equal(body.attempt, 1);
      assert.equal(body.deferredEvent.id, 'd2f4a6c8-0e2a-4c4e-8a6c-0e2a4c6e8a0c');

      await env.moto.patchCluster('prod', { status: 'ACTIVE' });
      const batch = asSqsEvent([], 'retry');
      batch.Records = [{ ...asSqsEvent([{}], 'retry').Records[0]!, body: messages[0]!.Body! }];
      const second = await invokeHandler<{ batchItemFailures: unknown[] }>(handler, batch);
      assert.deepEqual(second.batchItemFailures, []);
      assert.equal(await hasSelfRule(cluster.clusterSecurityGroupId), true);
    });
  });

  it('gives up into the DLQ path after the last attempt (the record fails)', async () => {
    await seedCluster(env.moto, 'prod', { status: 'CREATING' });
    const queue = await retryQueue();
    await withEnv({ GUARDRAILS_RETRY_QUEUE_URL: queue.url, GUARDRAILS_RETRY_MAX_ATTEMPTS: '3' }, async () => {
      const record = asSqsEvent([{ deferredEvent: loadSample('on-cluster-event/create-cluster.json'), attempt: 2 }], 'retry');
      const out = await invokeHandler<{ batchItemFailures: { itemIdentifier: string }[] }>(handler, record);
      assert.deepEqual(out.batchItemFailures, [{ itemIdentifier: record.Records[0]!.messageId }]);
      assert.equal((await queue.receive()).length, 0);
    });
  });

  it('fails (rather than drops) a not-ready cluster when no retry queue is configured', async () => {
    await seedCluster(env.moto, 'prod', { status: 'CREATING' });
    await assert.rejects(invokeHandler(handler, loadSample('on-cluster-event/create-cluster.json')), (err: Error & { code?: string }) => err.code === 'NotReady');
  });

  it('answers a cluster that does not exist without writing', async () => {
    const result = await invokeHandler<ClusterEventResult>(handler, loadSample('on-cluster-event/create-cluster.json', { clusterName: 'nope' }));
    assert.deepEqual(result, { status: 'ignored', reason: 'cluster nope does not exist' });
    assert.equal(callLog.count({ mutating: true }), 0);
  });
});
