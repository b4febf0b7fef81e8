import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObserveHints } from '../../../../shared/types/index.ts';
import type { AutoScalingGroupState, SecurityGroupState } from '../../../../shared/types/index.ts';
import { decodeHints, encodeHints, HINTS_FORMAT, shareOf } from '../../../../shared/sweep/hints-share.ts';

const sg = (groupId: string, tags: Record<string, string>, vpcId = `vpc-${groupId}`): SecurityGroupState => ({ groupId, groupName: groupId, vpcId, tags, rules: [] });
const asg = (name: string, tags: Record<string, string>): AutoScalingGroupState => ({
  name, minSize: 0, maxSize: 1, desiredCapacity: 0, availabilityZones: [], tags: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
});

function accountHints(): ObserveHints {
  return {
    securityGroups: [
      sg('sg-a', { 'aws:eks:cluster-name': 'a', 'kubernetes.io/cluster/a': 'owned' }),
      sg('sg-b', { 'aws:eks:cluster-name': 'b' }),
      sg('sg-a-nodes', { 'kubernetes.io/cluster/a': 'owned' }),
      sg('sg-shared', { 'kubernetes.io/cluster/a': 'shared', 'kubernetes.io/cluster/c': 'shared' }),
      sg('sg-c', { 'aws:eks:cluster-name': 'c' }),
    ],
    securityGroupRules: new Map([['sg-a', [{ ruleId: 'sgr-1', direction: 'ingress', protocol: '-1' }]], ['sg-b', []], ['sg-c', []]]),
    vpcs: [{ vpcId: 'vpc-sg-a', cidrBlocks: ['10.0.0.0/16'], ipv6CidrBlocks: [] }, { vpcId: 'vpc-sg-b', cidrBlocks: ['10.1.0.0/16'], ipv6CidrBlocks: [] }],
    autoScalingGroups: [
      asg('asg-a', { 'kubernetes.io/cluster/a': 'owned' }),
      asg('asg-a-ca', { 'k8s.io/cluster-autoscaler/a': 'owned' }),
      asg('asg-a-eksctl', { 'alpha.eksctl.io/cluster-name': 'a' }),
      asg('asg-b', { 'kubernetes.io/cluster/b': 'owned', 'k8s.io/cluster-autoscaler/enabled': 'true' }),
    ],
    extra: {
      ebsVolumes: [
        { volumeId: 'vol-a', availabilityZone: 'us-east-1a', tags: { 'ebs.csi.aws.com/cluster': 'true', KubernetesCluster: 'a' } },
        { volumeId: 'vol-b', availabilityZone: 'us-east-1a', tags: { 'kubernetes.io/cluster/b': 'owned', 'kubernetes.io/created-for/pvc/name': 'x' } },
      ],
      iamRolePolicies: new Map([['node', { roleName: 'node', ok: true, policyArns: ['arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy'] }]]),
      subnetAzs: new Map([['subnet-1', 'us-east-1a']]),
      loadBalancers: { ok: true, names: ['lb-1', 'lb-2'], pages: 1 },
      clusterVersions: { source: 'built-in', versions: [] },
    },
  };
}

describe('a fan-out batch\'s share of the start phase\'s prefetch', () => {
  it('holds what its clusters\' loaders read, cut by the tags the prefetchers selected by', () => {
    const share = shareOf(accountHints(), ['a']);
    assert.deepEqual(share.securityGroups!.map((g) => g.groupId), ['sg-a', 'sg-a-nodes', 'sg-shared']);
    assert.deepEqual([...share.securityGroupRules!.keys()], ['sg-a']);
    assert.deepEqual(share.vpcs!.map((v) => v.vpcId), ['vpc-sg-a']);
    assert.deepEqual(share.autoScalingGroups!.map((g) => g.name), ['asg-a', 'asg-a-ca', 'asg-a-eksctl']);
    assert.deepEqual((share.extra!.ebsVolumes as { volumeId: string }[]).map((v) => v.volumeId), ['vol-a']);
  });

  it('hands over whole what no cluster owns: the region\'s load balancer listing, role policies, subnet AZs, the calendar', () => {
    const hints = accountHints();
    const share = shareOf(hints, ['c']);
    for (const key of ['loadBalancers', 'iamRolePolicies', 'subnetAzs', 'clusterVersions']) assert.equal(share.extra![key], hints.extra![key], key);
    assert.deepEqual(share.securityGroups!.map((g) => g.groupId), ['sg-shared', 'sg-c']);
    assert.deepEqual(share.autoScalingGroups, []);
  });

  it('leaves a hint the prefetch did not set unset (its loader reads per cluster), and sets an empty one empty', () => {
    const share = shareOf({ securityGroups: [] }, ['a']);
    assert.deepEqual(share.securityGroups, []);
    assert.equal('autoScalingGroups' in share, false);
    assert.equal('extra' in share, false);
  });

  it('survives the trip through S3 with its Maps, and a share of another format is refused', () => {
    const share = shareOf(accountHints(), ['a', 'b']);
    const back = decodeHints(encodeHints(share, ['load-balancers']));
    assert.ok(back);
    assert.deepEqual(back.failed, ['load-balancers']);
    assert.deepEqual(back.hints, share);
    assert.ok(back.hints.securityGroupRules instanceof Map);
    assert.ok(back.hints.extra!.iamRolePolicies instanceof Map);
    assert.equal(decodeHints(JSON.stringify({ format: HINTS_FORMAT + 1, failed: [], hints: {} })), undefined);
    assert.equal(decodeHints('null'), undefined);
  });
});
