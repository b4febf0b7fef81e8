import type { AutoScalingGroupState, ClusterSnapshot, Facet, GuardrailsConfig, ReconcileTarget, SecurityGroupState, SgRule, VpcState } from '../types/index.ts';
import { describeSecurityGroup, describeSecurityGroups, describeVpc } from '../aws/ec2.ts';
import { AUTOSCALING_FACET_LOADERS } from '../capabilities/autoscaler/facets.ts';
import { NLB_FACET_LOADERS } from '../capabilities/nlb-headroom/facets.ts';

/**
 * State the caller already read, reused instead of re-read: the handler that mapped an event to a
 * cluster passes the group it described; the sweep passes account-wide prefetches (one paginated call
 * for all clusters) so that AWS calls grow with pages, not with clusters. A loader filters a hint for
 * its cluster when the hint is present and calls AWS only when it is absent.
 */
export interface ObserveHints {
  securityGroups?: SecurityGroupState[];
  /** Account-wide: every ASG that may belong to some cluster (the loader filters by cluster). */
  autoScalingGroups?: AutoScalingGroupState[];
  /** Rules with ids, by group id. */
  securityGroupRules?: Map<string, SgRule[]>;
  /** Account-wide: the VPCs of the clusters in scope (read in one call by the sweep). */
  vpcs?: VpcState[];
  /** Free-form prefetches of later facets (load balancer names, IAM, volumes…), keyed by facet. */
  extra?: Record<string, unknown>;
  /** The reconcile target (trigger, focus): loaders may narrow their work to the focused resource. */
  target?: ReconcileTarget;
  /** The invocation's configuration (thresholds); loaders fall back to the environment without it. */
  config?: GuardrailsConfig;
}

export type FacetLoader = (snapshot: ClusterSnapshot, hints: ObserveHints) => Promise<void>;

/**
 * How each facet is read. Loaders run in observe.ts's FACET_ORDER (a later one may use an earlier one's
 * result); each capability registers its loaders here.
 */
export const FACET_LOADERS: Partial<Record<Facet, FacetLoader>> = {
  clusterSecurityGroup: async (snapshot, hints) => {
    const id = snapshot.cluster.clusterSecurityGroupId;
    if (id) {
      snapshot.clusterSecurityGroup = hints.securityGroups?.find((g) => g.groupId === id) ?? (await describeSecurityGroup(id));
      return;
    }
    // DescribeCluster names no cluster SG (clusters older than EKS 1.14, or an emulator): the group EKS tagged
    // aws:eks:cluster-name — a tag only AWS can write — is the cluster SG. Real EKS never takes this path twice.
    const name = snapshot.cluster.name;
    const tagged = (g: SecurityGroupState) => g.tags['aws:eks:cluster-name'] === name;
    const found = hints.securityGroups?.filter(tagged)
      ?? (await describeSecurityGroups([{ Name: 'tag:aws:eks:cluster-name', Values: [name] }])).filter(tagged);
    if (found.length === 1) {
      snapshot.clusterSecurityGroup = found[0];
      snapshot.cluster.clusterSecurityGroupId = found[0]!.groupId;
    }
  },
  vpc: async (snapshot, hints) => {
    const vpcId = snapshot.cluster.vpcId ?? snapshot.clusterSecurityGroup?.vpcId;
    if (vpcId) snapshot.vpc = hints.vpcs?.find((v) => v.vpcId === vpcId) ?? (await describeVpc(vpcId));
  },
  ...AUTOSCALING_FACET_LOADERS,
  ...NLB_FACET_LOADERS,
};
