/**
 * Loaders for the NLB rule headroom facets. They keep a no-op security-group event cheap: usage is
 * counted from the group the handler already described (no call); only a group whose inbound usage
 * can reach the threshold costs calls — its rule ids and tags, the quota (cached per container) and
 * one paginated listing of the region's load balancers and of their target groups.
 */
export type { NlbHeadroomFacts } from './nlb-rules.ts';
import type { ClusterSnapshot, FacetLoader, ObserveHints, ReconcileTarget, SecurityGroupState } from '../../types/index.ts';
import { describePrefixListWeights, describeSecurityGroup, describeSecurityGroupRules, describeSecurityGroups } from '../../aws/ec2.ts';
import { listLoadBalancerNames, listTargetGroups } from '../../aws/elbv2.ts';
import { RULES_PER_SECURITY_GROUP, rulesPerSecurityGroupQuota, rulesQuotaCache } from '../../aws/service-quotas.ts';
import { ContainerCache } from '../../state/cache.ts';
import { classifyError, errorCode } from '../../aws/errors.ts';
import { atThreshold, countRules, ingressUsage, mayReachThreshold, nlbNameFromArn, providerRule, type LoadBalancerLookup, type NlbForce, type NlbHeadroomFacts } from './nlb-rules.ts';

export const NLB_FACTS = 'nlbHeadroom';
/** Key of a prefetched `LoadBalancerLookup` in `ObserveHints.extra` (the sweep lists once per region). */
export const LOAD_BALANCERS_HINT = 'loadBalancers';

export function forceOf(target: ReconcileTarget | undefined): NlbForce | undefined {
  const t = target?.trigger;
  // Only a full *inbound* count forces a look below the threshold: the quota counts ingress and egress
  // apart, so a failed egress Authorize says nothing about room for the next Service's ingress rules.
  if (t?.errorCode && /RulesPerSecurityGroupLimitExceeded$/.test(t.errorCode) && t.apiCall === 'ec2:AuthorizeSecurityGroupIngress') return 'limit-exceeded';
  if (t?.apiCall === 'elasticloadbalancing:DeleteLoadBalancer') return 'load-balancer-deleted';
  return undefined;
}

function belongsTo(sg: SecurityGroupState, snapshot: ClusterSnapshot): boolean {
  if (sg.groupId === snapshot.cluster.clusterSecurityGroupId) return true;
  const v = sg.tags[`kubernetes.io/cluster/${snapshot.cluster.name}`];
  return v === 'owned' || v === 'shared';
}

/** The cluster SG and the groups tagged `kubernetes.io/cluster/<c>`; only the focused group for an SG event. */
export const clusterTaggedSecurityGroups: FacetLoader = async (snapshot, hints) => {
  const focus = hints.target?.focus;
  let groups: SecurityGroupState[];
  if (focus?.type === 'security-group') {
    const known = hints.securityGroups?.find((g) => g.groupId === focus.id);
    const sg = known ?? (await describeSecurityGroup(focus.id));
    groups = sg ? [sg] : [];
  } else if (hints.securityGroups) {
    groups = hints.securityGroups.filter((g) => belongsTo(g, snapshot));
  } else {
    groups = await describeSecurityGroups([{ Name: 'tag-key', Values: [`kubernetes.io/cluster/${snapshot.cluster.name}`] }]);
    const csg = snapshot.clusterSecurityGroup;
    const csgId = snapshot.cluster.clusterSecurityGroupId;
    if (csgId && !groups.some((g) => g.groupId === csgId)) {
      const sg = csg?.groupId === csgId ? csg : await describeSecurityGroup(csgId);
      if (sg) groups.push(sg);
    }
    groups = groups.filter((g) => belongsTo(g, snapshot));
  }
  snapshot.clusterTaggedSecurityGroups = groups;
};

