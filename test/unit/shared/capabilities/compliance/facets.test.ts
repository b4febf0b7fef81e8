import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { DescribeClusterVersionsCommand, EKSClient } from '@aws-sdk/client-eks';
import { DescribeSubnetsCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetAccountAuthorizationDetailsCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { belongsToCluster, isProvisionedVolume, loadClusterVersions, loadEbsVolumes, loadIamRoles, loadVersions, prefetchComplianceHints } from '../../../../../shared/capabilities/compliance/facets.ts';
import { REGISTRY } from '../../../../../shared/capabilities/registry.ts';
import type { ObserveHints } from '../../../../../shared/types/index.ts';
import type { ClusterSnapshot, EbsVolume } from '../../../../../shared/types/index.ts';
import { nodegroup, snapshot } from '../../../../support/compliance-fixtures.ts';

const eks = mockClient(EKSClient);
const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
afterEach(() => { eks.reset(); ec2.reset(); iam.reset(); });

function clusterSnapshot(name: string): ClusterSnapshot {
  const s = snapshot({ name, roleArn: `arn:aws:iam::123456789012:role/${name}-cluster` });
  s.nodegroups = [nodegroup('a', { subnets: ['subnet-a'] }), nodegroup('b', { subnets: ['subnet-a', 'subnet-b'] })];
  return s;
}

const vol = (id: string, tags: Record<string, string>): EbsVolume => ({ volumeId: id, availabilityZone: 'us-east-1a', tags });

describe('compliance facet loaders', () => {
  it('the registry holds the loaders for IAM, volumes and versions, after the node group loader they read', () => {
    const order = REGISTRY.facetOrder;
    for (const f of ['iamRoles', 'ebsVolumes', 'clusterVersions']) assert.ok(order.indexOf(f) > order.indexOf('nodegroups'), f);
    assert.equal(REGISTRY.loaders.get('iamRoles'), loadIamRoles);
  });

  it('lists a role shared by node groups of several clusters once per sweep', async () => {
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy' }] });
    const hints: ObserveHints = { extra: {} };
    const one = clusterSnapshot('one');
    const two = clusterSnapshot('two');
    await loadIamRoles(one, hints);
    await loadIamRoles(two, hints);
    // one-cluster, two-cluster, and the shared prod-node-role once.
    assert.equal(iam.commandCalls(ListAttachedRolePoliciesCommand).length, 3);
    assert.deepEqual(Object.keys(two.extra.iamRolePolicies as object).sort(), ['prod-node-role', 'two-cluster']);
  });

  it('reads subnets only for clusters that have EBS volumes, and filters account-wide volumes per cluster', async () => {
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-a', AvailabilityZone: 'us-east-1a' }, { SubnetId: 'subnet-b', AvailabilityZone: 'us-east-1b' }] });
    const hints: ObserveHints = { extra: { ebsVolumes: [vol('vol-1', { 'ebs.csi.aws.com/cluster': 'true', 'kubernetes.io/cluster/one': 'owned' })] } };
    const one = clusterSnapshot('one');
    const two = clusterSnapshot('two');
    await loadEbsVolumes(one, hints);
    await loadEbsVolumes(two, hints);
    assert.equal(ec2.commandCalls(DescribeVolumesCommand).length, 0);
    assert.equal(ec2.commandCalls(DescribeSubnetsCommand).length, 1);
    assert.deepEqual(one.extra.subnetAzs, { 'subnet-a': 'us-east-1a', 'subnet-b': 'us-east-1b' });
    assert.deepEqual(two.extra.ebsVolumes, []);
    assert.equal(two.extra.subnetAzs, undefined);
  });

  it('without hints, asks for the cluster\'s volumes by tag key and keeps only provisioned ones', async () => {
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [
      { VolumeId: 'vol-pv', AvailabilityZone: 'us-east-1a', Tags: [{ Key: 'kubernetes.io/cluster/one', Value: 'owned' }, { Key: 'kubernetes.io/created-for/pvc/name', Value: 'data' }] },
      { VolumeId: 'vol-root', AvailabilityZone: 'us-east-1a', Tags: [{ Key: 'kubernetes.io/cluster/one', Value: 'owned' }] },
      { VolumeId: 'vol-other', AvailabilityZone: 'us-east-1a', Tags: [{ Key: 'KubernetesCluster', Value: 'other' }, { Key: 'ebs.csi.aws.com/cluster', Value: 'true' }] },
    ] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [] });
    const one = clusterSnapshot('one');
    await loadEbsVolumes(one, {});
    assert.deepEqual((one.extra.ebsVolumes as EbsVolume[]).map((v) => v.volumeId), ['vol-pv']);
    assert.deepEqual(ec2.commandCalls(DescribeVolumesCommand)[0]!.args[0].input.Filters, [{ Name: 'tag-key', Values: ['kubernetes.io/cluster/one', 'KubernetesCluster'] }]);
  });

  it('attributes volumes by cluster tag and tells PV volumes from others', () => {
    assert.equal(belongsToCluster(vol('v', { KubernetesCluster: 'one' }), 'one'), true);
    assert.equal(belongsToCluster(vol('v', { 'ebs.csi.aws.com/cluster': 'true' }), 'one'), false);
    assert.equal(isProvisionedVolume(vol('v', { 'kubernetes.io/created-for/pvc/namespace': 'db' })), true);
    assert.equal(isProvisionedVolume(vol('v', { Name: 'root' })), false);
  });

  it('uses DescribeClusterVersions when it answers, the built-in calendar when it fails, once per sweep', async () => {
    eks.on(DescribeClusterVersionsCommand).resolves({ clusterVersions: [{ clusterVersion: '1.34', versionStatus: 'STANDARD_SUPPORT', endOfStandardSupportDate: new Date('2026-12-02T00:00:00Z') }] });
    const api = await loadClusterVersions();
    assert.equal(api.source, 'api');
    assert.deepEqual(api.versions[0], { version: '1.34', status: 'STANDARD_SUPPORT', releaseDate: undefined, endOfStandardSupport: '2026-12-02', endOfExtendedSupport: undefined });

    eks.reset();
    eks.on(DescribeClusterVersionsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }));
    const hints: ObserveHints = { extra: {} };
    const a = clusterSnapshot('a');
    const b = clusterSnapshot('b');
    await loadVersions(a, hints);
    await loadVersions(b, hints);
    assert.equal(eks.commandCalls(DescribeClusterVersionsCommand).length, 1);
    const facet = b.extra.clusterVersions as { source: string; apiError: string; versions: unknown[] };
    assert.equal(facet.source, 'built-in');
    assert.match(facet.apiError, /AccessDeniedException/);
    assert.ok(facet.versions.length >= 10);
  });

  it('prefetches volumes, roles and subnets account-wide, a page each', async () => {
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-1', AvailabilityZone: 'us-east-1a', Tags: [{ Key: 'ebs.csi.aws.com/cluster', Value: 'true' }] }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-a', AvailabilityZone: 'us-east-1a' }] });
    eks.on(DescribeClusterVersionsCommand).resolves({ clusterVersions: [{ clusterVersion: '1.34' }] });
    iam.on(GetAccountAuthorizationDetailsCommand).resolves({ RoleDetailList: [
      { RoleName: 'prod-node-role', AttachedManagedPolicies: [{ PolicyName: 'AmazonEKSWorkerNodePolicy', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy' }] },
    ], IsTruncated: false });
    const hints = await prefetchComplianceHints();
    assert.equal(hints.ebsVolumes?.length, 1);
    assert.equal(hints.clusterVersions?.source, 'api');
    assert.deepEqual(hints.iamRolePolicies?.get('prod-node-role'), { roleName: 'prod-node-role', ok: true, policyArns: ['arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy'] });
    assert.equal(hints.subnetAzs?.get('subnet-a'), 'us-east-1a');
    assert.deepEqual(iam.commandCalls(GetAccountAuthorizationDetailsCommand)[0]!.args[0].input.Filter, ['Role']);

    // The loader then lists only roles the prefetch did not see (the cluster role here).
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
    const one = clusterSnapshot('one');
    await loadIamRoles(one, { extra: hints });
    assert.deepEqual(iam.commandCalls(ListAttachedRolePoliciesCommand).map((c) => c.args[0].input.RoleName), ['one-cluster']);
  });

  it('falls back to per-role lookups when GetAccountAuthorizationDetails is refused', async () => {
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [] });
    eks.on(DescribeClusterVersionsCommand).resolves({ clusterVersions: [{ clusterVersion: '1.34' }] });
    iam.on(GetAccountAuthorizationDetailsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    const hints = await prefetchComplianceHints({ subnets: 'per-cluster' });
    assert.equal(hints.iamRolePolicies?.size, 0);
    assert.equal(ec2.commandCalls(DescribeSubnetsCommand).length, 0);
  });

  it('shares one lookup per role between clusters observed concurrently', async () => {
    iam.on(ListAttachedRolePoliciesCommand).callsFake(async () => {
      await new Promise((r) => setTimeout(r, 5));
      return { AttachedPolicies: [] };
    });
    const hints: ObserveHints = { extra: {} };
    await Promise.all(['one', 'two', 'three'].map((n) => loadIamRoles(clusterSnapshot(n), hints)));
    const names = iam.commandCalls(ListAttachedRolePoliciesCommand).map((c) => c.args[0].input.RoleName);
    assert.equal(names.filter((n) => n === 'prod-node-role').length, 1);
    assert.equal(names.length, 4);
  });
});
