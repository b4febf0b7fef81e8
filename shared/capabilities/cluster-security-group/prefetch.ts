import type { Prefetcher, SecurityGroupState } from '../../types/index.ts';
import { describeSecurityGroups, describeVpcs } from '../../aws/ec2.ts';

const CLUSTER_SG_TAG = 'aws:eks:cluster-name';
/** EC2 takes at most 200 values per filter. */
const FILTER_VALUES = 200;

/**
 * Every cluster security group (EKS tags them `aws:eks:cluster-name`) and every group tagged
 * `kubernetes.io/cluster/<name>` for a cluster in scope (the cloud provider's node groups): one filtered,
 * paginated describe for the lot — a page per 1000 groups, not a call per cluster.
 */
export const securityGroupsPrefetcher: Prefetcher = {
  name: 'security-groups',
  facets: ['clusterSecurityGroup', 'clusterTaggedSecurityGroups'],
  async run({ clusterNames, hints }) {
    const tagKeys = [CLUSTER_SG_TAG, ...clusterNames.map((c) => `kubernetes.io/cluster/${c}`)];
    const seen = new Map<string, SecurityGroupState>();
    for (let i = 0; i < tagKeys.length; i += FILTER_VALUES) {
      for (const sg of await describeSecurityGroups([{ Name: 'tag-key', Values: tagKeys.slice(i, i + FILTER_VALUES) }])) seen.set(sg.groupId, sg);
    }
    hints.securityGroups = [...seen.values()];
  },
};

/** The clusters' VPCs in one describe (only when a check option reads VPC CIDRs). */
export const vpcsPrefetcher: Prefetcher = {
  name: 'vpcs',
  facets: ['vpc'],
  after: ['security-groups'],
  async run({ config, hints }) {
    if (!config.clusterSecurityGroup.httpsFromVpc) return;
    const ids = [...new Set((hints.securityGroups ?? []).map((g) => g.vpcId).filter((v): v is string => Boolean(v)))];
    hints.vpcs = ids.length > 0 ? await describeVpcs(ids) : [];
  },
};
