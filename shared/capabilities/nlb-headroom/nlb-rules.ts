/**
 * Pure helpers for NLB rule headroom: which rules the Kubernetes cloud provider wrote for which NLB,
 * how the rules-per-group quota counts them, and which of them are provably stale.
 * No SDK here: the check and the tests feed plain data.
 */
import { DEFAULT_RULES_PER_GROUP, type QuotaValue, type SgRule, type TargetGroupState } from '../../types/index.ts';
import { describeLiveNeed, liveNeedOf, type LivePort } from './nlb-live-ports.ts';

/** `"a"` + the Service UID without dashes, cut to 32 characters. */
export const LB_NAME = /^a[0-9a-f]{31}$/;
const CLIENT_OR_HEALTH = /^kubernetes\.io\/rule\/nlb\/(client|health)=(a[0-9a-f]{31})$/;
const MTU = /^kubernetes\.io\/rule\/nlb\/mtu(?:=(a[0-9a-f]{31}))?$/;
/** What the provider looks for when it decides which CIDRs need an MTU rule (a substring match, not ours). */
const CLIENT_LABEL = 'kubernetes.io/rule/nlb/client';

// The quota's default and value live in shared/types (the Service Quotas adapter needs them too).
export { DEFAULT_RULES_PER_GROUP, type QuotaValue };

/** Tag our grace period writes on a rule the first time it is seen stale (ISO-8601 time). */
export const STALE_SINCE_TAG = 'eks-guardrails/nlb-stale-since';

export type NlbRuleKind = 'client' | 'health' | 'mtu';

export interface NlbRuleRef {
  kind: NlbRuleKind;
  /** Absent for the shared (bare) MTU rule. */
  lbName?: string;
}

/**
 * The provider's rule this description names, or undefined. Exact match only: a look-alike (other
 * prefix, suffix, case, a name that is not `a` + 31 hex digits) is somebody else's rule.
 */
export function parseNlbDescription(description: string | undefined): NlbRuleRef | undefined {
  if (!description) return undefined;
  const m = CLIENT_OR_HEALTH.exec(description);
  if (m) return { kind: m[1] as 'client' | 'health', lbName: m[2]! };
  const mtu = MTU.exec(description);
  if (mtu) return mtu[1] ? { kind: 'mtu', lbName: mtu[1] } : { kind: 'mtu' };
  return undefined;
}

/** `net/<name>/<id>` out of an ELBv2 ARN; undefined for ALBs, gateway LBs and anything else. */
export function nlbNameFromArn(arn: string | undefined): string | undefined {
  const m = /:loadbalancer\/net\/([^/]+)\/[^/]+$/.exec(arn ?? '');
  return m?.[1];
}

/** A rule the provider could have written: ingress, one CIDR source, exact description. */
export function providerRule(rule: SgRule): NlbRuleRef | undefined {
  if (rule.direction !== 'ingress') return undefined;
  if (rule.referencedGroupId || rule.prefixListId) return undefined;
  if (!rule.cidrIpv4 && !rule.cidrIpv6) return undefined;
  const ref = parseNlbDescription(rule.description);
  if (ref?.kind === 'mtu' && !['icmp', 'icmpv6'].includes(rule.protocol)) return undefined;
  return ref;
}

export interface RuleUsage {
  ingressIpv4: number;
  ingressIpv6: number;
  egressIpv4: number;
  egressIpv6: number;
}

/**
 * Counts rules as the quota does: one per CIDR; one per referenced group, in the IPv4 and in the IPv6
 * count; a prefix list by its max entries (customer-managed) or weight (AWS-managed), in both counts.
 * Ingress and egress apart. A prefix list whose weight is unknown counts `unknownPrefixListWeight`.
 */
export function countRules(rules: readonly SgRule[], prefixListWeights: Readonly<Record<string, number>> = {}, unknownPrefixListWeight = 1): RuleUsage {
  const usage: RuleUsage = { ingressIpv4: 0, ingressIpv6: 0, egressIpv4: 0, egressIpv6: 0 };
  for (const r of rules) {
    const [v4, v6] = r.direction === 'ingress' ? ['ingressIpv4', 'ingressIpv6'] as const : ['egressIpv4', 'egressIpv6'] as const;
    if (r.cidrIpv4) usage[v4] += 1;
    else if (r.cidrIpv6) usage[v6] += 1;
    else if (r.referencedGroupId) { usage[v4] += 1; usage[v6] += 1; }
    else if (r.prefixListId) {
      const w = prefixListWeights[r.prefixListId] ?? unknownPrefixListWeight;
      usage[v4] += w;
      usage[v6] += w;
    }
  }
  return usage;
}

/** The fuller of the two inbound counts: the one the next Authorize fails on. */
export function ingressUsage(usage: RuleUsage): number {
  return Math.max(usage.ingressIpv4, usage.ingressIpv6);
}

