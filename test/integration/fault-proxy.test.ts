import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CreateSecurityGroupCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient, ListEventBusesCommand } from '@aws-sdk/client-eventbridge';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { classifyError, errorCode } from '../../shared/aws/errors.ts';
import { FaultProxy, type FaultKind } from '../support/fault-proxy.ts';
import { useMoto } from '../support/moto.ts';

const env = useMoto();

// The harness is only as good as its faults: each must reach the SDK as the service's own error would.
describe('fault proxy', () => {
  let proxy: FaultProxy;
  before(async () => { proxy = await FaultProxy.start(env.moto.endpoint); });
  after(async () => { await proxy?.stop(); });

  const config = () => ({ region: 'us-east-1', endpoint: proxy.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 });
  // [service, operation, call, throttling code, 5xx code]
  const cases: [string, string, () => Promise<unknown>, string, string][] = [
    ['ec2', 'DescribeSecurityGroups', () => new EC2Client(config()).send(new DescribeSecurityGroupsCommand({})), 'RequestLimitExceeded', 'InternalError'],
    ['autoscaling', 'DescribeAutoScalingGroups', () => new AutoScalingClient(config()).send(new DescribeAutoScalingGroupsCommand({})), 'Throttling', 'InternalFailure'],
    ['elasticloadbalancing', 'DescribeLoadBalancers', () => new ElasticLoadBalancingV2Client(config()).send(new DescribeLoadBalancersCommand({})), 'Throttling', 'InternalFailure'],
    ['sts', 'GetCallerIdentity', () => new STSClient(config()).send(new GetCallerIdentityCommand({})), 'Throttling', 'InternalFailure'],
    ['eks', 'GET /clusters', () => new EKSClient(config()).send(new ListClustersCommand({})), 'ThrottlingException', 'ServerException'],
    ['events', 'ListEventBuses', () => new EventBridgeClient(config()).send(new ListEventBusesCommand({})), 'ThrottlingException', 'InternalFailure'],
    ['sqs', 'ListQueues', () => new SQSClient(config()).send(new ListQueuesCommand({})), 'ThrottlingException', 'InternalFailure'],
    ['secretsmanager', 'ListSecrets', () => new SecretsManagerClient(config()).send(new ListSecretsCommand({})), 'ThrottlingException', 'InternalFailure'],
    ['dynamodb', 'ListTables', () => new DynamoDBClient(config()).send(new ListTablesCommand({})), 'ThrottlingException', 'InternalFailure'],
    ['servicequotas', 'GetServiceQuota', () => new ServiceQuotasClient(config()).send(new GetServiceQuotaCommand({ ServiceCode: 'vpc', QuotaCode: 'L-0EA8095F' })), 'ThrottlingException', 'InternalFailure'],
    ['s3', 'GetBucket', () => new S3Client({ ...config(), forcePathStyle: true }).send(new ListBucketsCommand({})), 'SlowDown', 'InternalError'],
  ];

  for (const [service, operation, call, throttleCode, serverCode] of cases) {
    it(`${service}: names the call, and each fault reaches the SDK as that service's error, classified retryable`, async () => {
      const expect: [FaultKind, RegExp][] = [['throttle', new RegExp(`^${throttleCode}$`)], ['server-error', new RegExp(`^${serverCode}$`)], ['drop-request', /./]];
      for (const [kind, code] of expect) {
        proxy.reset();
        proxy.failCall(1, kind);
        const err = await call().then(() => undefined, (e: unknown) => e);
        assert.ok(err, `${service} ${kind}: the call failed`);
        assert.match(errorCode(err), code, `${service} ${kind}: ${errorCode(err)}`);
        assert.equal(classifyError(err), 'retryable', `${service} ${kind}: ${errorCode(err)} ${(err as Error).message}`);
        assert.deepEqual(proxy.calls().map((c) => [c.service, c.operation, c.fault]), [[service, operation, kind]]);
      }
      proxy.reset();
      await call(); // and without a fault it is forwarded untouched
    });
  }

  it('a dropped answer: the write happened, the caller only sees the connection drop', async () => {
    const ec2 = new EC2Client(config());
    proxy.reset();
    proxy.failCall(1, 'drop-response');
    const err = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'written-anyway', Description: 'x' })).then(() => undefined, (e: unknown) => e);
    assert.equal(classifyError(err), 'retryable');
    assert.equal(proxy.calls()[0]!.mutating, true);
    const groups = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['written-anyway'] }] }));
    assert.equal(groups.SecurityGroups?.length, 1);
  });
});
