import type { ClusterInstance, ClusterInstancesHints, FacetLoader } from '../../types/index.ts';
import { EXTRA_CLUSTER_INSTANCES, EXTRA_RULES_QUOTA } from '../../types/index.ts';
import { describeClusterInstances } from '../../aws/ec2-instances.ts';
import { rulesPerSecurityGroupQuota } from '../../aws/service-quotas.ts';

/** Whether an instance is a node of the cluster, by the tags the cloud provider and EKS put on nodes. */
export function isClusterInstance(i: ClusterInstance, cluster: string): boolean {
  return i.tags[`kubernetes.io/cluster/${cluster}`] !== undefined || i.tags['aws:eks:cluster-name'] === cluster;
}

/**
 * The cluster's live instances (from the sweep's account-wide prefetch when present, else two filtered
 * listings) and the rules-per-group quota (cached per container: one call per account swept).
 */
export const clusterInstances: FacetLoader = async (snapshot, hints) => {
  const name = snapshot.cluster.name;
  const prefetched = (hints.extra as ClusterInstancesHints | undefined)?.clusterInstances;
  const instances = prefetched ?? (await describeClusterInstances([name]));
  snapshot.extra[EXTRA_CLUSTER_INSTANCES] = instances.filter((i) => isClusterInstance(i, name));
  snapshot.extra[EXTRA_RULES_QUOTA] = await rulesPerSecurityGroupQuota();
};