/** Rule ids (and our grace marks) for the groups that need them, plus the quota. */
export const securityGroupRuleIds: FacetLoader = async (snapshot, hints) => {
  const groups = snapshot.clusterTaggedSecurityGroups ?? [];
  const { thresholdPercent } = configOf(hints).nlb;
  const force = forceOf(hints.target);
  const ingressOf = (g: SecurityGroupState) => g.rules.filter((r) => r.direction === 'ingress');
  // Cheap gate first: without a call, usage under the smallest possible quota rules a group out.
  const candidates = groups.filter((g) => force || ingressOf(g).some((r) => r.prefixListId) ||
    mayReachThreshold(ingressUsage(countRules(ingressOf(g))), thresholdPercent, rulesQuotaCache.get(RULES_PER_SECURITY_GROUP)?.value));
  if (candidates.length === 0) return;

  const quota = await rulesPerSecurityGroupQuota();
  const prefixListsOf = (g: SecurityGroupState) => ingressOf(g).map((r) => r.prefixListId).filter((id): id is string => Boolean(id));
  const prefixLists = [...new Set(candidates.flatMap(prefixListsOf))];
  // A role without ec2:DescribeManagedPrefixLists (or any other failure) leaves the groups that reference a
  // prefix list uncounted: this check reports them and plans nothing for them; the other groups and the
  // other checks go on.
  let prefixListWeights: Record<string, number> = {};
  const uncounted: Record<string, string> = {};
  try {
    prefixListWeights = await prefixListWeightsOf(prefixLists);
  } catch (err) {
    const reason = `DescribeManagedPrefixLists failed (${errorCode(err)}: ${(err as Error)?.message ?? 'no message'})`;
    for (const g of candidates) if (prefixListsOf(g).length > 0) uncounted[g.groupId] = reason;
  }
  const gated = candidates.filter((g) => !uncounted[g.groupId] && (force || atThreshold(ingressUsage(countRules(ingressOf(g), prefixListWeights)), quota.value, thresholdPercent)));
  if (gated.length === 0 && Object.keys(uncounted).length === 0) return;

  const ids = gated.map((g) => g.groupId);
  const byGroup = hints.securityGroupRules && ids.every((id) => hints.securityGroupRules!.has(id))
    ? hints.securityGroupRules
    : await describeSecurityGroupRules(ids);
  const facts: NlbHeadroomFacts = {
    quota, groupIds: [...ids, ...Object.keys(uncounted)], prefixListWeights,
    rules: Object.fromEntries(ids.map((id) => [id, byGroup.get(id) ?? []])),
    ...(Object.keys(uncounted).length > 0 ? { uncounted } : {}),
    ...(force ? { force } : {}),
    ...(force === 'load-balancer-deleted' && nlbNameFromArn(hints.target?.trigger.resourceId) ? { deletedLbName: nlbNameFromArn(hints.target?.trigger.resourceId)! } : {}),
  };
  snapshot.extra[NLB_FACTS] = facts;
  snapshot.extra.securityGroupRuleIds = facts.rules;
};

/**
 * The region's load balancers and target groups, listed by page. A permanent error (access denied…) is kept
 * as the reason to delete nothing and reported. A transient one (throttling, 5xx, a dropped connection) fails
 * the invocation instead, so EventBridge retries it: reporting it would be a success with the trim undone.
 */
export const loadBalancers: FacetLoader = async (snapshot, hints) => {
  const facts = snapshot.extra[NLB_FACTS] as NlbHeadroomFacts | undefined;
  if (!facts) return;
  const needed = Object.values(facts.rules).some((rules) => rules.some((r) => providerRule(r) !== undefined));
  if (!needed) return;
  const prefetched = hints.extra?.[LOAD_BALANCERS_HINT] as LoadBalancerLookup | undefined;
  facts.lookup = prefetched ?? (await lookUpLoadBalancers());
  // The listing is region-wide: the other clusters sharing these hints (one event's groups, a sweep whose
  // prefetch failed) use it instead of listing the region again.
  if (!prefetched && facts.lookup.ok && hints.extra) hints.extra[LOAD_BALANCERS_HINT] = facts.lookup;
  snapshot.extra.loadBalancers = facts.lookup;
};

/**
 * Max entries of each prefix list a rule references, by prefix list id. A prefix list counts as that many rules
 * against the quota (https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html), and its max
 * entries change on a human's request: kept for 15 minutes per container, so a group that references prefix
 * lists does not pay a call on every event.
 */
const prefixListWeights = new ContainerCache<string, number>({ name: 'prefix-list max entries', ttlMs: 15 * 60_000 });

async function prefixListWeightsOf(ids: string[]): Promise<Record<string, number>> {
  const now = Date.now();
  const missing = ids.filter((id) => prefixListWeights.get(id, now) === undefined);
  if (missing.length > 0) {
    const fresh = await describePrefixListWeights(missing);
    for (const [id, weight] of Object.entries(fresh)) prefixListWeights.set(id, weight, now);
  }
  return Object.fromEntries(ids.flatMap((id) => {
    const weight = prefixListWeights.get(id, now);
    return weight === undefined ? [] : [[id, weight]];
  }));
}

/**
 * One listing of the region's load balancers and one of its target groups, each page by page (calls grow
 * with pages, not with rules). A permanent failure of either is returned as the reason to delete nothing; a
 * transient one is thrown, so the invocation is retried (in a sweep's prefetch: each cluster's loader lists
 * again and fails that cluster, rather than reporting a trim it could not do).
 */
export async function lookUpLoadBalancers(): Promise<LoadBalancerLookup> {
  let call = 'DescribeLoadBalancers';
  try {
    const listing = await listLoadBalancerNames();
    call = 'DescribeTargetGroups';
    const tgs = await listTargetGroups();
    return { ok: true, names: listing.names, pages: listing.pages, targetGroups: tgs.targetGroups, targetGroupPages: tgs.pages };
  } catch (err) {
    if (classifyError(err) === 'retryable') throw err;
    return { ok: false, reason: `${call} failed (${errorCode(err)}: ${(err as Error)?.message ?? 'no message'})` };
  }
}

/** The invocation's configuration: reconcile always hands it on (a loader never reads the environment itself). */
function configOf(hints: ObserveHints) {
  if (!hints.config) throw new Error('nlb-rule-headroom facets need the configuration in their hints (reconcile passes it)');
  return hints.config;
}

