import {
  AuthorizeSecurityGroupEgressCommand,
  EC2Client,
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  paginateDescribeManagedPrefixLists,
  paginateDescribeSecurityGroupRules,
  paginateDescribeSecurityGroups,
  paginateDescribeVpcs,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type Filter,
  type IpPermission,
  type SecurityGroup,
  type SecurityGroupRule,
  type Tag,
} from '@aws-sdk/client-ec2';
import type { Direction, SecurityGroupState, SgRule, VpcState } from '../types/index.ts';
import { lazyClient } from './client.ts';

export const ec2Client = lazyClient('EC2', (config) => new EC2Client(config));
import { classifyError } from './errors.ts';

/** One group with its tags and rules (no rule ids), or undefined when it does not exist. */
export async function describeSecurityGroup(groupId: string): Promise<SecurityGroupState | undefined> {
  try {
    const out = await ec2Client().send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
    const sg = out.SecurityGroups?.[0];
    return sg ? toSecurityGroupState(sg) : undefined;
  } catch (err) {
    if (classifyError(err) === 'not-found') return undefined;
    throw err;
  }
}

/** Groups matching filters, all pages. Always filtered: unfiltered describes sit in a smaller throttle bucket. */
export async function describeSecurityGroups(filters: Filter[]): Promise<SecurityGroupState[]> {
  const groups: SecurityGroupState[] = [];
  for await (const page of paginateDescribeSecurityGroups({ client: ec2Client() }, { Filters: filters, MaxResults: 1000 })) {
    for (const sg of page.SecurityGroups ?? []) groups.push(toSecurityGroupState(sg));
  }
  return groups;
}

