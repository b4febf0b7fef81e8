import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SgRule, TargetGroupState } from '../../../../../shared/types/index.ts';
import { livePorts } from '../../../../../shared/capabilities/nlb-headroom/nlb-live-ports.ts';
import {
  STALE_SINCE_TAG, atThreshold, countRules, decideStale, ingressUsage, mayReachThreshold, nlbNameFromArn, parseNlbDescription, providerRule, rulesPerService,
} from '../../../../../shared/capabilities/nlb-headroom/nlb-rules.ts';

const LIVE = 'a' + '1'.repeat(31);
const DEAD = 'a' + 'd'.repeat(31);
const NOW = Date.parse('2026-11-20T12:00:00Z');
let n = 0;
const rule = (over: Partial<SgRule>): SgRule & { ruleId: string } => ({ ruleId: `sgr-${++n}`, direction: 'ingress', protocol: 'tcp', fromPort: 30000, toPort: 30000, ...over } as SgRule & { ruleId: string });
const client = (lb: string, cidr = '0.0.0.0/0', port = 30000) => rule({ cidrIpv4: cidr, fromPort: port, toPort: port, description: `kubernetes.io/rule/nlb/client=${lb}` });
const health = (lb: string, cidr = '10.0.0.0/20') => rule({ cidrIpv4: cidr, description: `kubernetes.io/rule/nlb/health=${lb}` });
const mtu = (cidr = '0.0.0.0/0', lb?: string) => rule({ protocol: 'icmp', fromPort: 3, toPort: 4, cidrIpv4: cidr, description: `kubernetes.io/rule/nlb/mtu${lb ? `=${lb}` : ''}` });
const marked = <T extends SgRule>(r: T, agoSeconds: number): T => ({ ...r, tags: { [STALE_SINCE_TAG]: new Date(NOW - agoSeconds * 1000).toISOString() } });
const decide = (rules: SgRule[], grace = 600) => decideStale({ rules, liveNames: new Set([LIVE]), livePorts: [], now: NOW, graceSeconds: grace });

describe('parseNlbDescription', () => {
  it('accepts exactly the provider descriptions', () => {
    assert.deepEqual(parseNlbDescription(`kubernetes.io/rule/nlb/client=${DEAD}`), { kind: 'client', lbName: DEAD });
    assert.deepEqual(parseNlbDescription(`kubernetes.io/rule/nlb/health=${DEAD}`), { kind: 'health', lbName: DEAD });
    assert.deepEqual(parseNlbDescription('kubernetes.io/rule/nlb/mtu'), { kind: 'mtu' });
    assert.deepEqual(parseNlbDescription(`kubernetes.io/rule/nlb/mtu=${DEAD}`), { kind: 'mtu', lbName: DEAD });
  });
  it('rejects look-alikes', () => {
    for (const d of [
      `kubernetes.io/rule/nlb/client=${DEAD} `, `kubernetes.io/rule/nlb/client=${DEAD}x`, `Kubernetes.io/rule/nlb/client=${DEAD}`,
      'kubernetes.io/rule/nlb/client=my-service', `kubernetes.io/rule/nlb/client=A${'D'.repeat(31)}`, `kubernetes.io/rule/nlb/client=${DEAD.slice(0, 31)}`,
      `x kubernetes.io/rule/nlb/client=${DEAD}`, 'elbv2.k8s.aws/targetGroupBinding=shared', 'kubernetes.io/rule/nlb/mtu=', undefined, '',
    ]) assert.equal(parseNlbDescription(d), undefined, String(d));
  });
  it('reads NLB names from ARNs, never ALB names', () => {
    assert.equal(nlbNameFromArn(`arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/${DEAD}/abc`), DEAD);
    assert.equal(nlbNameFromArn(`arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/${DEAD}/abc`), undefined);
  });
  it('never treats SG references, prefix lists or egress as provider rules', () => {
    const d = `kubernetes.io/rule/nlb/client=${DEAD}`;
    assert.equal(providerRule(rule({ referencedGroupId: 'sg-1', description: d })), undefined);
    assert.equal(providerRule(rule({ prefixListId: 'pl-1', description: d })), undefined);
    assert.equal(providerRule(rule({ direction: 'egress', cidrIpv4: '0.0.0.0/0', description: d })), undefined);
    assert.equal(providerRule(rule({ protocol: 'tcp', cidrIpv4: '0.0.0.0/0', description: 'kubernetes.io/rule/nlb/mtu' })), undefined);
  });
});

