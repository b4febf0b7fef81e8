import type { ClusterSnapshot, ClusterState, NodegroupState } from '../../shared/types/index.ts';
import { loadConfig } from '../../shared/capabilities/config.ts';

export const NOW = Date.parse('2026-11-24T00:00:00Z');
export const config = loadConfig({});

export function cluster(fields: Partial<ClusterState> = {}): ClusterState {
  return {
    name: 'prod', arn: 'arn:aws:eks:us-east-1:123456789012:cluster/prod', status: 'ACTIVE', version: '1.34',
    securityGroupIds: [], subnetIds: [], tags: {}, roleArn: 'arn:aws:iam::123456789012:role/prod-cluster-role',
    endpointPublicAccess: false, loggingEnabledTypes: [], encryptionConfigured: true, ...fields,
  };
}

export function snapshot(fields: Partial<ClusterState> = {}, rest: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return { account: '123456789012', region: 'us-east-1', observedAt: NOW, cluster: cluster(fields), extra: {}, ...rest };
}

export function nodegroup(name: string, fields: Partial<NodegroupState> = {}): NodegroupState {
  return {
    name, clusterName: 'prod', labels: {}, taints: [], instanceTypes: ['m6i.large'], subnets: [],
    nodeRole: 'arn:aws:iam::123456789012:role/prod-node-role', capacityType: 'ON_DEMAND', autoScalingGroupNames: [], ...fields,
  };
}
