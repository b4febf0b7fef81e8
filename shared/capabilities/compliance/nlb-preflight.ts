import type { Check, CheckOutcome, ClusterInstance, ClusterSnapshot, Finding, SecurityGroupState } from '../../types/index.ts';
import { EXTRA_CLUSTER_INSTANCES, EXTRA_RULES_QUOTA } from '../../types/index.ts';
import { DEFAULT_RULES_PER_GROUP, countRules, ingressUsage, type QuotaValue } from '../nlb-headroom/nlb-rules.ts';

import { NLB_PREFLIGHT } from './names.ts';

/** Instances and groups named in a finding: enough to act on, short enough to read (the rest are counted). */
export const MAX_LISTED = 10;

/**
 * Inbound rules one more single-port NLB Service takes in the worst usual case: one client rule
 * (0.0.0.0/0) and a health rule per NLB subnet CIDR, two subnets (externalTrafficPolicy Local). The same
 * default nlb-rule-headroom uses when no live NLB tells it more.
 */
export const RULES_PER_SINGLE_PORT_SERVICE = 3;

/**
 * Whether the Kubernetes AWS cloud provider counts the group as the cluster's: it carries the key
 * `kubernetes.io/cluster/<c>` (any value) or the legacy `KubernetesCluster=<c>`
 * (cloud-provider-aws, pkg/providers/v1/tags.go, hasClusterTag).
 */
export function isProviderTagged(sg: Pick<SecurityGroupState, 'tags'>, cluster: string): boolean {
  return sg.tags[`kubernetes.io/cluster/${cluster}`] !== undefined || sg.tags.KubernetesCluster === cluster;
}

/** The cluster's provider-tagged groups the snapshot knows (the cluster SG and the `kubernetes.io/cluster/<c>` groups). */
export function providerTaggedGroups(snapshot: ClusterSnapshot): SecurityGroupState[] {
  const all = [snapshot.clusterSecurityGroup, ...(snapshot.clusterTaggedSecurityGroups ?? [])].filter((g): g is SecurityGroupState => Boolean(g));
  const byId = new Map(all.filter((g) => isProviderTagged(g, snapshot.cluster.name)).map((g) => [g.groupId, g]));
  return [...byId.values()].sort((a, b) => a.groupId.localeCompare(b.groupId));
}

/** Room for more LoadBalancer Services in one provider-tagged group (shown in the sweep report, not a finding). */
export interface LoadBalancerHeadroom {
  groupId: string;
  groupName?: string;
  ingressRulesUsed: number;
  quota: number;
  /** Single-port Services that still fit at RULES_PER_SINGLE_PORT_SERVICE rules each. */
  servicesThatFit: number;
  rulesPerService: number;
}

export function headroomOf(sg: SecurityGroupState, quota: number): LoadBalancerHeadroom {
  // Rules read with DescribeSecurityGroups; a prefix list counts 1 here (nlb-rule-headroom weighs it exactly near the threshold).
  const used = ingressUsage(countRules(sg.rules.filter((r) => r.direction === 'ingress')));
  return {
    groupId: sg.groupId, ...(sg.groupName ? { groupName: sg.groupName } : {}), ingressRulesUsed: used, quota,
    servicesThatFit: Math.floor(Math.max(0, quota - used) / RULES_PER_SINGLE_PORT_SERVICE), rulesPerService: RULES_PER_SINGLE_PORT_SERVICE,
  };
}

/**
 * The cloud provider's pre-flight for every LoadBalancer Service (NLB or CLB): for each instance it picks
 * the one security group tagged for the cluster, and an instance with two or more makes it refuse the whole
 * load balancer — "Multiple tagged security groups found for instance …" (cloud-provider-aws,
 * pkg/providers/v1/aws.go, findSecurityGroupForInstance). No Service of type LoadBalancer gets an address
 * until the tag is removed from all but one group.
 */
