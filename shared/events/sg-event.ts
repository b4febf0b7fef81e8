import { InvalidEventError } from '../errors.ts';
import type { CloudTrailEvent } from './cloudtrail.ts';
import { errorCodeOf, items, str } from './cloudtrail.ts';

/**
 * EC2 calls that can change a group's rules (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySecurityGroupRules.html
 * and its siblings), as CloudTrail delivers them to EventBridge (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-ec2.html).
 */
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

/** EC2 security group ids: `sg-` and 8 or 17 hex digits (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SecurityGroup.html). */
const GROUP_ID = /^sg-[0-9a-f]{8,17}$/;

/**
 * Every security group id the call names, in all three request forms and the response. A field that is
 * there but malformed, or a call that names no group at all, is an InvalidEvent naming the field — never
 * answered "security group not found", which would look like a group that vanished.
 */
export function securityGroupsOf(event: CloudTrailEvent): SgEventTarget {
  const req = event.detail.requestParameters;
  if (!req) throw new InvalidEventError(`${event.detail.eventName}: detail.requestParameters is missing; it names the security group`, [{ path: 'detail.requestParameters', message: 'required' }]);
  const res = (event.detail.responseElements ?? {}) as Record<string, unknown>;
  const ids = new Set<string>();
  const names = new Set<string>();
  const add = (path: string, v: unknown) => {
    if (v === undefined || v === null) return;
    if (typeof v !== 'string' || !GROUP_ID.test(v)) {
      throw new InvalidEventError(`${event.detail.eventName}: ${path} must be a security group id (sg-…), got ${JSON.stringify(v)?.slice(0, 60)}`, [{ path, message: 'expected a security group id' }]);
    }
    ids.add(v);
  };
  add('detail.requestParameters.groupId', req.groupId);
  add('detail.requestParameters.GroupId', req.GroupId);
  const modify = req.ModifySecurityGroupRulesRequest as Record<string, unknown> | undefined;
  if (modify && typeof modify === 'object') add('detail.requestParameters.ModifySecurityGroupRulesRequest.GroupId', modify.GroupId);
  for (const rule of items(res.securityGroupRuleSet)) add('detail.responseElements.securityGroupRuleSet.groupId', rule.groupId);
  if (ids.size === 0) {
    const name = str(req.groupName);
    if (name) names.add(name);
  }
  if (ids.size === 0 && names.size === 0) {
    throw new InvalidEventError(`${event.detail.eventName}: names no security group (detail.requestParameters.groupId, GroupId, ModifySecurityGroupRulesRequest.GroupId or groupName)`,
      [{ path: 'detail.requestParameters.groupId', message: 'required' }]);
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

/** Why a security-group (or load-balancer) CloudTrail event is handled: an event route, or nothing to do. */
export type SgEventRouting =
  | { kind: 'route'; route: 'security-group-changed' | 'security-group-full' | 'load-balancer-deleted' }
  | { kind: 'ignored'; reason: string };

/**
 * A failed call changed nothing, so it routes nowhere, except a full group: an Authorize refused with
 * RulesPerSecurityGroupLimitExceeded is the signal to trim now (a failed egress Authorize too: the check
 * itself decides what it proves, shared/capabilities/nlb-headroom/facets.ts forceOf).
 */
export function routeSgEvent(event: CloudTrailEvent, isLoadBalancerDeletion: boolean): SgEventRouting {
  const failure = errorCodeOf(event);
  if (failure === 'RulesPerSecurityGroupLimitExceeded') return { kind: 'route', route: 'security-group-full' };
  if (failure) return { kind: 'ignored', reason: `failed call (${failure})` };
  return { kind: 'route', route: isLoadBalancerDeletion ? 'load-balancer-deleted' : 'security-group-changed' };
}
