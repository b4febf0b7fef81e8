import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterSgBaseline } from '../../../../../shared/capabilities/cluster-security-group/cluster-sg-baseline.ts';
import { allEgress, clusterSg, config, GROUP, selfRule, snapshot } from '../../../../support/snapshots.ts';

describe('cluster-sg-baseline', () => {
  it('passes a group with its self rule and all egress', () => {
    const out = clusterSgBaseline.run(snapshot(), config());
    assert.deepEqual(out, { findings: [], actions: [] });
  });

  it('plans exactly the missing self rule, described as ours', () => {
    const out = clusterSgBaseline.run(snapshot({ clusterSecurityGroup: clusterSg([allEgress()]) }), config());
    assert.equal(out.findings.length, 1);
    assert.equal(out.findings[0]!.severity, 'high');
    assert.equal(out.findings[0]!.id, `cluster-sg-baseline:${GROUP}:self-ingress`);
    assert.equal(out.actions.length, 1);
    const action = out.actions[0]!;
    assert.equal(action.kind, 'AuthorizeRules');
    assert.ok(action.kind === 'AuthorizeRules');
    assert.deepEqual(action.rules.map(({ description, ...r }) => r), [{ direction: 'ingress', protocol: '-1', referencedGroupId: GROUP }]);
    assert.match(action.rules[0]!.description!, /eks-guardrails/);
    assert.equal(action.findingId, out.findings[0]!.id);
  });

  it('does not accept a self rule narrowed to some ports as the baseline', () => {
    const narrowed = { ...selfRule(), protocol: 'tcp', fromPort: 443, toPort: 443 };
    const out = clusterSgBaseline.run(snapshot({ clusterSecurityGroup: clusterSg([narrowed, allEgress()]) }), config());
    assert.equal(out.actions.length, 1);
  });

  it('does not count an all-traffic rule from another group as the self rule', () => {
    const other = { ...selfRule(), referencedGroupId: 'sg-0other' };
    const out = clusterSgBaseline.run(snapshot({ clusterSecurityGroup: clusterSg([other, allEgress()]) }), config());
    assert.equal(out.actions.length, 1);
  });

  it('adds HTTPS from each VPC CIDR only when configured, and only the missing ones', () => {
    const vpc = { vpcId: 'vpc-1', cidrBlocks: ['10.0.0.0/16', '100.64.0.0/16'], ipv6CidrBlocks: [] };
    const present = { direction: 'ingress' as const, protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/16' };
    const sg = clusterSg([selfRule(), allEgress(), present]);
    assert.equal(clusterSgBaseline.run(snapshot({ vpc, clusterSecurityGroup: sg }), config()).actions.length, 0);
    const out = clusterSgBaseline.run(snapshot({ vpc, clusterSecurityGroup: sg }), config({ GUARDRAILS_HTTPS_FROM_VPC: 'true' }));
    assert.equal(out.actions.length, 1);
    const action = out.actions[0]!;
    assert.ok(action.kind === 'AuthorizeRules');
    assert.deepEqual(action.rules.map((r) => [r.protocol, r.fromPort, r.toPort, r.cidrIpv4]), [['tcp', 443, 443, '100.64.0.0/16']]);
  });

  it('treats a wider CIDR or an all-traffic rule as covering HTTPS from the VPC', () => {
    const wide = { direction: 'ingress' as const, protocol: 'tcp', fromPort: 0, toPort: 65535, cidrIpv4: '10.0.0.0/8' };
    const out = clusterSgBaseline.run(snapshot({ clusterSecurityGroup: clusterSg([selfRule(), allEgress(), wide]) }), config({ GUARDRAILS_HTTPS_FROM_VPC: 'true' }));
    assert.equal(out.actions.length, 0);
  });

  it('reports world-open inbound rules that Kubernetes did not write, and never plans their removal', () => {
    const ssh = { direction: 'ingress' as const, protocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' };
    const nlbClient = { direction: 'ingress' as const, protocol: 'tcp', fromPort: 31000, toPort: 31000, cidrIpv4: '0.0.0.0/0', description: 'kubernetes.io/rule/nlb/client=a0123456789abcdef0123456789abcde' };
    const v6 = { direction: 'ingress' as const, protocol: 'tcp', fromPort: 80, toPort: 80, cidrIpv6: '::/0' };
    const out = clusterSgBaseline.run(snapshot({ clusterSecurityGroup: clusterSg([selfRule(), allEgress(), ssh, nlbClient, v6]) }), config());
    assert.equal(out.findings.length, 2);
    assert.ok(out.findings.every((f) => f.severity === 'high' && f.id.includes('world-open')));
    assert.equal(out.actions.length, 0);
  });

  it('reports missing egress; restores it only when enforceEgress is configured', () => {
    const sg = clusterSg([selfRule()]);
    const reported = clusterSgBaseline.run(snapshot({ clusterSecurityGroup: sg }), config());
    assert.equal(reported.findings.length, 1);
    assert.equal(reported.actions.length, 0);
    const enforced = clusterSgBaseline.run(snapshot({ clusterSecurityGroup: sg }), config({ GUARDRAILS_ENFORCE_EGRESS: 'true' }));
    assert.equal(enforced.actions.length, 1);
    assert.ok(enforced.actions[0]!.kind === 'AuthorizeRules' && enforced.actions[0]!.direction === 'egress');
  });

  it('reports a cluster security group that EKS names but EC2 no longer has as a high finding, and plans nothing', () => {
    const base = snapshot({ clusterSecurityGroup: undefined });
    assert.equal(base.cluster.clusterSecurityGroupId, GROUP);
    const out = clusterSgBaseline.run(base, config());
    assert.deepEqual(out.actions, []);
    assert.deepEqual(out.findings.map((f) => [f.id, f.severity, f.resource.id]), [[`cluster-sg-baseline:${GROUP}:missing`, 'high', GROUP]]);
    assert.match(out.findings[0]!.title, /no longer exists/);
  });

  it('does nothing when EKS names no cluster security group (and none is tagged for the cluster)', () => {
    const base = snapshot({ clusterSecurityGroup: undefined });
    const out = clusterSgBaseline.run({ ...base, cluster: { ...base.cluster, clusterSecurityGroupId: undefined } }, config());
    assert.deepEqual(out, { findings: [], actions: [] });
  });
});
