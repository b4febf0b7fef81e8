/** The cluster's running instances with their security groups, as nlb-preflight reads them (plain data). */

/** `snapshot.extra` keys written by the cluster instances loader. */
export const EXTRA_CLUSTER_INSTANCES = 'clusterInstances';
export const EXTRA_RULES_QUOTA = 'rulesPerSecurityGroupQuota';

export interface ClusterInstance {
  instanceId: string;
  state?: string;
  tags: Record<string, string>;
  /** The instance's security groups as DescribeInstances lists them (its primary network interface's). */
  securityGroups: { groupId: string; groupName?: string }[];
}

/** The sweep's account-wide prefetch (in `ObserveHints.extra`): every pending or running instance of a cluster in scope. */
export interface ClusterInstancesHints {
  clusterInstances?: ClusterInstance[];
}
