import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AssociateVpcCidrBlockCommand, CreateSecurityGroupCommand, DescribeSecurityGroupsCommand, RevokeSecurityGroupIngressCommand, type SecurityGroup } from '@aws-sdk/client-ec2';
import { callLog } from '../../shared/aws/calls.ts';
import { loadSample } from '../../dev/local/samples.ts';
import { seedClients, seedCluster } from '../../dev/local/scenario.ts';
import { handler, type SgEventResult } from '../../functions/on-sg-event/handler.ts';
import { captureBus } from '../support/bus.ts';
import { invokeHandler } from '../support/lambda.ts';
import { useMoto, withEnv } from '../support/moto.ts';

const env = useMoto();

async function describeGroup(groupId: string): Promise<SecurityGroup> {
  const { ec2 } = seedClients(env.moto);
  return (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
}

function selfRules(sg: SecurityGroup) {
  return (sg.IpPermissions ?? []).filter((p) => p.IpProtocol === '-1' && p.UserIdGroupPairs?.some((g) => g.GroupId === sg.GroupId));
}

/** A cluster whose SG lost its self rule (and holds a person's rule that must stay untouched). */
async function driftedCluster(opts: { name?: string; securityGroupTags?: Record<string, string> } = {}) {
  const name = opts.name ?? 'prod';
  const cluster = await seedCluster(env.moto, name, { securityGroupTags: opts.securityGroupTags });
  const { ec2 } = seedClients(env.moto);
  const groupId = cluster.clusterSecurityGroupId;
  await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId }] }] }));
  const { AuthorizeSecurityGroupIngressCommand } = await import('@aws-sdk/client-ec2');
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, IpRanges: [{ CidrIp: '10.9.0.0/16', Description: 'a person\'s rule' }] }] }));
  callLog.reset();
  return { cluster, groupId, event: loadSample('on-sg-event/revoke-self-rule.json', { groupId, clusterName: name }) };
}

const ec2Writes = () => callLog.count({ mutating: true, service: 'EC2' });

