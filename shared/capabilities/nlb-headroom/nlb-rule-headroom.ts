import type { Action, Check, CheckOutcome, ClusterSnapshot, Finding, GuardrailsConfig, SecurityGroupState, SgRule } from '../../types/index.ts';
import {
  STALE_SINCE_TAG, atThreshold, type NlbHeadroomFacts, countRules, decideStale, ingressUsage, providerRule, rulesPerService, type StaleRule,
} from './nlb-rules.ts';
import { livePorts } from './nlb-live-ports.ts';
import { describeRule } from '../../engine/sg-rules.ts';

import { NLB_RULE_HEADROOM } from './names.ts';

/** Rules listed per finding: a raised quota can mean hundreds of stale rules, and a bus event holds 256 KB. */
export const MAX_LISTED_RULES = 150;

function listed<T>(items: readonly T[]): { items: T[]; omitted?: number } {
  return items.length > MAX_LISTED_RULES ? { items: items.slice(0, MAX_LISTED_RULES), omitted: items.length - MAX_LISTED_RULES } : { items: [...items] };
}

/** The opt-in tag for node security groups other than the EKS cluster SG. */
export const NLB_TRIM_TAG = 'eks-guardrails/nlb-trim';

/**
 * Whether eks-guardrails may write to this group's rules — the same test its IAM policy makes: the group
 * carries `aws:eks:cluster-name` (EKS's cluster SG; `aws:` keys cannot be set by users) or is opted in
 * with `eks-guardrails/nlb-trim=true`. IAM cannot match a variable tag key such as
 * `kubernetes.io/cluster/<name>`, so other node groups must opt in; planning a revoke IAM then denies
 * would only fail, retry and fill the DLQ.
 */
export function trimEligible(sg: SecurityGroupState | undefined): boolean {
  if (!sg) return false;
  return sg.tags['aws:eks:cluster-name'] !== undefined || sg.tags[NLB_TRIM_TAG] === 'true';
}

const WAYS_OUT = [
  'Use the AWS Load Balancer Controller: its NLBs share one backend security group (one rule per protocol) instead of rules per Service.',
  'Ask for a higher "Inbound or outbound rules per security group" quota (Service Quotas: vpc / L-0EA8095F); rules × groups per ENI stay ≤ 1000.',
  'Use fewer loadBalancerSourceRanges per Service (each CIDR is one rule per port) or fewer ports.',
];

/**
 * Keeps room in the security groups the Kubernetes cloud provider writes NLB rules to: when inbound
 * usage reaches the threshold, rules of NLBs that provably no longer exist are revoked — after two
 * looks at least the grace period apart — and when nothing is stale, it says what is live and how
 * much more fits. Deleting is irreversible: it defaults to `report`.
 */
export const nlbRuleHeadroom: Check = {
  name: NLB_RULE_HEADROOM,
  description: 'Security groups keep room for the next LoadBalancer Service: rules of deleted NLBs are trimmed (after a grace period) before the rules quota is reached.',
  defaultMode: 'report',
  facets: ['clusterSecurityGroup', 'clusterTaggedSecurityGroups', 'securityGroupRuleIds', 'loadBalancers'],
  run(snapshot: ClusterSnapshot, config: GuardrailsConfig): CheckOutcome {
    const facts = snapshot.extra.nlbHeadroom as NlbHeadroomFacts | undefined;
    const findings: Finding[] = [];
    const actions: Action[] = [];
    if (!facts) return { findings, actions };
    for (const groupId of facts.groupIds) {
      const sg = snapshot.clusterTaggedSecurityGroups?.find((g) => g.groupId === groupId);
      const out = checkGroup(sg, groupId, facts, snapshot, config);
      findings.push(...out.findings);
      actions.push(...out.actions);
    }
    return { findings, actions };
  },
};