describe('countRules', () => {
  it('counts as the quota does: CIDRs per family, SG refs and prefix lists in both, directions apart', () => {
    const usage = countRules([
      rule({ cidrIpv4: '10.0.0.0/8' }), rule({ cidrIpv4: '10.1.0.0/16' }), rule({ cidrIpv6: '::/0' }),
      rule({ referencedGroupId: 'sg-1' }), rule({ prefixListId: 'pl-20' }),
      rule({ direction: 'egress', cidrIpv4: '0.0.0.0/0' }), rule({ direction: 'egress', cidrIpv6: '::/0' }),
    ], { 'pl-20': 20 });
    assert.deepEqual(usage, { ingressIpv4: 2 + 1 + 20, ingressIpv6: 1 + 1 + 20, egressIpv4: 1, egressIpv6: 1 });
    assert.equal(ingressUsage(usage), 23);
  });
  it('gates on the threshold, and rules out a call under the smallest quota', () => {
    assert.equal(atThreshold(48, 60, 80), true);
    assert.equal(atThreshold(47, 60, 80), false);
    assert.equal(mayReachThreshold(47, 80), false);
    assert.equal(mayReachThreshold(48, 80, 200), true);
  });
});

describe('decideStale', () => {
  it('marks first, revokes only on a later look after the grace period', () => {
    const fresh = client(DEAD);
    assert.equal(decide([fresh]).stale[0]!.state, 'mark');
    assert.equal(decide([marked(fresh, 30)]).stale[0]!.state, 'waiting');
    assert.equal(decide([marked(fresh, 600)]).stale[0]!.state, 'revoke');
    // Grace 0 is "no grace": the look that proves the NLB absent is enough (the proof itself is still required).
    assert.equal(decide([fresh], 0).stale[0]!.state, 'revoke');
  });
  it('restarts the clock for the NLB a DeleteLoadBalancer event names (it existed until now)', () => {
    const old = marked(client(DEAD), 3600);
    const other = marked(client('a' + 'e'.repeat(31)), 3600);
    const d = decideStale({ rules: [old, other], liveNames: new Set(), livePorts: [], now: NOW, graceSeconds: 600, restartFor: DEAD });
    assert.deepEqual(d.stale.map((s) => s.state), ['mark', 'revoke']);
  });
  it('distrusts unreadable and future marks', () => {
    const r = client(DEAD);
    assert.equal(decide([{ ...r, tags: { [STALE_SINCE_TAG]: 'yesterday' } }]).stale[0]!.state, 'mark');
    assert.equal(decide([marked(r, -3600)]).stale[0]!.state, 'mark');
  });
  it('keeps rules of live NLBs and clears their marks', () => {
    const live = marked(client(LIVE), 9999);
    const d = decide([live, health(LIVE)]);
    assert.equal(d.stale.length, 0);
    assert.deepEqual(d.unmark.map((r) => r.ruleId), [live.ruleId]);
    assert.equal(d.liveByLb[LIVE]!.length, 2);
  });
  it('keeps a shared MTU rule while a live client rule uses its CIDR', () => {
    const m = marked(mtu('0.0.0.0/0'), 9999);
    const d = decide([client(LIVE, '0.0.0.0/0'), marked(client(DEAD, '0.0.0.0/0', 30001), 9999), m]);
    assert.deepEqual(d.stale.map((s) => s.rule.description), [`kubernetes.io/rule/nlb/client=${DEAD}`]);
  });
  it('revokes an MTU rule only together with the last client rule of its CIDR', () => {
    const m = marked(mtu('192.0.2.0/24'), 9999);
    const waitingClient = marked(client(DEAD, '192.0.2.0/24'), 30);
    assert.equal(decide([waitingClient, m]).stale.find((s) => s.rule === m)!.state, 'waiting');
    const goneClient = marked(client(DEAD, '192.0.2.0/24'), 9999);
    assert.equal(decide([goneClient, m]).stale.find((s) => s.rule === m)!.state, 'revoke');
  });
  it('treats a legacy mtu=<lb> rule like a shared one: its NLB gone and no client rule on the CIDR', () => {
    const legacyDead = marked(mtu('0.0.0.0/0', DEAD), 9999);
    assert.equal(decide([legacyDead]).stale[0]!.state, 'revoke');
    // AWS keeps one rule per source: the dead NLB's legacy MTU rule may be the one a live NLB relies on.
    assert.equal(decide([legacyDead, client(LIVE, '0.0.0.0/0')]).stale.length, 0);
    assert.equal(decide([marked(mtu('0.0.0.0/0', LIVE), 9999)]).stale.length, 0);
  });
  it('estimates the rules one more Service needs', () => {
    assert.equal(rulesPerService({}), 3);
    assert.equal(rulesPerService({ [LIVE]: [client(LIVE), health(LIVE), health(LIVE, '10.0.16.0/20')] }), 3);
  });
});

