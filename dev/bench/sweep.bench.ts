/**
 * Dry-run sweep of a seeded local account: 50 clusters, 200 managed node groups (with their ASGs),
 * 100 security groups × 50 rules. Prints AWS calls by operation, wall time, and the ratio of calls to
 * the floor: per cluster DescribeCluster + ListNodegroups, per managed node group one DescribeNodegroup,
 * plus the pages of the account-wide listings (ListClusters and the prefetch describes). Target ≤ 1.2.
 */
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, type IpPermission } from '@aws-sdk/client-ec2';
import { callLog } from '../../shared/aws/calls.ts';
import { REGISTRY } from '../../shared/capabilities/registry.ts';
import { loadConfig } from '../../shared/capabilities/config.ts';
import { CLUSTER_POLICIES, NODE_POLICIES, seedRole } from '../local/compliance-scenario.ts';
import { MotoServer } from '../local/moto.ts';
import { seedClients, seedCluster } from '../local/scenario.ts';
import { runSweep } from '../../shared/sweep/run-sweep.ts';
import { onLocalAccount } from './support/local-account.ts';
import { nodegroupSeeder } from './support/nodegroups.ts';
import { pool } from './support/pool.ts';

const CLUSTERS = 50;
const NODEGROUPS_PER_CLUSTER = 4;
const RULES_PER_GROUP = 50;
const TARGET = 1.2;
/** Calls that list or prefetch account-wide, a page each (the floor's "plus pages"). */
const PAGE_OPERATIONS = new Set([
  'EKS.ListClusters', 'EC2.DescribeSecurityGroups', 'EC2.DescribeSecurityGroupRules', 'EC2.DescribeVpcs',
  'AutoScaling.DescribeAutoScalingGroups', 'ElasticLoadBalancingV2.DescribeLoadBalancers', 'ElasticLoadBalancingV2.DescribeTargetGroups',
  'EC2.DescribeVolumes', 'EC2.DescribeSubnets', 'IAM.GetAccountAuthorizationDetails', 'EKS.DescribeClusterVersions',
]);

function rules(seed: number, description: (i: number) => string): IpPermission[] {
  return Array.from({ length: RULES_PER_GROUP }, (_, i) => ({
    IpProtocol: 'tcp', FromPort: 30000 + i, ToPort: 30000 + i, IpRanges: [{ CidrIp: `10.${seed % 250}.${i}.0/24`, Description: description(i) }],
  }));
}

export async function seedBenchAccount(moto: MotoServer): Promise<{ clusters: number; nodegroups: number; groups: number; rules: number }> {
  const { ec2 } = seedClients(moto);
  const seedNodegroup = await nodegroupSeeder(moto);
  // Real accounts have the roles the clusters name: one node role, a cluster role each (iam-role-policies reads them).
  const nodeRole = await seedRole(moto, 'bench-node', NODE_POLICIES);
  let groups = 0;
  await pool(Array.from({ length: CLUSTERS }, (_, i) => i), 6, async (i) => {
    const name = `bench-${String(i).padStart(2, '0')}`;
    await seedRole(moto, `${name}-cluster-role`, CLUSTER_POLICIES, 'eks.amazonaws.com');
    const c = await seedCluster(moto, name, { vpcCidr: `10.${100 + i}.0.0/16` });
    // The cluster SG (50 rules + its self rule) and one cloud-provider node SG per cluster (50 rules): 100 groups.
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: c.clusterSecurityGroupId, IpPermissions: rules(i, (r) => `kubernetes.io/rule/nlb/client=a${String(i).padStart(2, '0')}${String(r).padStart(29, '0')}`) }));
    const node = await ec2.send(new CreateSecurityGroupCommand({
      GroupName: `${name}-nodes`, Description: 'nodes', VpcId: c.vpcId,
      TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: `kubernetes.io/cluster/${name}`, Value: 'owned' }] }],
    }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: node.GroupId!, IpPermissions: rules(i + 100, () => 'app') }));
    groups += 2;
    for (let n = 0; n < NODEGROUPS_PER_CLUSTER; n++) {
      const ng = `${name}-ng${n}`;
      await seedNodegroup({ clusterName: name, name: ng, asgName: `eks-${ng}-${i}${n}`, nodeRole, subnetIds: c.subnetIds, labels: { pool: ng } });
    }
  });
  return { clusters: CLUSTERS, nodegroups: CLUSTERS * NODEGROUPS_PER_CLUSTER, groups, rules: groups * RULES_PER_GROUP };
}

export default function bench(): Promise<void> {
  return onLocalAccount({ GUARDRAILS_EVENT_BUS: undefined }, async (moto) => {
    const t0 = performance.now();
    const seeded = await seedBenchAccount(moto);
    const seedMs = performance.now() - t0;

    callLog.reset();
    const t1 = performance.now();
    const report = await runSweep({ config: { ...loadConfig(), mode: 'dry-run' }, concurrency: 4 });
    const sweepMs = performance.now() - t1;

    const byOp = report.calls.byOperation;
    const pages = Object.entries(byOp).filter(([op]) => PAGE_OPERATIONS.has(op)).reduce((n, [, v]) => n + v, 0);
    const floor = 2 * seeded.clusters + seeded.nodegroups + pages;
    const ratio = report.calls.total / floor;
    const nodegroupsRead = (byOp['EKS.ListNodegroups'] ?? 0) > 0;
    console.log(`seeded      ${seeded.clusters} clusters, ${seeded.nodegroups} node groups, ${seeded.groups} SGs × 50 rules (${seeded.rules} rules) in ${(seedMs / 1000).toFixed(1)} s`);
    console.log(`checks      ${REGISTRY.checks.map((c) => c.name).join(', ')} (facets: ${[...new Set(REGISTRY.checks.flatMap((c) => c.facets))].join(', ')})`);
    console.log(`sweep       dry-run, concurrency 4: ${report.summary.clusters} clusters, ${report.summary.open.total} open findings, ${report.calls.mutating} mutating calls`);
    console.log(`wall time   ${sweepMs.toFixed(0)} ms (${(sweepMs / seeded.clusters).toFixed(1)} ms per cluster)`);
    console.log(`AWS calls   ${report.calls.total}: ${Object.entries(byOp).sort().map(([k, v]) => `${k}×${v}`).join(', ')}`);
    console.log(`floor       ${floor} = 2×${seeded.clusters} (DescribeCluster + ListNodegroups) + ${seeded.nodegroups} DescribeNodegroup + ${pages} pages`);
    console.log(`ratio       ${ratio.toFixed(3)} (target ≤ ${TARGET}) ${ratio <= TARGET ? 'OK' : 'OVER TARGET'}`);
    // scale-from-zero-readiness reads facets the sweep already loads: the same sweep with one switched off makes as many calls.
    for (const check of ['scale-from-zero-readiness']) {
      const without = await runSweep({ config: { ...loadConfig({ GUARDRAILS_CHECK_MODES: `${check}=off` }), mode: 'dry-run' }, concurrency: 4 });
      const added = report.calls.total - without.calls.total;
      console.log(`${check.padEnd(11)} adds ${added} call(s) (${(added / seeded.clusters).toFixed(2)} per cluster): ${report.calls.total} with it, ${without.calls.total} without`);
    }
    if (!nodegroupsRead) console.log('note        no registered check reads node groups yet, so the sweep makes fewer calls than the floor assumes');
    if (report.calls.mutating !== 0) throw new Error(`dry-run made ${report.calls.mutating} mutating calls`);
    if (ratio > TARGET) process.exitCode = 1;
  });
}
