import { loadConfig } from '../../shared/capabilities/config.ts';
import type { ClusterSnapshot, GuardrailsConfig, SecurityGroupState, SgRule } from '../../shared/types/index.ts';

export const GROUP = 'sg-0aaaabbbbccccdddd';

export function config(env: Record<string, string> = {}): GuardrailsConfig {
  return loadConfig(env);
}

export function selfRule(groupId = GROUP): SgRule {
  return { direction: 'ingress', protocol: '-1', referencedGroupId: groupId };
}

export function allEgress(): SgRule {
  return { direction: 'egress', protocol: '-1', cidrIpv4: '0.0.0.0/0' };
}

export function clusterSg(rules: SgRule[], tags: Record<string, string> = {}): SecurityGroupState {
  return { groupId: GROUP, groupName: 'eks-cluster-sg-prod-1', vpcId: 'vpc-1', tags: { 'aws:eks:cluster-name': 'prod', ...tags }, rules };
}

/** A plain-data snapshot of one cluster, as observe() would build it. */
export function snapshot(partial: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    account: '123456789012',
    region: 'us-east-1',
    observedAt: Date.parse('2026-11-24T08:00:00Z'),
    cluster: {
      name: 'prod', arn: 'arn:aws:eks:us-east-1:123456789012:cluster/prod', status: 'ACTIVE', vpcId: 'vpc-1',
      clusterSecurityGroupId: GROUP, securityGroupIds: [], subnetIds: [], tags: {},
    },
    clusterSecurityGroup: clusterSg([selfRule(), allEgress()]),
    vpc: { vpcId: 'vpc-1', cidrBlocks: ['10.0.0.0/16'], ipv6CidrBlocks: [] },
    extra: {},
    ...partial,
  };
}
