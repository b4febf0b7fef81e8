import { paginateDescribeInstances, type Filter, type Instance } from '@aws-sdk/client-ec2';
import type { ClusterInstance } from '../types/index.ts';
import { ec2Client, tagRecord } from './ec2.ts';

/** Instances that can serve a load balancer now or soon; stopped and terminated ones are not nodes. */
const LIVE_STATES: Filter = { Name: 'instance-state-name', Values: ['pending', 'running'] };
/** EC2 takes at most 200 values per filter. */
const FILTER_VALUES = 200;

/** Instances matching a filter (plus the live-state filter), 1000 a page: always filtered, never an account scan. */
export async function describeInstances(filter: Filter): Promise<ClusterInstance[]> {
  const out: ClusterInstance[] = [];
  const values = filter.Values ?? [];
  for (let i = 0; i < values.length; i += FILTER_VALUES) {
    const input = { Filters: [{ Name: filter.Name, Values: values.slice(i, i + FILTER_VALUES) }, LIVE_STATES], MaxResults: 1000 };
    for await (const page of paginateDescribeInstances({ client: ec2Client() }, input)) {
      for (const r of page.Reservations ?? []) for (const inst of r.Instances ?? []) if (inst.InstanceId) out.push(toClusterInstance(inst));
    }
  }
  return out;
}

/**
 * The nodes of these clusters: instances tagged `kubernetes.io/cluster/<c>` (the cloud provider's own tag,
 * on self-managed and managed nodes) or `aws:eks:cluster-name=<c>` (EKS's tag on managed nodes) — one filtered
 * listing per tag form, by page, deduplicated.
 */
export async function describeClusterInstances(clusterNames: readonly string[]): Promise<ClusterInstance[]> {
  if (clusterNames.length === 0) return [];
  const byId = new Map<string, ClusterInstance>();
  for (const i of await describeInstances({ Name: 'tag-key', Values: clusterNames.map((c) => `kubernetes.io/cluster/${c}`) })) byId.set(i.instanceId, i);
  for (const i of await describeInstances({ Name: 'tag:aws:eks:cluster-name', Values: [...clusterNames] })) byId.set(i.instanceId, i);
  return [...byId.values()];
}

function toClusterInstance(i: Instance): ClusterInstance {
  return {
    instanceId: i.InstanceId!,
    state: i.State?.Name,
    tags: tagRecord(i.Tags),
    securityGroups: (i.SecurityGroups ?? []).filter((g) => g.GroupId).map((g) => ({ groupId: g.GroupId!, ...(g.GroupName ? { groupName: g.GroupName } : {}) })),
  };
}