describe('on-sg-event on moto', () => {
  it('restores a revoked self rule once with three AWS calls, leaving every other rule untouched', async () => {
    const { groupId, event } = await driftedCluster();
    const before = await describeGroup(groupId);
    const result = await invokeHandler<SgEventResult>(handler, event);
    assert.equal(result.status, 'reconciled');
    assert.deepEqual(result.results[0]!.actions.map((a) => a.status), ['applied']);
    const after = await describeGroup(groupId);
    assert.equal(selfRules(after).length, 1);
    assert.match(selfRules(after)[0]!.UserIdGroupPairs![0]!.Description!, /eks-guardrails/);
    const others = (sg: SecurityGroup) => JSON.stringify([(sg.IpPermissions ?? []).filter((p) => !selfRules(sg).includes(p)), sg.IpPermissionsEgress]);
    assert.equal(others(after), others(before));
    assert.equal(ec2Writes(), 1);
    assert.equal(callLog.count({ service: 'EC2' }) + callLog.count({ service: 'EKS' }), 3, JSON.stringify(callLog.summary()));
  });

  it('is a no-op with two reads when the group is already right', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    callLog.reset();
    await invokeHandler(handler, loadSample('on-sg-event/authorize-flat-legacy.json', { groupId: cluster.clusterSecurityGroupId }));
    assert.equal(callLog.count({ mutating: true }), 0);
    assert.equal(callLog.all().length, 2, JSON.stringify(callLog.summary()));
  });

  it('adds one HTTPS rule per VPC CIDR when configured', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const { ec2 } = seedClients(env.moto);
    await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: cluster.vpcId, CidrBlock: '100.64.0.0/16' }));
    await withEnv({ GUARDRAILS_HTTPS_FROM_VPC: 'true' }, () =>
      invokeHandler(handler, loadSample('on-sg-event/revoke-by-rule-ids.json', { groupId: cluster.clusterSecurityGroupId })));
    const https = ((await describeGroup(cluster.clusterSecurityGroupId)).IpPermissions ?? []).filter((p) => p.IpProtocol === 'tcp' && p.FromPort === 443);
    assert.deepEqual(https.flatMap((p) => p.IpRanges!.map((r) => r.CidrIp)).sort(), ['10.0.0.0/16', '100.64.0.0/16']);
  });

  it('ignores a group that belongs to no cluster, writing nothing', async () => {
    await seedCluster(env.moto, 'prod');
    const { ec2 } = seedClients(env.moto);
    const other = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'unrelated' }));
    callLog.reset();
    const result = await invokeHandler<SgEventResult>(handler, loadSample('on-sg-event/revoke-self-rule.json', { groupId: other.GroupId! }));
    assert.equal(result.status, 'ignored');
    assert.equal(callLog.count({ mutating: true }), 0);
    assert.equal(callLog.count({ service: 'EKS' }), 0);
  });

  it('does no work at all for our own role\'s events', async () => {
    const { groupId } = await driftedCluster();
    const result = await withEnv({ GUARDRAILS_SELF_ROLE_ARN: 'arn:aws:iam::123456789012:role/OnSgEventRole' }, () =>
      invokeHandler<SgEventResult>(handler, loadSample('unmatched/own-authorize.json', { groupId })));
    assert.deepEqual([result.status, result.reason], ['ignored', 'our own change']);
    assert.equal(callLog.all().length, 0);
  });

  it('ignores failed calls (other than a full group)', async () => {
    const { groupId } = await driftedCluster();
    const result = await invokeHandler<SgEventResult>(handler, loadSample('unmatched/failed-authorize-duplicate.json', { groupId }));
    assert.equal(result.status, 'ignored');
    assert.equal(callLog.all().length, 0);
  });

  it('in dry-run makes zero mutating calls and publishes the plan', async () => {
    const { groupId, event } = await driftedCluster();
    const bus = await captureBus(env.moto);
    const result = await withEnv({ GUARDRAILS_MODE: 'dry-run', GUARDRAILS_EVENT_BUS: bus.busName }, () => invokeHandler<SgEventResult>(handler, event));
    assert.deepEqual(result.results[0]!.actions.map((a) => [a.status, a.reason]), [['planned', 'dry-run']]);
    assert.equal(ec2Writes(), 0);
    assert.equal(selfRules(await describeGroup(groupId)).length, 0);
    const published = await bus.drain();
    assert.equal(published.length, 1);
    assert.equal(published[0]!['detail-type'], 'Remediation Planned');
    assert.equal(published[0]!.detail.mode, 'dry-run');
    assert.equal((published[0]!.detail.trigger as { actor: string }).actor, 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jane.doe');
  });

  it('publishes the applied fix with before → after, the trigger and the actor', async () => {
    const { event } = await driftedCluster();
    const bus = await captureBus(env.moto);
    await withEnv({ GUARDRAILS_EVENT_BUS: bus.busName }, () => invokeHandler(handler, event));
    const [applied] = await bus.drain();
    assert.equal(applied!['detail-type'], 'Remediation Applied');
    const d = applied!.detail as { actions: { before: unknown; after: unknown; status: string }[]; trigger: { eventId: string; apiCall: string }; cluster: { name: string }; account: string; region: string };
    assert.deepEqual(d.actions[0]!.before, { selfRule: 'absent' });
    assert.equal(d.actions[0]!.status, 'applied');
    assert.deepEqual([d.trigger.eventId, d.trigger.apiCall], [event.id, 'ec2:RevokeSecurityGroupIngress']);
    assert.deepEqual([d.cluster.name, d.account, d.region], ['prod', '123456789012', 'us-east-1']);
  });

  it('writes once in total when the same event is replayed three times', async () => {
    const { groupId, event } = await driftedCluster();
    for (let i = 0; i < 3; i++) await invokeHandler(handler, event);
    assert.equal(ec2Writes(), 1);
    assert.equal(selfRules(await describeGroup(groupId)).length, 1);
  });

  it('converges with 10 concurrent invocations on one drift: the rule exists once, no errors', async () => {
    const { groupId, event } = await driftedCluster();
    const results = await Promise.all(Array.from({ length: 10 }, () => invokeHandler<SgEventResult>(handler, event)));
    assert.ok(results.every((r) => r.status === 'reconciled'));
    const sg = await describeGroup(groupId);
    assert.equal(selfRules(sg).length, 1);
    assert.equal(selfRules(sg)[0]!.UserIdGroupPairs!.length, 1);
  });

  it('reports but never changes an exempt group', async () => {
    const { groupId, event } = await driftedCluster({ securityGroupTags: { 'eks-guardrails/exempt': 'true' } });
    const result = await invokeHandler<SgEventResult>(handler, event);
    assert.equal(result.results[0]!.findings[0]!.exempt, true);
    assert.deepEqual(result.results[0]!.actions.map((a) => a.status), ['planned']);
    assert.equal(ec2Writes(), 0);
    assert.equal(selfRules(await describeGroup(groupId)).length, 0);
  });

  it('rejects a malformed event with a structured error and changes nothing', async () => {
    await driftedCluster();
    await assert.rejects(invokeHandler(handler, { hello: 'world' }), (err: Error & { code?: string }) => err.code === 'InvalidEvent');
    assert.equal(callLog.all().length, 0);
  });
});

describe('on-sg-event when DescribeCluster names no cluster security group', () => {
  it('takes the group EKS tagged aws:eks:cluster-name as the cluster SG and repairs it', async () => {
    const { ec2, eks } = seedClients(env.moto);
    const { CreateVpcCommand, CreateSubnetCommand } = await import('@aws-sdk/client-ec2');
    const { CreateClusterCommand } = await import('@aws-sdk/client-eks');
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.1.0.0/20' }))).Subnet!.SubnetId!;
    const sg = await ec2.send(new CreateSecurityGroupCommand({
      GroupName: 'eks-cluster-sg-legacy-1', Description: 'cluster sg', VpcId: vpc,
      TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'aws:eks:cluster-name', Value: 'legacy' }, { Key: 'kubernetes.io/cluster/legacy', Value: 'owned' }] }],
    }));
    await eks.send(new CreateClusterCommand({ name: 'legacy', roleArn: 'arn:aws:iam::123456789012:role/r', resourcesVpcConfig: { subnetIds: [subnet] } }));
    callLog.reset();
    const result = await invokeHandler<SgEventResult>(handler, loadSample('on-sg-event/revoke-self-rule.json', { groupId: sg.GroupId!, clusterName: 'legacy' }));
    assert.deepEqual(result.results[0]!.actions.map((a) => a.status), ['applied']);
    assert.equal(selfRules(await describeGroup(sg.GroupId!)).length, 1);
  });
});

