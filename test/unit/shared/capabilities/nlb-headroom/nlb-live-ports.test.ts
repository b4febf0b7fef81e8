import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeLiveNeed, liveNeedOf, livePorts, loadBalancerNameOf, trafficProtocols } from '../../../../../shared/capabilities/nlb-headroom/nlb-live-ports.ts';
import { STALE_SINCE_TAG, decideStale } from '../../../../../shared/capabilities/nlb-headroom/nlb-rules.ts';
import type { SgRule, TargetGroupState } from '../../../../../shared/types/index.ts';

const LIVE = 'a' + '1'.repeat(31);
const DEAD = 'a' + 'd'.repeat(31);
const NOW = Date.parse('2026-11-20T12:00:00Z');
const arn = (name: string, type = 'net') => `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/${type}/${name}/50dc6c495c0c9188`;
const tg = (over: Partial<TargetGroupState>): TargetGroupState => ({ name: 'k8s-default-web-0123456789', protocol: 'TCP', port: 31005, healthCheckPort: 'traffic-port', targetType: 'instance', loadBalancerArns: [arn(LIVE)], ...over });
let n = 0;
const rule = (over: Partial<SgRule>): SgRule & { ruleId: string } => ({ ruleId: `sgr-${++n}`, direction: 'ingress', protocol: 'tcp', fromPort: 31005, toPort: 31005, cidrIpv4: '0.0.0.0/0', ...over } as SgRule & { ruleId: string });
const marked = <T extends SgRule>(r: T): T => ({ ...r, tags: { [STALE_SINCE_TAG]: new Date(NOW - 3600_000).toISOString() } });

describe('livePorts', () => {
  it('maps target-group protocols to the rule protocols that carry them', () => {
    assert.deepEqual(['TCP', 'TLS', 'HTTP', 'HTTPS'].map(trafficProtocols), [['tcp'], ['tcp'], ['tcp'], ['tcp']]);
    assert.deepEqual(['UDP', 'GENEVE', 'QUIC'].map(trafficProtocols), [['udp'], ['udp'], ['udp']]);
    assert.deepEqual([trafficProtocols('TCP_UDP'), trafficProtocols(undefined), trafficProtocols('SOMETHING_NEW')], [['tcp', 'udp'], ['tcp', 'udp'], ['tcp', 'udp']]);
  });

  it('takes the traffic port and the health-check port (traffic-port means the same), only from target groups a load balancer uses', () => {
    const ports = livePorts([tg({}), tg({ name: 'hc', port: 31006, healthCheckPort: '32100' }), tg({ name: 'orphan', port: 31007, loadBalancerArns: [] })]);
    assert.deepEqual(ports.map((p) => [p.targetGroup, p.port, p.use, p.protocols]), [
      ['k8s-default-web-0123456789', 31005, 'traffic', ['tcp']], ['k8s-default-web-0123456789', 31005, 'health check', ['tcp']],
      ['hc', 31006, 'traffic', ['tcp']], ['hc', 32100, 'health check', ['tcp']],
    ]);
    assert.deepEqual(ports[0]!.loadBalancers, [LIVE]);
  });

  it('a load balancer with a UDP target group needs udp on every traffic port (the provider writes all client rules as udp then)', () => {
    const ports = livePorts([tg({ port: 31005 }), tg({ name: 'dns', protocol: 'UDP', port: 31053 }), tg({ name: 'other', port: 31010, loadBalancerArns: [arn('a' + '2'.repeat(31))] })]);
    const traffic = ports.filter((p) => p.use === 'traffic').map((p) => [p.port, [...p.protocols].sort()]);
    assert.deepEqual(traffic, [[31005, ['tcp', 'udp']], [31053, ['udp']], [31010, ['tcp']]]);
  });

  it('reads load balancer names from NLB, ALB and gateway ARNs', () => {
    assert.equal(loadBalancerNameOf(arn(LIVE)), LIVE);
    assert.equal(loadBalancerNameOf(arn('my-alb', 'app')), 'my-alb');
    assert.equal(loadBalancerNameOf('not-an-arn'), 'not-an-arn');
  });
});

describe('liveNeedOf', () => {
  const ports = livePorts([tg({ port: 31005, healthCheckPort: '32100' })]);
  it('matches protocol and port range, whatever the CIDR', () => {
    assert.ok(liveNeedOf(rule({ cidrIpv4: '192.0.2.7/32' }), ports));
    assert.ok(liveNeedOf(rule({ fromPort: 31000, toPort: 31010 }), ports));
    assert.ok(liveNeedOf(rule({ fromPort: 32100, toPort: 32100, cidrIpv4: '10.0.0.0/20' }), ports));
    assert.equal(liveNeedOf(rule({ fromPort: 31006, toPort: 31006 }), ports), undefined);
    assert.equal(liveNeedOf(rule({ protocol: 'udp' }), ports), undefined, 'a TCP target group does not need udp');
    assert.equal(liveNeedOf(rule({ protocol: 'udp', fromPort: 32100, toPort: 32100 }), ports), undefined, 'health checks are TCP');
  });
  it('all-traffic rules open every live port; ICMP rules none', () => {
    assert.ok(liveNeedOf(rule({ protocol: '-1', fromPort: undefined, toPort: undefined }), ports));
    assert.equal(liveNeedOf(rule({ protocol: '-1' }), []), undefined);
    assert.equal(liveNeedOf(rule({ protocol: 'icmp', fromPort: 3, toPort: 4 }), livePorts([tg({ port: 3 })])), undefined);
  });
  it('says which load balancer uses the port', () => {
    assert.equal(describeLiveNeed(ports[0]!), `NodePort 31005 now serves live load balancer ${LIVE} (traffic port of target group k8s-default-web-0123456789)`);
    assert.equal(describeLiveNeed({ ...ports[1]!, targetType: 'ip' }), `port 32100 now serves live load balancer ${LIVE} (health check port of target group k8s-default-web-0123456789)`);
  });
});

describe('decideStale with live target groups', () => {
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
