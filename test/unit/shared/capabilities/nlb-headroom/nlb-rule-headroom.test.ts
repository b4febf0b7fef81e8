import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nlbRuleHeadroom } from '../../../../../shared/capabilities/nlb-headroom/nlb-rule-headroom.ts';
import { STALE_SINCE_TAG, type LoadBalancerLookup, type NlbHeadroomFacts } from '../../../../../shared/capabilities/nlb-headroom/nlb-rules.ts';
import { plan } from '../../../../../shared/engine/plan.ts';
import type { RevokeRulesAction, SgRule } from '../../../../../shared/types/index.ts';
import { GROUP, clusterSg, config, selfRule, snapshot } from '../../../../support/snapshots.ts';
import { CHECK_NAMES } from '../../../../../shared/capabilities/names.ts';

const LIVE = 'a' + '1'.repeat(31);
const DEAD = 'a' + 'd'.repeat(31);
const NOW = Date.parse('2026-11-24T08:00:00Z');
const enforce = { GUARDRAILS_CHECK_MODES: 'nlb-rule-headroom=enforce' };

let n = 0;
const id = () => `sgr-${String(++n).padStart(4, '0')}`;
const client = (lb: string, port: number, markedAgo?: number): SgRule => ({
  ruleId: id(), direction: 'ingress', protocol: 'tcp', fromPort: port, toPort: port, cidrIpv4: '0.0.0.0/0',
  description: `kubernetes.io/rule/nlb/client=${lb}`,
  ...(markedAgo !== undefined ? { tags: { [STALE_SINCE_TAG]: new Date(NOW - markedAgo * 1000).toISOString() } } : {}),
});
const filler = (count: number): SgRule[] => Array.from({ length: count }, (_, i) => ({
  ruleId: id(), direction: 'ingress', protocol: 'tcp', fromPort: 8000 + i, toPort: 8000 + i, cidrIpv4: `203.0.113.${i}/32`, description: 'team-a',
}));

function snap(rules: SgRule[], over: Partial<NlbHeadroomFacts> = {}, lookup: LoadBalancerLookup = { ok: true, names: [LIVE], pages: 1, targetGroups: [], targetGroupPages: 1 }, sgTags: Record<string, string> = {}) {
  const all = [{ ...selfRule(), ruleId: id() }, ...rules];
  const facts: NlbHeadroomFacts = { quota: { value: 60, source: 'service-quotas' }, groupIds: [GROUP], rules: { [GROUP]: all }, prefixListWeights: {}, lookup, ...over };
  const sg = clusterSg(all, sgTags);
  return snapshot({ clusterSecurityGroup: sg, clusterTaggedSecurityGroups: [sg], observedAt: NOW, extra: { nlbHeadroom: facts } });
}

