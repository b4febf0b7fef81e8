import type { Capability } from '../../types/index.ts';
import { clusterSgBaseline } from './cluster-sg-baseline.ts';
import { clusterSecurityGroup, vpc } from './facets.ts';
import { CLUSTER_SG_BASELINE } from './names.ts';
import { securityGroupsPrefetcher, vpcsPrefetcher } from './prefetch.ts';

/** Keeps the EKS cluster security group's baseline rules in place (docs/events.md, on-sg-event). */
export const clusterSecurityGroupCapability: Capability = {
  name: 'cluster-security-group',
  checks: [clusterSgBaseline],
  facets: [
    { name: 'clusterSecurityGroup', load: clusterSecurityGroup },
    { name: 'vpc', load: vpc },
  ],
  prefetchers: [securityGroupsPrefetcher, vpcsPrefetcher],
  routes: {
    'security-group-changed': [CLUSTER_SG_BASELINE],
    'cluster-created': [CLUSTER_SG_BASELINE],
  },
};
