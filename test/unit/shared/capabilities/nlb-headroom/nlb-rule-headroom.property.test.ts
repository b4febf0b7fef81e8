/**
 * Property tests for the NLB trim planner (the check as plan() runs it): for random groups, rule
 * descriptions, marks, live load balancers and target groups, what it plans to revoke is always safe.
 * The oracles below are written from the rules the docs state, independently of the planner's code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nlbRuleHeadroom } from '../../../../../shared/capabilities/nlb-headroom/nlb-rule-headroom.ts';
import { STALE_SINCE_TAG, type LoadBalancerLookup, type NlbForce, type NlbHeadroomFacts } from '../../../../../shared/capabilities/nlb-headroom/nlb-rules.ts';
import { plan } from '../../../../../shared/engine/plan.ts';
import type { RevokeRulesAction, SgRule, TargetGroupState } from '../../../../../shared/types/index.ts';
import { GROUP, clusterSg, config, snapshot } from '../../../../support/snapshots.ts';
import { CHECK_NAMES } from '../../../../../shared/capabilities/names.ts';

const NOW = Date.parse('2026-11-24T08:00:00Z');
const NAMES = ['a' + '1'.repeat(31), 'a' + '2'.repeat(31), 'a' + 'd'.repeat(31), 'a' + 'e'.repeat(31), 'a0123456789abcdef0123456789abcde'];
const PORTS = [30000, 30001, 31000, 8080];
const CIDRS = ['0.0.0.0/0', '10.0.0.0/20', '10.0.16.0/20', '192.0.2.1/32', '198.51.100.0/24'];
const arnOf = (name: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/${name}/0123456789abcdef`;

const description = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NAMES).chain((lb) => fc.constantFrom(`kubernetes.io/rule/nlb/client=${lb}`, `kubernetes.io/rule/nlb/health=${lb}`, `kubernetes.io/rule/nlb/mtu=${lb}`)) },
  // look-alikes: never the provider's
  { weight: 2, arbitrary: fc.constantFrom(...NAMES).chain((lb) => fc.constantFrom(
    `kubernetes.io/rule/nlb/client=${lb} `, `Kubernetes.io/rule/nlb/client=${lb}`, `kubernetes.io/rule/nlb/client=${lb.toUpperCase()}`,
    `kubernetes.io/rule/nlb/health=${lb.slice(0, 31)}`, `x kubernetes.io/rule/nlb/client=${lb}`,
  )) },
  { weight: 2, arbitrary: fc.constantFrom('kubernetes.io/rule/nlb/mtu', 'kubernetes.io/rule/nlb/client=my-service', 'elbv2.k8s.aws/targetGroupBinding=shared', 'team-a app', '') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const rule = fc.record({
  direction: fc.constantFrom('ingress', 'ingress', 'ingress', 'egress') as fc.Arbitrary<'ingress' | 'egress'>,
  protocol: fc.constantFrom('tcp', 'tcp', 'udp', 'icmp', '-1', '50'),
  from: fc.constantFrom(...PORTS, 3, 0),
  span: fc.constantFrom(0, 0, 0, 1, 100, 2767),
  source: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...CIDRS).map((c) => ({ cidrIpv4: c })) },
    { weight: 1, arbitrary: fc.constant({ cidrIpv6: '::/0' }) },
    { weight: 1, arbitrary: fc.constant({ referencedGroupId: 'sg-0123' }) },
    { weight: 1, arbitrary: fc.constant({ prefixListId: 'pl-0123' }) },
  ),
  description,
  markedAgo: fc.option(fc.oneof(fc.integer({ min: -3600, max: 7200 }), fc.constant(3600)), { nil: undefined, freq: 5 }),
}).map((r, ): SgRule => ({
  direction: r.direction, protocol: r.protocol,
  ...(r.protocol === '-1' ? {} : { fromPort: r.from, toPort: r.from + r.span }),
  ...r.source,
  ...(r.description !== undefined ? { description: r.description } : {}),
  ...(r.markedAgo !== undefined ? { tags: { [STALE_SINCE_TAG]: new Date(NOW - r.markedAgo * 1000).toISOString() } } : {}),
}));

const targetGroup = fc.record({
  name: fc.constantFrom('k8s-a', 'k8s-b', 'k8s-c', 'other'),
  protocol: fc.option(fc.constantFrom('TCP', 'UDP', 'TCP_UDP', 'TLS', 'HTTP', 'HTTPS', 'GENEVE', 'QUIC', 'TCP_QUIC'), { nil: undefined }),
  port: fc.option(fc.constantFrom(...PORTS), { nil: undefined }),
  healthCheckPort: fc.option(fc.oneof(fc.constant('traffic-port'), fc.constantFrom(...PORTS).map(String)), { nil: undefined }),
  targetType: fc.constantFrom('instance', 'ip', 'lambda', 'alb'),
  lbs: fc.oneof(fc.subarray(NAMES, { maxLength: 1 }), fc.constant([] as string[])),
}).map((t): TargetGroupState => ({
  name: t.name,
  ...(t.protocol ? { protocol: t.protocol } : {}),
  ...(t.port !== undefined ? { port: t.port } : {}),
  ...(t.healthCheckPort ? { healthCheckPort: t.healthCheckPort } : {}),
  targetType: t.targetType,
  loadBalancerArns: t.lbs.map(arnOf),
}));

const scenario = fc.record({
  rules: fc.array(rule, { maxLength: 40 }),
  filler: fc.constantFrom(0, 50, 55, 60),
  live: fc.subarray(NAMES, { maxLength: 2 }),
  targetGroups: fc.array(targetGroup, { maxLength: 6 }),
  lookupFails: fc.constantFrom(false, false, false, true),
  eligible: fc.constantFrom('cluster-sg', 'cluster-sg', 'opted-in', 'opted-in', 'no', 'opt-in-typo'),
  grace: fc.constantFrom(0, 600),
  force: fc.constantFrom(undefined, 'limit-exceeded', 'limit-exceeded', 'load-balancer-deleted') as fc.Arbitrary<NlbForce | undefined>,
  mode: fc.constantFrom('enforce', 'report'),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function run(s: Scenario) {
  let n = 0;
  const rules = [...s.rules, ...Array.from({ length: s.filler }, (_, i): SgRule => ({ direction: 'ingress', protocol: 'tcp', fromPort: 9000 + i, toPort: 9000 + i, cidrIpv4: `203.0.113.${i}/32`, description: 'team-a' }))]
    .map((r) => ({ ...r, ruleId: `sgr-${String(++n).padStart(4, '0')}` }));
  // Every TG's load balancers are live (ELBv2 lists a TG's load balancers); add them to the names listing.
  const names = [...new Set([...s.live, ...s.targetGroups.flatMap((t) => t.loadBalancerArns.map((a) => a.split('/')[2]!))])];
  const lookup: LoadBalancerLookup = s.lookupFails
    ? { ok: false, reason: 'DescribeTargetGroups failed (AccessDenied: no)' }
    : { ok: true, names, pages: 1, targetGroups: s.targetGroups, targetGroupPages: 1 };
  const facts: NlbHeadroomFacts = { quota: { value: 60, source: 'service-quotas' }, groupIds: [GROUP], rules: { [GROUP]: rules }, prefixListWeights: { 'pl-0123': 5 }, lookup, ...(s.force ? { force: s.force } : {}) };
  const tags: Record<string, string> = s.eligible === 'opted-in' ? { 'eks-guardrails/nlb-trim': 'true' } : s.eligible === 'opt-in-typo' ? { 'eks-guardrails/nlb-trim': 'True' } : {};
  const sg = { ...clusterSg(rules, tags), ...(s.eligible === 'cluster-sg' ? {} : { tags }) };
  const snap = snapshot({ clusterSecurityGroup: sg, clusterTaggedSecurityGroups: [sg], observedAt: NOW, extra: { nlbHeadroom: facts } });
  const p = plan([nlbRuleHeadroom], snap, config({ GUARDRAILS_CHECK_MODES: `nlb-rule-headroom=${s.mode}`, GUARDRAILS_NLB_GRACE_SECONDS: String(s.grace) }), CHECK_NAMES);
  const revoked = p.actions.filter((a) => a.action.kind === 'RevokeRules').flatMap((a) => (a.action as RevokeRulesAction).ruleIds);
  const byId = new Map(rules.map((r) => [r.ruleId, r]));
  return { p, revoked: revoked.map((id) => byId.get(id)!), rules, names: new Set(names) };
}

// ---- oracles, from the documented rules ----
const EXACT = /^kubernetes\.io\/rule\/nlb\/(?:(?:client|health)=a[0-9a-f]{31}|mtu(?:=a[0-9a-f]{31})?)$/;

/** (protocol, port) pairs live load balancers' target groups use; health checks are TCP; a LB with UDP needs UDP on all its ports. */
function neededPairs(tgs: readonly TargetGroupState[]): { protocol: string; port: number }[] {
  const udp = (p?: string) => !p || ['UDP', 'TCP_UDP', 'GENEVE', 'QUIC', 'TCP_QUIC'].includes(p) || !['TCP', 'TLS', 'HTTP', 'HTTPS'].includes(p);
  const tcp = (p?: string) => !p || !['UDP', 'GENEVE', 'QUIC'].includes(p);
  const attached = tgs.filter((t) => t.loadBalancerArns.length > 0);
  const udpLbs = new Set(attached.filter((t) => udp(t.protocol)).flatMap((t) => t.loadBalancerArns));
  const pairs: { protocol: string; port: number }[] = [];
  for (const t of attached) {
    if (t.port !== undefined) {
      if (tcp(t.protocol)) pairs.push({ protocol: 'tcp', port: t.port });
      if (udp(t.protocol) || t.loadBalancerArns.some((a) => udpLbs.has(a))) pairs.push({ protocol: 'udp', port: t.port });
    }
    const hc = t.healthCheckPort && t.healthCheckPort !== 'traffic-port' ? Number(t.healthCheckPort) : t.port;
    if (hc !== undefined) pairs.push({ protocol: 'tcp', port: hc });
  }
  return pairs;
}

