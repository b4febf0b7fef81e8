import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { REGISTRY } from '../../shared/capabilities/registry.ts';
import { narrowRegistry } from '../../shared/engine/registry.ts';
import { loadConfig } from '../../shared/capabilities/config.ts';
import { seedCluster } from '../../dev/local/scenario.ts';
import { runSweep } from '../../shared/sweep/run-sweep.ts';
import { useMoto } from '../support/moto.ts';
import { mockClient } from 'aws-sdk-client-mock';

const env = useMoto();
const MEMBER = '111111111111';
const ROLE = `arn:aws:iam::${MEMBER}:role/eks-guardrails-member`;
/** Scopes are what this file tests: one check keeps the clusters' findings to the seeded drift. */
const registry = narrowRegistry(REGISTRY, (c) => c.name === 'cluster-sg-baseline');

/** moto routes calls made with AssumeRole credentials to the role's account: a real second account. */
async function memberClients() {
  const base = { region: 'us-east-1', endpoint: env.moto.endpoint, maxAttempts: 1 };
  const sts = new STSClient({ ...base, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const c = (await sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'seed' }))).Credentials!;
  const credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
  return { ec2: new EC2Client({ ...base, credentials }), eks: new EKSClient({ ...base, credentials }) };
}

describe('sweep across accounts on moto', () => {
  it('sweeps a member account through its role, next to our own, and fixes only there what drifted there', async () => {
    await seedCluster(env.moto, 'home');
    const { ec2, eks } = await memberClients();
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.50.0.0/16' }))).Vpc!.VpcId!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.50.0.0/20', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
    const sg = (await ec2.send(new CreateSecurityGroupCommand({
      GroupName: 'eks-cluster-sg-member', Description: 'cluster sg', VpcId: vpc,
      TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'aws:eks:cluster-name', Value: 'member' }, { Key: 'kubernetes.io/cluster/member', Value: 'owned' }] }],
    }))).GroupId!;
    await eks.send(new CreateClusterCommand({ name: 'member', roleArn: `arn:aws:iam::${MEMBER}:role/c`, resourcesVpcConfig: { subnetIds: [subnet] } }));
    await env.moto.patchCluster('member', { clusterSecurityGroupId: sg, vpcId: vpc, account: MEMBER });

    const report = await runSweep({ registry, config: { ...loadConfig(), mode: 'enforce' }, scopes: [{ region: 'us-east-1' }, { region: 'us-east-1', roleArn: ROLE }] });
    assert.deepEqual(report.scopes, [{ account: '123456789012', region: 'us-east-1' }, { account: MEMBER, region: 'us-east-1' }]);
    assert.deepEqual(report.clusters.map((c) => `${c.account}/${c.name}:${c.status}`), ['123456789012/home:pass', `${MEMBER}/member:pass`]);
    const fixed = report.clusters[1]!.findings.find((f) => f.id === `cluster-sg-baseline:${sg}:self-ingress`);
    assert.equal(fixed?.state, 'fixed');
    assert.equal(report.calls.byOperation['STS.AssumeRole'], 1);
    const after = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sg] }))).SecurityGroups![0]!;
    assert.ok(after.IpPermissions?.some((p) => p.IpProtocol === '-1' && p.UserIdGroupPairs?.some((g) => g.GroupId === sg)), 'the self rule is back, in the member account');
  });

  it('a member role that cannot be assumed is reported, and the other scopes are still swept', async () => {
    await seedCluster(env.moto, 'home');
    const sts = mockClient(STSClient);
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('not authorized to perform sts:AssumeRole'), { name: 'AccessDenied' }));
    try {
      const report = await runSweep({ registry, config: { ...loadConfig(), mode: 'dry-run' }, scopes: [{ region: 'us-east-1', roleArn: 'arn:aws:iam::222222222222:role/eks-guardrails-member' }, { region: 'us-east-1' }] });
      assert.equal(report.scopes[0]!.account, '222222222222');
      assert.match(report.scopes[0]!.error ?? '', /^AccessDenied: not authorized/);
      assert.deepEqual(report.clusters.map((c) => `${c.account}/${c.name}:${c.status}`), ['123456789012/home:pass']);
    } finally {
      sts.restore();
    }
  });
});