export const nlbPreflight: Check = {
  name: NLB_PREFLIGHT,
  description: 'No node carries more than one security group tagged kubernetes.io/cluster/<name> (the cloud provider then creates no load balancer); reports room for more LoadBalancer Services per tagged group.',
  defaultMode: 'report',
  facets: ['clusterSecurityGroup', 'clusterTaggedSecurityGroups', 'clusterInstances'],
  triggers: ['sweep'],
  run(snapshot: ClusterSnapshot): CheckOutcome {
    const cluster = snapshot.cluster.name;
    const tagged = providerTaggedGroups(snapshot);
    const quota = (snapshot.extra[EXTRA_RULES_QUOTA] as QuotaValue | undefined)?.value ?? DEFAULT_RULES_PER_GROUP;
    const facts = { loadBalancerHeadroom: tagged.map((g) => headroomOf(g, quota)) };
    const instances = (snapshot.extra[EXTRA_CLUSTER_INSTANCES] as ClusterInstance[] | undefined) ?? [];
    const taggedIds = new Set(tagged.map((g) => g.groupId));
    const offending = instances
      .map((i) => ({ instanceId: i.instanceId, groups: i.securityGroups.filter((g) => taggedIds.has(g.groupId)) }))
      .filter((i) => i.groups.length > 1)
      .sort((a, b) => a.instanceId.localeCompare(b.instanceId));
    if (offending.length === 0) return { findings: [], actions: [], facts };

    const groupIds = [...new Set(offending.flatMap((i) => i.groups.map((g) => g.groupId)))].sort();
    const nameOf = (id: string) => tagged.find((g) => g.groupId === id)?.groupName;
    const label = (id: string) => (nameOf(id) ? `${id} (${nameOf(id)})` : id);
    // Keep the tag on the EKS cluster security group when it is one of them: every node carries it and the provider then writes NLB rules there.
    const keep = groupIds.includes(snapshot.cluster.clusterSecurityGroupId ?? '') ? snapshot.cluster.clusterSecurityGroupId! : groupIds[0]!;
    const untag = groupIds.filter((id) => id !== keep);
    const more = (n: number) => (n > MAX_LISTED ? ` and ${n - MAX_LISTED} more` : '');
    const finding: Finding = {
      id: `${NLB_PREFLIGHT}:${cluster}:multiple-tagged-groups`, check: NLB_PREFLIGHT, severity: 'high',
      resource: { type: 'cluster', id: cluster, ...(snapshot.cluster.arn ? { arn: snapshot.cluster.arn } : {}) },
      title: `No LoadBalancer Service of cluster ${cluster} can get a load balancer: ${offending.length} instance(s) (${offending.slice(0, MAX_LISTED).map((i) => i.instanceId).join(', ')}${more(offending.length)}) carry more than one security group tagged kubernetes.io/cluster/${cluster}: ${groupIds.slice(0, MAX_LISTED).map(label).join(', ')}${more(groupIds.length)}`,
      evidence: {
        providerError: 'Multiple tagged security groups found for instance <id>; ensure only the k8s security group is tagged',
        instanceCount: offending.length,
        instances: offending.slice(0, MAX_LISTED).map((i) => ({ instanceId: i.instanceId, taggedGroups: i.groups.map((g) => g.groupId) })),
        ...(offending.length > MAX_LISTED ? { instancesNotListed: offending.length - MAX_LISTED } : {}),
        taggedGroups: groupIds.map((id) => ({ groupId: id, groupName: nameOf(id), instances: offending.filter((i) => i.groups.some((g) => g.groupId === id)).length })),
        keep,
      },
      fixHint: `Remove the tag kubernetes.io/cluster/${cluster} from all but one of these groups — keep it on ${label(keep)}: ${untag.slice(0, MAX_LISTED).map((id) => `aws ec2 delete-tags --resources ${id} --tags Key=kubernetes.io/cluster/${cluster}`).join('; ')}${more(untag.length)}. If a tool manages that tag (eksctl, Terraform's node security group), change it there or it comes back. The pending Services are retried by Kubernetes on their own.`,
    };
    return { findings: [finding], actions: [], facts };
  },
};