/** Usage reaches the threshold (percent of the quota). */
export function atThreshold(used: number, quota: number, thresholdPercent: number): boolean {
  return used * 100 >= quota * thresholdPercent;
}

/** Usage under the smallest quota AWS allows is proof enough that no quota call is needed. */
export function mayReachThreshold(used: number, thresholdPercent: number, knownQuota?: number): boolean {
  return atThreshold(used, Math.min(DEFAULT_RULES_PER_GROUP, knownQuota ?? DEFAULT_RULES_PER_GROUP), thresholdPercent);
}

/**
 * What the NLB lookup answered: complete lists of the region's load balancer names and target groups
 * (the ports live load balancers use), or why not — a failure of either listing is a failure.
 */
export type LoadBalancerLookup =
  | { ok: true; names: readonly string[]; pages: number; targetGroups: readonly TargetGroupState[]; targetGroupPages: number }
  | { ok: false; reason: string };

/** Why the trimmer looks even below the threshold: the group is full, or an NLB was just deleted. */
export type NlbForce = 'limit-exceeded' | 'load-balancer-deleted';

/** What the facet loaders leave in `snapshot.extra.nlbHeadroom` for the check. */
export interface NlbHeadroomFacts {
  quota: QuotaValue;
  /** Groups whose rules (with ids) were read: usage at the threshold, or a forcing trigger. */
  groupIds: string[];
  /** Rules with ids and tags, by group id. */
  rules: Record<string, SgRule[]>;
  prefixListWeights: Record<string, number>;
  force?: NlbForce;
  /** The NLB named by a DeleteLoadBalancer event. */
  deletedLbName?: string;
  lookup?: LoadBalancerLookup;
  /**
   * Groups whose usage could not be counted (a prefix list's size was unreadable), with why: the check
   * reports them and plans nothing for them.
   */
  uncounted?: Record<string, string>;
}

export type StaleState =
  /** Stale now, seen stale at least the grace period ago: revoke. */
  | 'revoke'
  /** Stale now, first seen stale less than the grace period ago: wait. */
  | 'waiting'
  /** Stale now, never seen before (or the mark is unreadable): mark the time, revoke on a later look. */
  | 'mark';

export interface StaleRule {
  rule: SgRule & { ruleId: string };
  ref: NlbRuleRef;
  state: StaleState;
  /** Why it is stale, in words (shown in the plan and in Slack). */
  reason: string;
  staleSince?: string;
}

/** A rule of an absent NLB that stays because something live needs it. */
export interface KeptRule {
  rule: SgRule & { ruleId: string };
  ref: NlbRuleRef;
  /** Why it stays, in words ("NodePort 31005 now serves live load balancer …"). */
  reason: string;
}

export interface StaleDecision {
  stale: StaleRule[];
  /** Rules labelled with an absent NLB that a live load balancer needs (and the MTU rules of their CIDRs). */
  kept: KeptRule[];
  /** Rules carrying our mark that are no longer stale (the NLB is back, a client rule uses the CIDR): unmark. */
  unmark: (SgRule & { ruleId: string })[];
  /** Live provider rules by NLB name. */
  liveByLb: Record<string, SgRule[]>;
}

export interface StaleInput {
  /** Rules with ids and tags (DescribeSecurityGroupRules). */
  rules: readonly SgRule[];
  liveNames: ReadonlySet<string>;
  /** Ports live load balancers' target groups use (livePorts()): a rule opening one stays, whatever its label. */
  livePorts: readonly LivePort[];
  /** Milliseconds since epoch of this look. */
  now: number;
  graceSeconds: number;
  /**
   * An NLB a DeleteLoadBalancer event just named: it existed until now, so an older mark on its rules is
   * no evidence (the provider may have re-created it with the same name since). Its clock starts over.
   */
  restartFor?: string;
}

/** When the rule was first seen stale, if it carries a readable mark that is not in the future. */
export function staleSince(rule: SgRule, now: number): number | undefined {
  const raw = rule.tags?.[STALE_SINCE_TAG];
  if (!raw) return undefined;
  const t = Date.parse(raw);
  // A mark from the future (a hand-edited tag, clock skew) is not trusted: it is re-marked.
  if (Number.isNaN(t) || t > now + 60_000) return undefined;
  return t;
}

/**
 * The safe-trimming rules, for one group, given complete listings of the region's load balancers and
 * of the ports their target groups use:
 * 1. only exact provider descriptions on CIDR ingress rules, whose NLB is absent from the list;
 * 2. never SG references, prefix lists, other descriptions, egress (providerRule() filters them);
 * 3. never a rule whose protocol and ports a live load balancer's target group uses, whatever its label
 *    (the provider reuses an existing rule for a new Service's NodePort, see nlb-live-ports.ts);
 * 4. an MTU rule (bare or legacy `mtu=<lb>`) only when no remaining client rule uses its CIDR;
 * 5. a grace period that needs two looks at least `graceSeconds` apart (the mark is the first look);
 * 6. (the caller reports instead of deleting when nothing is stale).
 */