describe('nlb-rule-headroom', () => {
  it('defaults to report: the plan is shown, never executed', () => {
    assert.equal(nlbRuleHeadroom.defaultMode, 'report');
    const p = plan([nlbRuleHeadroom], snap([client(DEAD, 30000, 3600), ...filler(50)]), config(), CHECK_NAMES);
    assert.deepEqual(p.actions.map((a) => [a.action.kind, a.executable, a.reason]), [['RevokeRules', false, 'check nlb-rule-headroom is in report mode']]);
  });

  it('revokes marked rules past the grace period in one action per group, and marks the fresh ones', () => {
    const old = [client(DEAD, 30000, 3600), client(DEAD, 30001, 601)];
    const fresh = client(DEAD, 30002);
    const young = client(DEAD, 30003, 30);
    const p = plan([nlbRuleHeadroom], snap([...old, fresh, young, client(LIVE, 31000), ...filler(45)]), config(enforce), CHECK_NAMES);
    const revoke = p.actions.find((a) => a.action.kind === 'RevokeRules')!.action as RevokeRulesAction;
    assert.deepEqual(revoke.ruleIds, old.map((r) => r.ruleId));
    assert.equal(revoke.direction, 'ingress');
    const mark = p.actions.find((a) => a.action.kind === 'TagSecurityGroupRules')!.action as { ruleIds: string[]; tags: Record<string, string> };
    assert.deepEqual(mark.ruleIds, [fresh.ruleId]);
    assert.equal(mark.tags[STALE_SINCE_TAG], new Date(NOW).toISOString());
    assert.equal(p.actions.length, 2);
  });

  it('with no grace period, a rule an earlier pass marked is revoked with the mark it carries; nothing is marked', () => {
    // The retry of a pass whose revoke failed (or a mark left by a grace period since set to 0): the revoke
    // must expect the mark that is there, or the executor's re-describe would skip the rule and the retry
    // would succeed with it still there.
    const markedBefore = client(DEAD, 30000, 90);
    const unmarked = client(DEAD, 30001);
    const p = plan([nlbRuleHeadroom], snap([markedBefore, unmarked, ...filler(47)]), config({ ...enforce, GUARDRAILS_NLB_GRACE_SECONDS: '0' }), CHECK_NAMES);
    assert.equal(p.actions.find((a) => a.action.kind === 'TagSecurityGroupRules'), undefined);
    const revoke = p.actions.find((a) => a.action.kind === 'RevokeRules')!.action as RevokeRulesAction;
    assert.deepEqual(revoke.ruleIds, [markedBefore.ruleId, unmarked.ruleId]);
    assert.deepEqual(revoke.rules[0]!.tags, markedBefore.tags, 'the revoke expects the mark that is there');
  });

  it('below the threshold revokes nothing (an NLB deletion only starts the grace clock)', () => {
    const rules = [client(DEAD, 30000, 3600), client(DEAD, 30001)];
    const p = plan([nlbRuleHeadroom], snap(rules, { force: 'load-balancer-deleted' }), config(enforce), CHECK_NAMES);
    assert.deepEqual(p.actions.map((a) => a.action.kind), ['TagSecurityGroupRules']);
    assert.equal(p.findings[0]!.severity, 'low');
  });

  it('a full group\'s failed Authorize trims even below the configured threshold, still only past the grace', () => {
    const rules = [client(DEAD, 30000, 3600), client(DEAD, 30001, 10)];
    const p = plan([nlbRuleHeadroom], snap(rules, { force: 'limit-exceeded' }), config({ ...enforce, GUARDRAILS_NLB_THRESHOLD_PERCENT: '99' }), CHECK_NAMES);
    assert.deepEqual((p.actions[0]!.action as RevokeRulesAction).ruleIds, [rules[0]!.ruleId]);
  });

  it('with a grace of 0 revokes on the look that proves the NLB absent, and writes no mark (IAM never reads it)', () => {
    const rules = [client(DEAD, 30000), client(DEAD, 30001, 3600)];
    const p = plan([nlbRuleHeadroom], snap([...rules, ...filler(50)]), config({ ...enforce, GUARDRAILS_NLB_GRACE_SECONDS: '0' }), CHECK_NAMES);
    assert.deepEqual(p.actions.map((a) => a.action.kind), ['RevokeRules']);
    assert.deepEqual((p.actions[0]!.action as RevokeRulesAction).ruleIds, rules.map((r) => r.ruleId));
  });

  it('deletes nothing and explains when the lookup failed', () => {
    const p = plan([nlbRuleHeadroom], snap([client(DEAD, 30000, 3600), ...filler(50)], {}, { ok: false, reason: 'DescribeLoadBalancers failed (AccessDenied: nope)' }), config(enforce), CHECK_NAMES);
    assert.equal(p.actions.length, 0);
    assert.match(p.findings[0]!.title, /could not prove/);
    assert.equal(p.findings[0]!.evidence.reason, 'DescribeLoadBalancers failed (AccessDenied: nope)');
  });

  it('clears the mark of a rule whose NLB is back', () => {
    const back = client(LIVE, 31000, 3600);
    const p = plan([nlbRuleHeadroom], snap([back, ...filler(50)]), config(enforce), CHECK_NAMES);
    assert.deepEqual(p.actions.map((a) => [a.action.kind, (a.action as { ruleIds: string[] }).ruleIds]), [['UntagSecurityGroupRules', [back.ruleId]]]);
    assert.ok(p.findings.some((f) => f.id.endsWith(':no-headroom')));
  });

  it('honours the exemption tag on the group', () => {
    const p = plan([nlbRuleHeadroom], snap([client(DEAD, 30000, 3600), ...filler(50)], {}, undefined, { 'eks-guardrails/exempt': 'nlb-rule-headroom' }), config(enforce), CHECK_NAMES);
    assert.equal(p.actions[0]!.executable, false);
    assert.equal(p.findings[0]!.exempt, true);
  });

  it('bounds what it lists, so a result event stays under EventBridge\'s 256 KB with a raised quota', () => {
    const stale = Array.from({ length: 400 }, (_, i) => client(DEAD, 30000 + i, 3600));
    const p = plan([nlbRuleHeadroom], snap([...stale, ...filler(400)], { quota: { value: 1000, source: 'service-quotas' } }), config(enforce), CHECK_NAMES);
    const revoke = p.actions.find((a) => a.action.kind === 'RevokeRules')!.action as RevokeRulesAction;
    assert.equal(revoke.ruleIds.length, 400, 'every stale rule is revoked');
    const finding = p.findings.find((f) => f.id.endsWith(':stale'))!;
    assert.equal((finding.evidence.rules as unknown[]).length, 150);
    assert.equal(finding.evidence.rulesNotListed, 250);
    assert.ok(JSON.stringify({ finding, actions: p.actions.map((a) => [a.action.summary, a.action.before, a.action.after]) }).length < 200_000);
  });

  it('a group neither EKS\'s cluster SG nor tagged eks-guardrails/nlb-trim=true gets a report, never a revoke or mark', () => {
    const rules = [client(DEAD, 30000, 3600), client(DEAD, 30001), ...filler(50)];
    const nodeSg = (tags: Record<string, string>) => {
      const all = [{ ...selfRule(), ruleId: id() }, ...rules];
      const sg = { groupId: GROUP, groupName: 'prod-nodes', vpcId: 'vpc-1', tags: { 'kubernetes.io/cluster/prod': 'owned', ...tags }, rules: all };
      const facts: NlbHeadroomFacts = { quota: { value: 60, source: 'service-quotas' }, groupIds: [GROUP], rules: { [GROUP]: all }, prefixListWeights: {}, lookup: { ok: true, names: [], pages: 1, targetGroups: [], targetGroupPages: 1 }, force: 'limit-exceeded' };
      return snapshot({ cluster: { ...snapshot().cluster, clusterSecurityGroupId: 'sg-other' }, clusterTaggedSecurityGroups: [sg], observedAt: NOW, extra: { nlbHeadroom: facts } });
    };
    for (const tags of [{}, { 'eks-guardrails/nlb-trim': 'false' }, { 'eks-guardrails/nlb-trim': 'TRUE' }] as Record<string, string>[]) {
      const p = plan([nlbRuleHeadroom], nodeSg(tags), config(enforce), CHECK_NAMES);
      assert.deepEqual(p.actions, [], JSON.stringify(tags));
      const finding = p.findings.find((f) => f.id.endsWith(':stale'))!;
      assert.match(finding.title, /not trimmed: the group is neither the EKS cluster security group nor tagged eks-guardrails\/nlb-trim=true/);
      assert.ok((finding.evidence.rules as { decision: string }[]).every((r) => r.decision.startsWith('report only')));
      assert.match(finding.fixHint, /Tag it eks-guardrails\/nlb-trim=true/);
    }
    const optedIn = plan([nlbRuleHeadroom], nodeSg({ 'eks-guardrails/nlb-trim': 'true' }), config(enforce), CHECK_NAMES);
    assert.deepEqual(optedIn.actions.map((a) => a.action.kind), ['RevokeRules', 'TagSecurityGroupRules']);
  });

  it('a group whose prefix lists could not be sized is reported as uncounted, with nothing planned', () => {
    const p = plan([nlbRuleHeadroom], snap([client(DEAD, 30000, 3600), ...filler(50)], { uncounted: { [GROUP]: 'DescribeManagedPrefixLists failed (UnauthorizedOperation: no)' } }), config(enforce), CHECK_NAMES);
    assert.deepEqual(p.actions, []);
    assert.deepEqual(p.findings.map((f) => f.id), [`nlb-rule-headroom:${GROUP}:could-not-count`]);
  });

  it('does nothing without facts (usage under the threshold: no calls were made)', () => {
    assert.deepEqual(nlbRuleHeadroom.run(snapshot(), config(enforce)), { findings: [], actions: [] });
  });
});