/** Rules with their ids, for one or many groups in one paginated call. */
export async function describeSecurityGroupRules(groupIds: string[]): Promise<Map<string, SgRule[]>> {
  const byGroup = new Map<string, SgRule[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return byGroup;
  // The group-id filter takes at most 200 values per call.
  for (let i = 0; i < groupIds.length; i += 200) {
    const chunk = groupIds.slice(i, i + 200);
    for await (const page of paginateDescribeSecurityGroupRules({ client: ec2Client() }, { Filters: [{ Name: 'group-id', Values: chunk }], MaxResults: 1000 })) {
      for (const r of page.SecurityGroupRules ?? []) {
        if (!r.GroupId) continue;
        byGroup.get(r.GroupId)?.push(fromSecurityGroupRule(r));
      }
    }
  }
  return byGroup;
}

export async function describeVpc(vpcId: string): Promise<VpcState | undefined> {
  try {
    const out = await ec2Client().send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    const vpc = out.Vpcs?.[0];
    if (!vpc) return undefined;
    const cidrs = (vpc.CidrBlockAssociationSet ?? [])
      .filter((a) => !a.CidrBlockState?.State || a.CidrBlockState.State === 'associated')
      .map((a) => a.CidrBlock!)
      .filter(Boolean);
    if (cidrs.length === 0 && vpc.CidrBlock) cidrs.push(vpc.CidrBlock);
    const ipv6 = (vpc.Ipv6CidrBlockAssociationSet ?? [])
      .filter((a) => !a.Ipv6CidrBlockState?.State || a.Ipv6CidrBlockState.State === 'associated')
      .map((a) => a.Ipv6CidrBlock!)
      .filter(Boolean);
    return { vpcId, cidrBlocks: cidrs, ipv6CidrBlocks: ipv6 };
  } catch (err) {
    if (classifyError(err) === 'not-found') return undefined;
    throw err;
  }
}

export type WriteOutcome = 'applied' | 'already-done';

/**
 * Adds rules. `InvalidPermission.Duplicate` means another writer (or a concurrent invocation of ours) got there
 * first: that is success. A multi-rule call that hits a duplicate is retried rule by rule so none is lost.
 */
export async function authorizeRules(groupId: string, direction: Direction, rules: SgRule[]): Promise<WriteOutcome> {
  try {
    await sendAuthorize(groupId, direction, rules);
    return 'applied';
  } catch (err) {
    if (classifyError(err) !== 'duplicate') throw err;
    if (rules.length === 1) return 'already-done';
    let applied = false;
    for (const rule of rules) {
      if ((await authorizeRules(groupId, direction, [rule])) === 'applied') applied = true;
    }
    return applied ? 'applied' : 'already-done';
  }
}

async function sendAuthorize(groupId: string, direction: Direction, rules: SgRule[]): Promise<void> {
  const input = { GroupId: groupId, IpPermissions: rules.map(toIpPermission) };
  if (direction === 'ingress') await ec2Client().send(new AuthorizeSecurityGroupIngressCommand(input));
  else await ec2Client().send(new AuthorizeSecurityGroupEgressCommand(input));
}

/** Revokes by rule id in one call; `InvalidPermission.NotFound` means someone already did. */
export async function revokeRules(groupId: string, direction: Direction, ruleIds: string[]): Promise<WriteOutcome> {
  if (ruleIds.length === 0) return 'already-done';
  try {
    const input = { GroupId: groupId, SecurityGroupRuleIds: ruleIds };
    if (direction === 'ingress') await ec2Client().send(new RevokeSecurityGroupIngressCommand(input));
    else await ec2Client().send(new RevokeSecurityGroupEgressCommand(input));
    return 'applied';
  } catch (err) {
    if (classifyError(err) === 'not-found') return 'already-done';
    throw err;
  }
}

/**
 * Tags rules (CreateTags takes many resources in one call). A rule that vanished meanwhile makes the
 * whole call fail: then the rest are tagged one by one and the vanished ones skipped.
 */
export async function tagSecurityGroupRules(ruleIds: string[], tags: Record<string, string>): Promise<WriteOutcome> {
  const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  return eachRuleTolerantly(ruleIds, (Resources) => ec2Client().send(new CreateTagsCommand({ Resources, Tags })));
}

/** Removes tag keys from rules; a rule that no longer exists has no tags to remove. */
export async function untagSecurityGroupRules(ruleIds: string[], keys: string[]): Promise<WriteOutcome> {
  return eachRuleTolerantly(ruleIds, (Resources) => ec2Client().send(new DeleteTagsCommand({ Resources, Tags: keys.map((Key) => ({ Key })) })));
}

/**
 * One call for all rules; when it fails because one rule vanished meanwhile, rule by rule, so the others
 * are still written and the vanished one counts as done.
 */
async function eachRuleTolerantly(ruleIds: string[], send: (ids: string[]) => Promise<unknown>): Promise<WriteOutcome> {
  if (ruleIds.length === 0) return 'already-done';
  try {
    await send(ruleIds);
    return 'applied';
  } catch (err) {
    if (classifyError(err) !== 'not-found') throw err;
    if (ruleIds.length === 1) return 'already-done';
    let applied = false;
    for (const id of ruleIds) if ((await eachRuleTolerantly([id], send)) === 'applied') applied = true;
    return applied ? 'applied' : 'already-done';
  }
}

/** Max entries of each prefix list (what a reference to it counts against the rules quota). */
export async function describePrefixListWeights(prefixListIds: string[]): Promise<Record<string, number>> {
  const weights: Record<string, number> = {};
  if (prefixListIds.length === 0) return weights;
  for await (const page of paginateDescribeManagedPrefixLists({ client: ec2Client() }, { PrefixListIds: prefixListIds })) {
    for (const pl of page.PrefixLists ?? []) if (pl.PrefixListId && pl.MaxEntries !== undefined) weights[pl.PrefixListId] = pl.MaxEntries;
  }
  return weights;
}

// ---- mapping between the SDK's shapes and ours ----

/** EC2's tag list as key → value (a key appears at most once per resource; a missing value reads as ''). */
export function tagRecord(tags: readonly Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? '']));
}

function toSecurityGroupState(sg: SecurityGroup): SecurityGroupState {
  return {
    groupId: sg.GroupId!,
    groupName: sg.GroupName ?? '',
    vpcId: sg.VpcId,
    ownerId: sg.OwnerId,
    tags: tagRecord(sg.Tags),
    rules: [
      ...(sg.IpPermissions ?? []).flatMap((p) => fromIpPermission(p, 'ingress')),
      ...(sg.IpPermissionsEgress ?? []).flatMap((p) => fromIpPermission(p, 'egress')),
    ],
  };
}

