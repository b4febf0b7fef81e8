import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coversTcpPortFrom, describeRule, ipv4CidrContains, isKubernetesNlbRule, sameRule } from '../../../../shared/engine/sg-rules.ts';

describe('sg-rules helpers', () => {
  it('computes IPv4 CIDR containment', () => {
    assert.equal(ipv4CidrContains('10.0.0.0/8', '10.1.0.0/16'), true);
    assert.equal(ipv4CidrContains('10.1.0.0/16', '10.0.0.0/8'), false);
    assert.equal(ipv4CidrContains('0.0.0.0/0', '192.168.1.0/24'), true);
    assert.equal(ipv4CidrContains('10.0.0.0/16', '10.0.0.0/16'), true);
    assert.equal(ipv4CidrContains('10.0.0.0/16', '10.1.0.0/16'), false);
    assert.equal(ipv4CidrContains('not-a-cidr', '10.0.0.0/16'), false);
    assert.equal(ipv4CidrContains('300.0.0.0/8', '10.0.0.0/16'), false);
  });

  it('knows which rules let TCP 443 in', () => {
    const base = { direction: 'ingress' as const, cidrIpv4: '10.0.0.0/16' };
    assert.equal(coversTcpPortFrom({ ...base, protocol: 'tcp', fromPort: 443, toPort: 443 }, 443, '10.0.0.0/16'), true);
    assert.equal(coversTcpPortFrom({ ...base, protocol: 'udp', fromPort: 443, toPort: 443 }, 443, '10.0.0.0/16'), false);
    assert.equal(coversTcpPortFrom({ ...base, protocol: 'tcp', fromPort: 80, toPort: 80 }, 443, '10.0.0.0/16'), false);
    assert.equal(coversTcpPortFrom({ ...base, protocol: '-1' }, 443, '10.0.0.0/16'), true);
  });

  it('recognises exactly the cloud provider NLB descriptions', () => {
    const r = (description: string) => ({ direction: 'ingress' as const, protocol: 'tcp', description });
    assert.equal(isKubernetesNlbRule(r('kubernetes.io/rule/nlb/client=a0123456789abcdef0123456789abcde')), true);
    assert.equal(isKubernetesNlbRule(r('kubernetes.io/rule/nlb/health=a0123456789abcdef0123456789abcde')), true);
    assert.equal(isKubernetesNlbRule(r('kubernetes.io/rule/nlb/mtu')), true);
    assert.equal(isKubernetesNlbRule(r('my kubernetes.io/rule/nlb/client=x')), false);
    assert.equal(isKubernetesNlbRule(r('elbv2.k8s.aws/targetGroupBinding=shared')), false);
  });

  it('describes and compares rules', () => {
    const a = { direction: 'ingress' as const, protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/16' };
    assert.equal(describeRule(a), 'tcp 443 from 10.0.0.0/16');
    assert.equal(describeRule({ direction: 'egress', protocol: '-1', cidrIpv4: '0.0.0.0/0' }), 'all traffic to 0.0.0.0/0');
    assert.equal(sameRule(a, { ...a, ruleId: 'sgr-1' }), true);
    assert.equal(sameRule(a, { ...a, toPort: 444 }), false);
  });
});