export function decideStale({ rules, liveNames, livePorts, now, graceSeconds, restartFor }: StaleInput): StaleDecision {
  const withIds = rules.filter((r): r is SgRule & { ruleId: string } => Boolean(r.ruleId));
  const refs = new Map(withIds.map((r) => [r.ruleId, providerRule(r)]));
  const liveByLb: Record<string, SgRule[]> = {};
  const candidates: StaleRule[] = [];
  const kept: KeptRule[] = [];
  const notStale: (SgRule & { ruleId: string })[] = [];

  const state = (rule: SgRule, ref?: NlbRuleRef): { state: StaleState; staleSince?: string } => {
    // A grace of 0 is the operator saying "no grace": the look that proves the NLB absent is enough.
    if (graceSeconds === 0) return { state: 'revoke' };
    if (restartFor && ref?.lbName === restartFor) return { state: 'mark' };
    const since = staleSince(rule, now);
    if (since === undefined) return { state: 'mark' };
    const iso = new Date(since).toISOString();
    return { state: now - since >= graceSeconds * 1000 ? 'revoke' : 'waiting', staleSince: iso };
  };

  // Client, health and legacy-named rules of absent NLBs (MTU rules, rule 4, in the next loop).
  for (const rule of withIds) {
    const ref = refs.get(rule.ruleId);
    if (!ref) continue;
    if (ref.lbName && liveNames.has(ref.lbName)) {
      (liveByLb[ref.lbName] ??= []).push(rule);
      notStale.push(rule);
      continue;
    }
    if (ref.kind === 'mtu') continue;
    const need = liveNeedOf(rule, livePorts);
    if (need) {
      kept.push({ rule, ref, reason: describeLiveNeed(need) });
      notStale.push(rule);
      continue;
    }
    candidates.push({ rule, ref, ...state(rule, ref), reason: `NLB ${ref.lbName} does not exist (not among the region's load balancers) and no live load balancer uses its port` });
  }

  // MTU rules: only when no client rule that stays uses the CIDR. The provider derives MTU rules from every
  // rule whose description contains its client label (`updateInstanceSecurityGroupForNLBMTU`,
  // pkg/providers/v1/aws_loadbalancer.go), so look-alikes count as users too. A client rule that is stale
  // but still waiting out its grace stays for now, so the MTU rule for its CIDR cannot go before it.
  const going = new Set(candidates.filter((c) => c.state === 'revoke').map((c) => c.rule.ruleId));
  const candidateIds = new Set(candidates.map((c) => c.rule.ruleId));
  const keptIds = new Map(kept.map((k) => [k.rule.ruleId, k]));
  const clientRules = withIds.filter((r) => r.direction === 'ingress' && (r.cidrIpv4 || r.cidrIpv6) && r.description?.includes(CLIENT_LABEL));
  for (const rule of withIds) {
    const ref = refs.get(rule.ruleId);
    if (ref?.kind !== 'mtu' || (ref.lbName && liveNames.has(ref.lbName))) continue;
    const cidr = rule.cidrIpv4 ?? rule.cidrIpv6;
    const users = clientRules.filter((c) => (c.cidrIpv4 ?? c.cidrIpv6) === cidr);
    const staying = users.filter((c) => !candidateIds.has(c.ruleId));
    if (staying.length > 0) {
      notStale.push(rule);
      // Named among the kept rules when only client rules kept for a live need use it (it would go otherwise).
      const because = staying.every((c) => keptIds.has(c.ruleId)) ? keptIds.get(staying[0]!.ruleId) : undefined;
      if (because) kept.push({ rule, ref, reason: `MTU rule for ${cidr}: kept client rule ${because.rule.ruleId} uses it (${because.reason})` });
      continue;
    }
    const s = state(rule, ref);
    const blocked = s.state === 'revoke' && users.some((c) => !going.has(c.ruleId));
    candidates.push({
      rule, ref, ...s, ...(blocked ? { state: 'waiting' as const } : {}),
      reason: ref.lbName
        ? `legacy MTU rule of NLB ${ref.lbName}, which does not exist; no remaining client rule uses ${cidr}`
        : `shared MTU rule for ${cidr}; no remaining client rule uses ${cidr}`,
    });
  }

  const unmark = notStale.filter((r) => r.tags?.[STALE_SINCE_TAG] !== undefined);
  return { stale: candidates, kept, unmark, liveByLb };
}

/**
 * Rules one more LoadBalancer Service would need, estimated from the live NLBs in the group (their
 * average); 3 (one client rule, two health rules for two subnets) when there are none to learn from.
 */
export function rulesPerService(liveByLb: Readonly<Record<string, readonly SgRule[]>>): number {
  const counts = Object.values(liveByLb).map((rules) => rules.length).filter((n) => n > 0);
  if (counts.length === 0) return 3;
  return Math.max(1, Math.ceil(counts.reduce((a, b) => a + b, 0) / counts.length));
}
