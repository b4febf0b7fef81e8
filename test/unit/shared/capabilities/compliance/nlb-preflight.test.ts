import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headroomOf, isProviderTagged, nlbPreflight } from '../../../../../shared/capabilities/compliance/nlb-preflight.ts';
import type { ClusterInstance, SecurityGroupState, SgRule } from '../../../../../shared/types/index.ts';
import { config, snapshot } from '../../../../support/compliance-fixtures.ts';

const sg = (groupId: string, tags: Record<string, string>, rules: SgRule[] = []): SecurityGroupState => ({ groupId, groupName: `${groupId}-name`, tags, rules });
const node = (instanceId: string, ...groupIds: string[]): ClusterInstance => ({ instanceId, tags: {}, securityGroups: groupIds.map((groupId) => ({ groupId })) });
const TAG = { 'kubernetes.io/cluster/prod': 'owned' };
const cidr = (n: number): SgRule => ({ direction: 'ingress', protocol: 'tcp', fromPort: 30000 + n, toPort: 30000 + n, cidrIpv4: '0.0.0.0/0' });

function run(groups: SecurityGroupState[], instances: ClusterInstance[], quota = 60) {
  const s = snapshot({ clusterSecurityGroupId: 'sg-cluster' }, {
    clusterSecurityGroup: groups.find((g) => g.groupId === 'sg-cluster'),
    clusterTaggedSecurityGroups: groups,
    extra: { clusterInstances: instances, rulesPerSecurityGroupQuota: { value: quota, source: 'service-quotas' } },
  });
  return nlbPreflight.run(s, config);
}

describe('nlb-preflight', () => {
  it('counts a group as the cluster\'s by the key kubernetes.io/cluster/<c> with any value, or the legacy KubernetesCluster=<c>', () => {
    assert.ok(isProviderTagged({ tags: { 'kubernetes.io/cluster/prod': '' } }, 'prod'));
    assert.ok(isProviderTagged({ tags: { KubernetesCluster: 'prod' } }, 'prod'));
    assert.ok(!isProviderTagged({ tags: { KubernetesCluster: 'dev', 'kubernetes.io/cluster/dev': 'owned' } }, 'prod'));
  });

  it('passes nodes with one tagged group (untagged extra groups are fine)', () => {
    const out = run([sg('sg-cluster', TAG), sg('sg-node', {})], [node('i-1', 'sg-cluster', 'sg-node'), node('i-2', 'sg-cluster')]);
    assert.deepEqual(out.findings, []);
  });

  it('one high finding per cluster for nodes with two tagged groups; keeps the tag on the cluster SG; names instances and groups', () => {
    const out = run([sg('sg-cluster', TAG), sg('sg-node', TAG), sg('sg-extra', TAG)], [
      node('i-2', 'sg-cluster', 'sg-node'), node('i-1', 'sg-node', 'sg-cluster', 'sg-extra'), node('i-3', 'sg-cluster'),
    ]);
    assert.equal(out.findings.length, 1);
    const f = out.findings[0]!;
    assert.equal(f.id, 'nlb-preflight:prod:multiple-tagged-groups');
    assert.equal(f.severity, 'high');
    assert.equal(f.evidence.instanceCount, 2);
    assert.match(f.title, /i-1, i-2/);
    assert.doesNotMatch(f.title, /i-3/);
    assert.equal(f.evidence.keep, 'sg-cluster');
    assert.match(f.fixHint, /--resources sg-extra .*--resources sg-node /);
    assert.deepEqual(out.actions, []);
  });

  it('without the cluster SG among them, keeps the first group', () => {
    const f = run([sg('sg-b', TAG), sg('sg-a', TAG)], [node('i-1', 'sg-b', 'sg-a')]).findings[0]!;
    assert.equal(f.evidence.keep, 'sg-a');
  });

  it('reports the room per tagged group: quota minus inbound rules, three rules per single-port Service', () => {
    const full = sg('sg-node', TAG, Array.from({ length: 58 }, (_, i) => cidr(i)));
    const out = run([sg('sg-cluster', TAG, [cidr(1)]), full, sg('sg-other', {})], [], 60);
    assert.deepEqual((out.facts!.loadBalancerHeadroom as { groupId: string; servicesThatFit: number; ingressRulesUsed: number }[]).map((h) => [h.groupId, h.ingressRulesUsed, h.servicesThatFit]),
      [['sg-cluster', 1, 19], ['sg-node', 58, 0]]);
    assert.equal(headroomOf(sg('sg-x', TAG, [cidr(1)]), 200).servicesThatFit, 66);
  });
});
