import type { AutoScalingGroupState, ClusterState, NodegroupState, SecurityGroupState, VpcState } from './aws.ts';

/** Everything the checks may look at for one cluster, read with as few calls as the facets allow. */
export interface ClusterSnapshot {
  account: string;
  region: string;
  /** Milliseconds since epoch when observed: checks use it for grace periods instead of reading the clock. */
  observedAt: number;
  cluster: ClusterState;
  clusterSecurityGroup?: SecurityGroupState;
  vpc?: VpcState;
  nodegroups?: NodegroupState[];
  autoScalingGroups?: AutoScalingGroupState[];
  /** SGs tagged `kubernetes.io/cluster/<name>` (the cloud provider's node SGs), the cluster SG included. */
  clusterTaggedSecurityGroups?: SecurityGroupState[];
  /** Free-form facets added by later checks (load balancers, IAM, volumes…). */
  extra: Record<string, unknown>;
}
