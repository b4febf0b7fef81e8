import type { FacetLoader, SecurityGroupState } from '../../types/index.ts';
import { describeSecurityGroup, describeSecurityGroups, describeVpc } from '../../aws/ec2.ts';

/** The cluster security group: from the hint the handler or the sweep passed, else one describe. */
export const clusterSecurityGroup: FacetLoader = async (snapshot, hints) => {
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
};

/** The cluster's VPC (its CIDRs), only when a check option needs them. */
export const vpc: FacetLoader = async (snapshot, hints) => {
  const vpcId = snapshot.cluster.vpcId ?? snapshot.clusterSecurityGroup?.vpcId;
  if (vpcId) snapshot.vpc = hints.vpcs?.find((v) => v.vpcId === vpcId) ?? (await describeVpc(vpcId));
};