/** An IpPermission holds many sources; the quota counts each one, so we split them. */
export function fromIpPermission(p: IpPermission, direction: Direction): SgRule[] {
  const base = {
    direction,
    protocol: normaliseProtocol(p.IpProtocol),
    ...(p.FromPort !== undefined && p.IpProtocol !== '-1' ? { fromPort: p.FromPort } : {}),
    ...(p.ToPort !== undefined && p.IpProtocol !== '-1' ? { toPort: p.ToPort } : {}),
  };
  return [
    ...(p.IpRanges ?? []).map((r) => withDescription({ ...base, cidrIpv4: r.CidrIp }, r.Description)),
    ...(p.Ipv6Ranges ?? []).map((r) => withDescription({ ...base, cidrIpv6: r.CidrIpv6 }, r.Description)),
    ...(p.UserIdGroupPairs ?? []).map((r) => withDescription({ ...base, referencedGroupId: r.GroupId }, r.Description)),
    ...(p.PrefixListIds ?? []).map((r) => withDescription({ ...base, prefixListId: r.PrefixListId }, r.Description)),
  ];
}

function fromSecurityGroupRule(r: SecurityGroupRule): SgRule {
  const rule: SgRule = {
    ruleId: r.SecurityGroupRuleId,
    direction: r.IsEgress ? 'egress' : 'ingress',
    protocol: normaliseProtocol(r.IpProtocol),
  };
  if (r.IpProtocol !== '-1') {
    if (r.FromPort !== undefined) rule.fromPort = r.FromPort;
    if (r.ToPort !== undefined) rule.toPort = r.ToPort;
  }
  if (r.CidrIpv4) rule.cidrIpv4 = r.CidrIpv4;
  if (r.CidrIpv6) rule.cidrIpv6 = r.CidrIpv6;
  if (r.ReferencedGroupInfo?.GroupId) rule.referencedGroupId = r.ReferencedGroupInfo.GroupId;
  if (r.PrefixListId) rule.prefixListId = r.PrefixListId;
  if (r.Tags && r.Tags.length > 0) rule.tags = tagRecord(r.Tags);
  return withDescription(rule, r.Description);
}

export function toIpPermission(rule: SgRule): IpPermission {
  const p: IpPermission = { IpProtocol: rule.protocol };
  if (rule.protocol !== '-1') {
    p.FromPort = rule.fromPort;
    p.ToPort = rule.toPort;
  }
  const Description = rule.description;
  if (rule.cidrIpv4) p.IpRanges = [{ CidrIp: rule.cidrIpv4, Description }];
  if (rule.cidrIpv6) p.Ipv6Ranges = [{ CidrIpv6: rule.cidrIpv6, Description }];
  if (rule.referencedGroupId) p.UserIdGroupPairs = [{ GroupId: rule.referencedGroupId, Description }];
  if (rule.prefixListId) p.PrefixListIds = [{ PrefixListId: rule.prefixListId, Description }];
  return p;
}

function normaliseProtocol(p: string | undefined): string {
  if (p === undefined || p === '-1' || p === 'all') return '-1';
  if (p === '6') return 'tcp';
  if (p === '17') return 'udp';
  if (p === '1') return 'icmp';
  return p.toLowerCase();
}

function withDescription<T extends SgRule>(rule: T, description: string | undefined): T {
  if (description) rule.description = description;
  return rule;
}

/** Many VPCs in one call (the sweep's prefetch); VPCs that no longer exist are simply absent. */
export async function describeVpcs(vpcIds: string[]): Promise<VpcState[]> {
  const out: VpcState[] = [];
  for (let i = 0; i < vpcIds.length; i += 200) {
    for await (const page of paginateDescribeVpcs({ client: ec2Client() }, { Filters: [{ Name: 'vpc-id', Values: vpcIds.slice(i, i + 200) }], MaxResults: 1000 })) {
      for (const vpc of page.Vpcs ?? []) {
        if (!vpc.VpcId) continue;
        const cidrs = (vpc.CidrBlockAssociationSet ?? []).filter((a) => !a.CidrBlockState?.State || a.CidrBlockState.State === 'associated').map((a) => a.CidrBlock!).filter(Boolean);
        if (cidrs.length === 0 && vpc.CidrBlock) cidrs.push(vpc.CidrBlock);
        const ipv6 = (vpc.Ipv6CidrBlockAssociationSet ?? []).filter((a) => !a.Ipv6CidrBlockState?.State || a.Ipv6CidrBlockState.State === 'associated').map((a) => a.Ipv6CidrBlock!).filter(Boolean);
        out.push({ vpcId: vpc.VpcId, cidrBlocks: cidrs, ipv6CidrBlocks: ipv6 });
      }
    }
  }
  return out;
}