describe('decideStale with live target groups', () => {
  // Rules on NodePort 31005 and target groups of load balancer LIVE; marks an hour old.
  const arn = (name: string, type = 'net') => `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/${type}/${name}/50dc6c495c0c9188`;
  const tg = (over: Partial<TargetGroupState>): TargetGroupState => ({ name: 'k8s-default-web-0123456789', protocol: 'TCP', port: 31005, healthCheckPort: 'traffic-port', targetType: 'instance', loadBalancerArns: [arn(LIVE)], ...over });
  const rule = (over: Partial<SgRule>): SgRule & { ruleId: string } => ({ ruleId: `sgr-${++n}`, direction: 'ingress', protocol: 'tcp', fromPort: 31005, toPort: 31005, cidrIpv4: '0.0.0.0/0', ...over } as SgRule & { ruleId: string });
  const marked = <T extends SgRule>(r: T): T => ({ ...r, tags: { [STALE_SINCE_TAG]: new Date(NOW - 3600_000).toISOString() } });

  it('keeps a dead NLB\'s rules on a live port and the MTU rule of their CIDR, clears their marks, trims the rest', () => {
    const reused = marked(rule({ cidrIpv4: '192.0.2.7/32', description: `kubernetes.io/rule/nlb/client=${DEAD}` }));
    const other = marked(rule({ fromPort: 31999, toPort: 31999, cidrIpv4: '192.0.2.7/32', description: `kubernetes.io/rule/nlb/client=${DEAD}` }));
    const health = marked(rule({ fromPort: 32100, toPort: 32100, cidrIpv4: '10.0.0.0/20', description: `kubernetes.io/rule/nlb/health=${DEAD}` }));
    const mtu = marked(rule({ protocol: 'icmp', fromPort: 3, toPort: 4, cidrIpv4: '192.0.2.7/32', description: 'kubernetes.io/rule/nlb/mtu' }));
    const d = decideStale({ rules: [reused, other, health, mtu], liveNames: new Set([LIVE]), livePorts: livePorts([tg({ healthCheckPort: '32100' })]), now: NOW, graceSeconds: 600 });
    assert.deepEqual(d.stale.map((s) => [s.rule.ruleId, s.state]), [[other.ruleId, 'revoke']]);
    assert.deepEqual(d.kept.map((k) => k.rule.ruleId), [reused.ruleId, health.ruleId, mtu.ruleId]);
    assert.match(d.kept[0]!.reason, /^NodePort 31005 now serves live load balancer a1{31}/);
    assert.match(d.kept[2]!.reason, new RegExp(`^MTU rule for 192\\.0\\.2\\.7/32: kept client rule ${reused.ruleId} uses it`));
    assert.deepEqual(d.unmark.map((r) => r.ruleId).sort(), [reused.ruleId, health.ruleId, mtu.ruleId].sort());
  });
  it('counts look-alike client rules as users of an MTU rule, as the provider does', () => {
    const mtu = marked(rule({ protocol: 'icmp', fromPort: 3, toPort: 4, cidrIpv4: '198.51.100.0/24', description: 'kubernetes.io/rule/nlb/mtu' }));
    const lookAlike = rule({ cidrIpv4: '198.51.100.0/24', description: 'kubernetes.io/rule/nlb/client=my-service' });
    assert.equal(decideStale({ rules: [mtu, lookAlike], liveNames: new Set(), livePorts: [], now: NOW, graceSeconds: 600 }).stale.length, 0);
    assert.equal(decideStale({ rules: [mtu], liveNames: new Set(), livePorts: [], now: NOW, graceSeconds: 600 }).stale[0]!.state, 'revoke');
  });
});
