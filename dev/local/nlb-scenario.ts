import {
  AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateTagsCommand, DescribeSecurityGroupRulesCommand,
  type IpPermission, type SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { STALE_SINCE_TAG } from '../../shared/capabilities/nlb-headroom/nlb-rules.ts';
import type { MotoServer } from './moto.ts';
import { seedClients, seedCluster, type SeededCluster } from './scenario.ts';

export const LIVE_NLB = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const DEAD_NLB = 'adeadbeef0123456789abcdef0123456';
export const DEAD_NLB_2 = 'a0ddba11c0ffee0123456789abcdef01';
export const NEW_NLB = 'a5e7c1d2b3a4f5e6d7c8b9a0f1e2d3c4';

const tcp = (port: number, cidr: string, description: string): IpPermission =>
  ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: cidr, Description: description }] });
const mtu = (cidr: string, description = 'kubernetes.io/rule/nlb/mtu'): IpPermission =>
  ({ IpProtocol: 'icmp', FromPort: 3, ToPort: 4, IpRanges: [{ CidrIp: cidr, Description: description }] });
const client = (lb: string, port: number, cidr: string) => tcp(port, cidr, `kubernetes.io/rule/nlb/client=${lb}`);
const health = (lb: string, port: number, cidr: string) => tcp(port, cidr, `kubernetes.io/rule/nlb/health=${lb}`);

export interface NearFullGroup extends SeededCluster {
  groupId: string;
  albBackendGroupId: string;
  /** Descriptions + sources of the rules that must go (the deleted NLBs' rules and MTU rules nobody else uses). */
  staleKeys: string[];
  elbv2: ElasticLoadBalancingV2Client;
}

/** `<description>|<source>|<ports>`: identifies a rule across describes. */
export function ruleKey(r: SecurityGroupRule): string {
  return `${r.Description ?? ''}|${r.CidrIpv4 ?? r.CidrIpv6 ?? r.ReferencedGroupInfo?.GroupId ?? r.PrefixListId}|${r.IpProtocol}:${r.FromPort}-${r.ToPort}`;
}

/**
 * The issue's scenario: a cluster SG at its 60 inbound rules, holding the self rule, a person's rules, an
 * AWS Load Balancer Controller rule, a look-alike description, a live NLB's rules, two deleted NLBs'
 * rules, shared MTU rules and a legacy per-NLB MTU rule.
 */
export async function seedNearFullGroup(moto: MotoServer, clusterName: string, fillTo = 60): Promise<NearFullGroup> {
  const cluster = await seedCluster(moto, clusterName);
  const { ec2, config } = seedClients(moto);
  const elbv2 = new ElasticLoadBalancingV2Client(config);
  const groupId = cluster.clusterSecurityGroupId;
  await elbv2.send(new CreateLoadBalancerCommand({ Name: LIVE_NLB, Type: 'network', Scheme: 'internet-facing', Subnets: cluster.subnetIds }));
  const alb = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `k8s-traffic-${clusterName}`, Description: 'shared backend SG of the AWS Load Balancer Controller', VpcId: cluster.vpcId }));
  const albBackendGroupId = alb.GroupId!;
  const subnets = ['10.0.0.0/20', '10.0.16.0/20'];
  const deadRanges = Array.from({ length: 12 }, (_, i) => `192.0.2.${i}/32`);

  const keep: IpPermission[] = [
    tcp(22, '203.0.113.10/32', 'bastion ssh (jane.doe)'),
    { IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, UserIdGroupPairs: [{ GroupId: albBackendGroupId, Description: 'elbv2.k8s.aws/targetGroupBinding=shared' }] },
    tcp(30999, '0.0.0.0/0', 'kubernetes.io/rule/nlb/client=my-old-service'),
    client(LIVE_NLB, 31000, '0.0.0.0/0'), client(LIVE_NLB, 31000, '198.51.100.0/24'),
    health(LIVE_NLB, 31000, subnets[0]!), health(LIVE_NLB, 31000, subnets[1]!),
    mtu('0.0.0.0/0'), mtu('198.51.100.0/24'),
  ];
  const stale: IpPermission[] = [
    ...[32000, 32001].flatMap((port) => ['0.0.0.0/0', ...deadRanges].map((cidr) => client(DEAD_NLB, port, cidr))),
    health(DEAD_NLB, 32002, subnets[0]!), health(DEAD_NLB, 32002, subnets[1]!),
    ...deadRanges.slice(1).map((cidr) => mtu(cidr)),
    mtu(deadRanges[0]!, `kubernetes.io/rule/nlb/mtu=${DEAD_NLB}`),
    client(DEAD_NLB_2, 32100, '0.0.0.0/0'), health(DEAD_NLB_2, 32100, subnets[0]!),
  ];
  for (const p of [...keep, ...stale]) await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [p] }));
  // A person's app rules fill the group to the limit.
  const used = 1 + keep.length + stale.length;
  for (let i = 0; used + i < fillTo; i++) {
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [tcp(8000 + i, `203.0.113.${100 + i}/32`, 'team-a app')] }));
  }
  const rules = await groupRules(moto, groupId);
  const staleKeys = rules.filter((r) => stale.some((p) => p.IpRanges?.[0]?.Description === r.Description && p.IpRanges?.[0]?.CidrIp === r.CidrIpv4 && p.FromPort === r.FromPort)).map(ruleKey);
  return { ...cluster, groupId, albBackendGroupId, staleKeys, elbv2 };
}