function checkGroup(sg: SecurityGroupState | undefined, groupId: string, facts: NlbHeadroomFacts, snapshot: ClusterSnapshot, config: GuardrailsConfig): CheckOutcome {
  const findings: Finding[] = [];
  const actions: Action[] = [];
  const resource = { type: 'security-group' as const, id: groupId };
  const uncounted = facts.uncounted?.[groupId];
  if (uncounted) {
    findings.push({
      id: `${NLB_RULE_HEADROOM}:${groupId}:could-not-count`, check: NLB_RULE_HEADROOM, severity: 'medium', resource,
      title: `Security group ${groupId}: could not count its rules against the quota (${uncounted}); nothing trimmed`,
      evidence: { groupId, groupName: sg?.groupName, reason: uncounted },
      fixHint: 'Nothing was changed. The group references a prefix list whose size (max entries) counts against the rules quota; allow ec2:DescribeManagedPrefixLists for this function. The next event or sweep tries again.',
    });
    return { findings, actions };
  }
  const eligible = trimEligible(sg);
  const rules = facts.rules[groupId] ?? [];
  const ingress = rules.filter((r) => r.direction === 'ingress');
  const quota = facts.quota.value;
  const used = ingressUsage(countRules(ingress, facts.prefixListWeights));
  const high = atThreshold(used, quota, config.nlb.thresholdPercent);
  // Trimming is for groups at the threshold; a full group's failed Authorize trims at once (still within the grace rule).
  const mayRevoke = eligible && (high || facts.force === 'limit-exceeded');
  const usage = {
    groupId, groupName: sg?.groupName, quota, quotaSource: facts.quota.source, ...(facts.quota.note ? { quotaNote: facts.quota.note } : {}),
    ingressRulesUsed: used, thresholdPercent: config.nlb.thresholdPercent, headroom: Math.max(0, quota - used),
    ...(facts.force ? { trigger: facts.force } : {}),
    ...(facts.deletedLbName ? { deletedLoadBalancer: facts.deletedLbName } : {}),
    ...(eligible ? {} : { trimEligible: false }),
  };
  const providerRules = ingress.filter((r) => providerRule(r) !== undefined);

  if (providerRules.length > 0 && (!facts.lookup || !facts.lookup.ok)) {
    const reason = facts.lookup && !facts.lookup.ok ? facts.lookup.reason : 'the load balancer lookup did not run';
    findings.push({
      id: `${NLB_RULE_HEADROOM}:${groupId}:lookup-failed`, check: NLB_RULE_HEADROOM, severity: high ? 'high' : 'medium', resource,
      title: `Security group ${groupId}: NLB rules not trimmed — could not prove which NLBs are gone (${reason})`,
      evidence: { ...usage, reason, nlbRules: providerRules.length },
      fixHint: 'Nothing was deleted. Check that the function can call elasticloadbalancing:DescribeLoadBalancers and elasticloadbalancing:DescribeTargetGroups in this region; the next event or sweep tries again.',
    });
    return { findings, actions };
  }

  const decision = providerRules.length > 0 && facts.lookup?.ok
    ? decideStale({
      rules: ingress, liveNames: new Set(facts.lookup.names), livePorts: livePorts(facts.lookup.targetGroups),
      now: snapshot.observedAt, graceSeconds: config.nlb.graceSeconds, ...(facts.deletedLbName ? { restartFor: facts.deletedLbName } : {}),
    })
    : { stale: [], kept: [], unmark: [], liveByLb: {} };
  const perService = rulesPerService(decision.liveByLb);
  const revoke = mayRevoke ? decision.stale.filter((s) => s.state === 'revoke') : [];
  // A group eks-guardrails may not trim gets no mark either: its findings say what a person could remove.
  const mark = eligible ? decision.stale.filter((s) => s.state === 'mark') : [];
  const keptRules = listed(decision.kept).items.map((k) => ({
    ruleId: k.rule.ruleId, rule: describeRule(k.rule), description: k.rule.description, ...(k.ref.lbName ? { lbName: k.ref.lbName } : {}), reason: k.reason,
  }));
  const keptEvidence = decision.kept.length > 0 ? { keptRules, ...(decision.kept.length > keptRules.length ? { keptRulesNotListed: decision.kept.length - keptRules.length } : {}) } : {};
  const usedAfter = ingressUsage(countRules(ingress.filter((r) => !revoke.some((s) => s.rule.ruleId === r.ruleId)), facts.prefixListWeights));
  // Bounded like the stale list: the first NLBs, the first rules of each, and how many more.
  const liveRulesByNlb = Object.fromEntries(Object.entries(decision.liveByLb).slice(0, 50).map(([lb, rs]) =>
    [lb, rs.length > 20 ? [...rs.slice(0, 20).map(describeRule), `… and ${rs.length - 20} more`] : rs.map(describeRule)]));
  const fitsNow = Math.floor(Math.max(0, quota - used) / perService);
  const fitsAfter = Math.floor(Math.max(0, quota - usedAfter) / perService);

  if (decision.stale.length > 0) {
    const id = `${NLB_RULE_HEADROOM}:${groupId}:stale`;
    const graceEnds = (s: StaleRule) => s.staleSince ? new Date(Date.parse(s.staleSince) + config.nlb.graceSeconds * 1000).toISOString() : undefined;
    const ruleEvidence = listed(decision.stale).items.map((s) => ({
      ruleId: s.rule.ruleId, rule: describeRule(s.rule), description: s.rule.description, ...(s.ref.lbName ? { lbName: s.ref.lbName } : {}),
      reason: s.reason,
      decision: !eligible ? NOT_ELIGIBLE : revoke.includes(s) ? 'revoke' : s.state === 'mark' ? 'mark first seen stale (revoked on a later look after the grace period)' : waitingWhy(s, mayRevoke, graceEnds(s)),
      ...(s.staleSince ? { staleSince: s.staleSince, graceEnds: graceEnds(s) } : {}),
    }));
    const deadNlbs = [...new Set(decision.stale.map((s) => s.ref.lbName).filter(Boolean))];
    findings.push({
      id, check: NLB_RULE_HEADROOM, severity: !eligible ? (high ? 'medium' : 'low') : !mayRevoke ? 'low' : used >= quota ? 'high' : 'medium', resource,
      title: `Security group ${groupId} holds ${decision.stale.length} stale NLB rule(s)${deadNlbs.length ? ` of deleted NLB(s) ${deadNlbs.slice(0, 3).join(', ')}${deadNlbs.length > 3 ? ` and ${deadNlbs.length - 3} more` : ''}` : ''}; inbound ${used}/${quota} rules${eligible ? '' : ` — not trimmed: the group is neither the EKS cluster security group nor tagged ${NLB_TRIM_TAG}=true`}`,
      evidence: { ...usage, ingressRulesAfterTrim: usedAfter, staleRules: decision.stale.length, rules: ruleEvidence, ...omitted(decision.stale), ...keptEvidence, liveRulesByNlb, servicesThatFitNow: fitsNow, servicesThatFitAfterTrim: fitsAfter, rulesPerService: perService, graceSeconds: config.nlb.graceSeconds },
      fixHint: !eligible
        ? `Nothing is changed on this group. Tag it ${NLB_TRIM_TAG}=true to let eks-guardrails trim it (after the grace period), or revoke the listed rules by hand.`
        : revoke.length > 0
        ? `eks-guardrails revokes ${revoke.length} rule(s) whose NLB was proven absent${config.nlb.graceSeconds > 0 ? ` on two looks at least ${config.nlb.graceSeconds}s apart` : ' (no grace period configured)'}.`
        : `Rules are revoked only after being seen stale on two looks at least ${config.nlb.graceSeconds}s apart${mayRevoke ? '' : ` and once inbound usage reaches ${config.nlb.thresholdPercent}% of the quota`}.`,
    });
    // With no grace period nothing is marked: the mark exists only as the durable record of a first look, and
    // IAM never reads it (RevokeSecurityGroupIngress authorizes the security group only, Service Authorization
    // Reference for Amazon EC2). The executor's re-describe right before the revoke is the second look.
    if (revoke.length > 0) {
      const revoked: SgRule[] = revoke.map((s) => s.rule);
      actions.push({
        kind: 'RevokeRules', check: NLB_RULE_HEADROOM, findingId: id, groupId, direction: 'ingress',
        ruleIds: revoked.map((r) => r.ruleId!), rules: revoked,
        summary: `Revoke ${revoke.length} stale NLB rule(s) from ${groupId}: inbound ${used} → ${usedAfter} of ${quota} rules`,
        before: { ingressRulesUsed: used, quota, ...omitted(revoke), rules: listed(revoke).items.map((s) => ({ ruleId: s.rule.ruleId, rule: describeRule(s.rule), description: s.rule.description, reason: s.reason, staleSince: s.staleSince })) },
        after: { ingressRulesUsed: usedAfter, quota, servicesThatFit: fitsAfter },
      });
    }
    if (mark.length > 0) {
      const since = new Date(snapshot.observedAt).toISOString();
      actions.push({
        kind: 'TagSecurityGroupRules', check: NLB_RULE_HEADROOM, findingId: id, groupId,
        ruleIds: mark.map((s) => s.rule.ruleId), tags: { [STALE_SINCE_TAG]: since },
        summary: `Mark ${mark.length} stale NLB rule(s) on ${groupId} as first seen stale at ${since} (the grace period starts; nothing is deleted now)`,
        before: { ...omitted(mark), rules: listed(mark).items.map((s) => ({ ruleId: s.rule.ruleId, rule: describeRule(s.rule), description: s.rule.description, reason: s.reason })) },
        after: { [STALE_SINCE_TAG]: since, revocableAfter: new Date(snapshot.observedAt + config.nlb.graceSeconds * 1000).toISOString() },
      });
    }
  } else if (high || facts.force === 'limit-exceeded') {
    findings.push({
      id: `${NLB_RULE_HEADROOM}:${groupId}:no-headroom`, check: NLB_RULE_HEADROOM, severity: used >= quota ? 'high' : 'medium', resource,
      title: `Security group ${groupId} is at ${used}/${quota} inbound rules and nothing is stale: about ${fitsNow} more LoadBalancer Service(s) fit`,
      evidence: { ...usage, liveRulesByNlb, ...keptEvidence, nlbCount: Object.keys(decision.liveByLb).length, servicesThatFit: fitsNow, rulesPerService: perService, waysOut: WAYS_OUT },
      fixHint: WAYS_OUT.join(' '),
    });
  }

  if (decision.unmark.length > 0) {
    const id = `${NLB_RULE_HEADROOM}:${groupId}:mark-cleared`;
    findings.push({
      id, check: NLB_RULE_HEADROOM, severity: 'info', resource,
      title: `Security group ${groupId}: ${decision.unmark.length} rule(s) marked stale earlier are live again; their mark is cleared`,
      evidence: { rules: decision.unmark.map((r) => ({ ruleId: r.ruleId, rule: describeRule(r), description: r.description, staleSince: r.tags?.[STALE_SINCE_TAG] })) },
      fixHint: 'Nothing to do: the NLB exists (or a client rule uses the CIDR), so the grace period starts over if it disappears again.',
    });
    actions.push({
      kind: 'UntagSecurityGroupRules', check: NLB_RULE_HEADROOM, findingId: id, groupId,
      ruleIds: decision.unmark.map((r) => r.ruleId), keys: [STALE_SINCE_TAG],
      summary: `Clear the stale mark on ${decision.unmark.length} live rule(s) of ${groupId}`,
      before: { [STALE_SINCE_TAG]: decision.unmark.map((r) => r.tags?.[STALE_SINCE_TAG]) }, after: { [STALE_SINCE_TAG]: 'absent' },
    });
  }
  return { findings, actions };
}

const NOT_ELIGIBLE = `report only: the group is not eligible for trimming (neither the EKS cluster security group nor tagged ${NLB_TRIM_TAG}=true)`;

function omitted(items: readonly unknown[]): { rulesNotListed?: number } {
  const { omitted: n } = listed(items);
  return n ? { rulesNotListed: n } : {};
}

function waitingWhy(s: StaleRule, mayRevoke: boolean, graceEnds: string | undefined): string {
  if (s.state === 'revoke' && !mayRevoke) return 'keep for now: grace period over, revoked once usage reaches the threshold';
  if (graceEnds && s.ref.kind === 'mtu') return `keep for now: revoked after ${graceEnds}, once no client rule uses its CIDR`;
  return `keep for now: in its grace period until ${graceEnds ?? 'a later look'}`;
}
