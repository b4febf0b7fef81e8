import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeLiveNeed, liveNeedOf, livePorts, loadBalancerNameOf, trafficProtocols } from '../../../../../shared/capabilities/nlb-headroom/nlb-live-ports.ts';
import type { SgRule, TargetGroupState } from '../../../../../shared/types/index.ts';

const LIVE = 'a' + '1'.repeat(31);
const arn = (name: string, type = 'net') => `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/${type}/${name}/50dc6c495c0c9188`;
const tg = (over: Partial<TargetGroupState>): TargetGroupState => ({ name: 'k8s-default-web-0123456789', protocol: 'TCP', port: 31005, healthCheckPort: 'traffic-port', targetType: 'instance', loadBalancerArns: [arn(LIVE)], ...over });
let n = 0;
const rule = (over: Partial<SgRule>): SgRule & { ruleId: string } => ({ ruleId: `sgr-${++n}`, direction: 'ingress', protocol: 'tcp', fromPort: 31005, toPort: 31005, cidrIpv4: '0.0.0.0/0', ...over } as SgRule & { ruleId: string });

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
