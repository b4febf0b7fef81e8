import type { CloudTrailEvent } from './cloudtrail.ts';
import { items, str } from './cloudtrail.ts';

/** Security-group calls that can change a group's rules (domain.md §5). */
export const SG_EVENT_NAMES = [
  'AuthorizeSecurityGroupIngress',
  'RevokeSecurityGroupIngress',
  'AuthorizeSecurityGroupEgress',
  'RevokeSecurityGroupEgress',
  'UpdateSecurityGroupRuleDescriptionsIngress',
  'UpdateSecurityGroupRuleDescriptionsEgress',
  'ModifySecurityGroupRules',
] as const;

export interface SgEventTarget {
  groupIds: string[];
  /** Legacy calls may name a group only by name (EC2-Classic style, default VPC). */
  groupNames: string[];
}

/** Every security group id the call names, in all three request forms and the response. */
export function securityGroupsOf(event: CloudTrailEvent): SgEventTarget {
  const req = (event.detail.requestParameters ?? {}) as Record<string, unknown>;
  const res = (event.detail.responseElements ?? {}) as Record<string, unknown>;
  const ids = new Set<string>();
  const names = new Set<string>();
  const add = (v: unknown) => { const s = str(v); if (s) ids.add(s); };
  add(req.groupId);
  add(req.GroupId);
  const modify = req.ModifySecurityGroupRulesRequest as Record<string, unknown> | undefined;
  if (modify) add(modify.GroupId);
  for (const rule of items(res.securityGroupRuleSet)) add(rule.groupId);
  if (ids.size === 0) {
    const name = str(req.groupName);
    if (name) names.add(name);
  }
  return { groupIds: [...ids], groupNames: [...names] };
}

/** Clusters a group belongs to: the cluster SG's `aws:eks:cluster-name`, node SGs' `kubernetes.io/cluster/<c>`. */
export function clustersOfGroup(tags: Record<string, string>): string[] {
  const clusters = new Set<string>();
  const eksName = tags['aws:eks:cluster-name'];
  if (eksName) clusters.add(eksName);
  for (const [key, value] of Object.entries(tags)) {
    const m = /^kubernetes\.io\/cluster\/(.+)$/.exec(key);
    if (m && (value === 'owned' || value === 'shared')) clusters.add(m[1]!);
  }
  return [...clusters];
}
