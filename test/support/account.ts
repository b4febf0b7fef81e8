import { DescribeAutoScalingGroupsCommand, AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { DescribeClusterCommand, ListClustersCommand } from '@aws-sdk/client-eks';
import type { MotoServer } from '../../dev/local/moto.ts';
import { seedClients } from '../../dev/local/scenario.ts';

/**
 * Everything the product could change in a region of the local account — security groups with their rules
 * and rule tags, ASG tags, clusters' logging — as one comparable string: equal before and after means
 * "nothing in the account changed".
 */
export async function accountState(moto: MotoServer, region = 'us-east-1'): Promise<string> {
  const { ec2, eks, config } = seedClients(moto, region);
  const asg = new AutoScalingClient(config);
  const groups = (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [];
  const rules = (await ec2.send(new DescribeSecurityGroupRulesCommand({}))).SecurityGroupRules ?? [];
  const asgs = (await asg.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? [];
  const clusters = [];
  for (const name of (await eks.send(new ListClustersCommand({}))).clusters ?? []) {
    const c = (await eks.send(new DescribeClusterCommand({ name }))).cluster!;
    clusters.push({ name, logging: c.logging, tags: c.tags });
  }
  const sorted = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));
  return JSON.stringify({
    groups: sorted(groups.map((g) => ({ id: g.GroupId, tags: g.Tags, in: g.IpPermissions, out: g.IpPermissionsEgress })), (g) => g.id!),
    rules: sorted(rules.map((r) => ({ id: r.SecurityGroupRuleId, tags: r.Tags, description: r.Description })), (r) => r.id!),
    asgs: sorted(asgs.map((a) => ({ name: a.AutoScalingGroupName, tags: sorted(a.Tags ?? [], (t) => t.Key!) })), (a) => a.name!),
    clusters,
  });
}
