import type { ClusterSnapshot, Facet, SecurityGroupState } from '../types/index.ts';
import { describeSecurityGroup, describeVpc } from '../aws/ec2.ts';

/** State the caller already read (the handler that mapped an event to a cluster): reused, not re-read. */
export interface ObserveHints {
  securityGroups?: SecurityGroupState[];
}

export type FacetLoader = (snapshot: ClusterSnapshot, hints: ObserveHints) => Promise<void>;

/**
 * How each facet is read. Loaders run in this order (a later one may use an earlier one's result);
 * later capabilities register theirs here.
 */
export const FACET_LOADERS: Partial<Record<Facet, FacetLoader>> = {
  clusterSecurityGroup: async (snapshot, hints) => {
    const id = snapshot.cluster.clusterSecurityGroupId;
    if (!id) return;
    snapshot.clusterSecurityGroup = hints.securityGroups?.find((g) => g.groupId === id) ?? (await describeSecurityGroup(id));
  },
  vpc: async (snapshot) => {
    const vpcId = snapshot.cluster.vpcId ?? snapshot.clusterSecurityGroup?.vpcId;
    if (vpcId) snapshot.vpc = await describeVpc(vpcId);
  },
};

/** Facets that only matter when a configuration option asks for them. */
export type FacetFilter = (facet: Facet) => boolean;