function needed(r: SgRule, pairs: readonly { protocol: string; port: number }[]): boolean {
  return pairs.some((p) => r.protocol === '-1' || (r.protocol === p.protocol && (r.fromPort ?? 0) <= p.port && p.port <= (r.toPort ?? 65535)));
}

const PARAMS = { numRuns: 400, seed: 20261124 } as const;

describe('NLB trim planner (properties)', () => {
  it('never plans the revoke of a rule a live load balancer needs', () => {
    fc.assert(fc.property(scenario, (s) => {
      const { revoked } = run(s);
      const pairs = neededPairs(s.targetGroups);
      for (const r of revoked) assert.ok(!needed(r, pairs), `revoked ${JSON.stringify(r)} that a live target group needs`);
    }), PARAMS);
  });

  it('never plans the revoke of a rule whose description is not exactly the provider\'s, or that is not a CIDR ingress rule', () => {
    fc.assert(fc.property(scenario, (s) => {
      for (const r of run(s).revoked) {
        assert.match(r.description ?? '', EXACT);
        assert.equal(r.direction, 'ingress');
        assert.ok((r.cidrIpv4 || r.cidrIpv6) && !r.referencedGroupId && !r.prefixListId);
      }
    }), PARAMS);
  });

  it('never plans the revoke of a live NLB\'s rule, nor of an MTU rule a remaining client rule uses', () => {
    fc.assert(fc.property(scenario, (s) => {
      const { revoked, rules, names } = run(s);
      const going = new Set(revoked.map((r) => r.ruleId));
      for (const r of revoked) {
        const lb = /=(a[0-9a-f]{31})$/.exec(r.description ?? '')?.[1];
        if (lb) assert.ok(!names.has(lb), `revoked a rule of live load balancer ${lb}`);
        if (/^kubernetes\.io\/rule\/nlb\/mtu(=|$)/.test(r.description ?? '')) {
          const cidr = r.cidrIpv4 ?? r.cidrIpv6;
          const users = rules.filter((c) => c.direction === 'ingress' && (c.cidrIpv4 ?? c.cidrIpv6) === cidr && c.description?.includes('kubernetes.io/rule/nlb/client'));
          assert.ok(users.every((c) => going.has(c.ruleId)), `revoked the MTU rule of ${cidr} that a remaining client rule uses`);
        }
      }
    }), PARAMS);
  });

  it('plans nothing at all when a lookup failed, and no revoke or mark on a group not eligible for trimming', () => {
    fc.assert(fc.property(scenario, (s) => {
      const { p } = run(s);
      if (s.lookupFails) assert.deepEqual(p.actions, []);
      if (s.eligible === 'no' || s.eligible === 'opt-in-typo') {
        assert.deepEqual(p.actions.filter((a) => a.action.kind !== 'UntagSecurityGroupRules'), []);
      }
    }), PARAMS);
  });

  it('with a grace period, revokes only rules marked stale at least that long ago', () => {
    fc.assert(fc.property(scenario.filter((s) => s.grace > 0), (s) => {
      for (const r of run(s).revoked) {
        const since = Date.parse(r.tags?.[STALE_SINCE_TAG] ?? '');
        assert.ok(NOW - since >= s.grace * 1000, `revoked ${r.ruleId} marked at ${r.tags?.[STALE_SINCE_TAG]}`);
      }
    }), PARAMS);
  });

  it('is not vacuous: in many scenarios something is revoked, and rules kept for a live need do occur', () => {
    const runs = fc.sample(scenario, { numRuns: PARAMS.numRuns, seed: PARAMS.seed });
    let revoking = 0;
    let keptForLiveNeed = 0;
    for (const s of runs) {
      const { p, revoked } = run(s);
      if (revoked.length > 0) revoking++;
      if (p.findings.some((f) => Array.isArray(f.evidence.keptRules) && f.evidence.keptRules.length > 0)) keptForLiveNeed++;
    }
    assert.ok(revoking >= PARAMS.numRuns / 10, `only ${revoking} of ${PARAMS.numRuns} scenarios revoke anything`);
    assert.ok(keptForLiveNeed >= PARAMS.numRuns / 20, `only ${keptForLiveNeed} scenarios keep a rule for a live need`);
  });

  it('still trims: a dead NLB\'s old-marked rule on a port no live target group uses is revoked in a full, eligible group', () => {
    fc.assert(fc.property(fc.array(targetGroup, { maxLength: 4 }), (tgs) => {
      const dead = 'a' + 'f'.repeat(31);
      const r: SgRule = { direction: 'ingress', protocol: 'tcp', fromPort: 30500, toPort: 30500, cidrIpv4: '192.0.2.9/32', description: `kubernetes.io/rule/nlb/client=${dead}`, tags: { [STALE_SINCE_TAG]: new Date(NOW - 3600_000).toISOString() } };
      const { revoked } = run({ rules: [r], filler: 55, live: [], targetGroups: tgs, lookupFails: false, eligible: 'cluster-sg', grace: 600, force: undefined, mode: 'enforce' });
      assert.deepEqual(revoked.map((x) => x.description), [r.description]);
    }), { numRuns: 100, seed: 7 });
  });
});