export async function groupRules(moto: MotoServer, groupId: string): Promise<SecurityGroupRule[]> {
  const { ec2 } = seedClients(moto);
  const out = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }));
  return out.SecurityGroupRules ?? [];
}

/** Moves every stale mark back in time, as if the first look had happened `seconds` ago. */
export async function backdateMarks(moto: MotoServer, groupId: string, seconds: number): Promise<number> {
  const { ec2 } = seedClients(moto);
  const marked = (await groupRules(moto, groupId)).filter((r) => r.Tags?.some((t) => t.Key === STALE_SINCE_TAG));
  if (marked.length === 0) return 0;
  const since = new Date(Date.now() - seconds * 1000).toISOString();
  await ec2.send(new CreateTagsCommand({ Resources: marked.map((r) => r.SecurityGroupRuleId!), Tags: [{ Key: STALE_SINCE_TAG, Value: since }] }));
  return marked.length;
}

/** The new Service's rules: one client rule on a fresh NodePort, two health rules. */
export function newServiceRules(): IpPermission[] {
  return [client(NEW_NLB, 31500, '0.0.0.0/0'), health(NEW_NLB, 31500, '10.0.0.0/20'), health(NEW_NLB, 31500, '10.0.16.0/20')];
}

export interface LiveServiceOptions {
  /** The load balancer name (the provider's `a` + 31 hex digits). */
  name: string;
  nodePort: number;
  /** `traffic-port` (the default) or a port number, as the provider sets it. */
  healthCheckPort?: string;
  protocol?: 'TCP' | 'UDP' | 'TCP_UDP';
  /** false: the target group exists but no listener uses it (a leftover, or a Service being set up). */
  attached?: boolean;
}

/**
 * A Service's NLB as cloud-provider-aws builds it (`ensureLoadBalancerv2`): the load balancer, an instance
 * target group on the NodePort with its health-check port, a listener forwarding to it.
 */
export async function seedLiveService(elbv2: ElasticLoadBalancingV2Client, cluster: { vpcId: string; subnetIds: string[] }, opts: LiveServiceOptions): Promise<{ loadBalancerArn: string; targetGroupArn: string }> {
  const lb = await elbv2.send(new CreateLoadBalancerCommand({ Name: opts.name, Type: 'network', Scheme: 'internet-facing', Subnets: cluster.subnetIds }));
  const loadBalancerArn = lb.LoadBalancers![0]!.LoadBalancerArn!;
  const tg = await elbv2.send(new CreateTargetGroupCommand({
    Name: `k8s-default-svc-${opts.nodePort}`, Protocol: opts.protocol ?? 'TCP', Port: opts.nodePort, VpcId: cluster.vpcId, TargetType: 'instance',
    HealthCheckProtocol: 'TCP', HealthCheckPort: opts.healthCheckPort ?? 'traffic-port',
  }));
  const targetGroupArn = tg.TargetGroups![0]!.TargetGroupArn!;
  if (opts.attached !== false) {
    await elbv2.send(new CreateListenerCommand({
      LoadBalancerArn: loadBalancerArn, Protocol: opts.protocol ?? 'TCP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
    }));
  }
  return { loadBalancerArn, targetGroupArn };
}
