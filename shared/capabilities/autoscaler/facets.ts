import type { AutoScalingGroupState, FacetLoader, NodegroupState, ObserveHints } from '../../types/index.ts';
import { describeAutoScalingGroupsByFilters, describeAutoScalingGroupsByName } from '../../aws/autoscaling.ts';
import { describeNodegroup, listNodegroups } from '../../aws/eks.ts';
import { isTiedToCluster, tagMap } from './autoscaler-tags.ts';
import { TAG_DELETIONS } from './autoscaler-opt-outs.ts';

/**
 * Hints the autoscaler handlers pass in `ObserveHints.extra` to narrow a reconcile to what an event is about:
 * `nodegroups` (already described) or `nodegroupNames` (describe only these, skip ListNodegroups).
 */
export interface AutoscalerHints {
  nodegroups?: NodegroupState[];
  nodegroupNames?: string[];
}

function autoscalerHints(hints: ObserveHints): AutoscalerHints {
  return (hints.extra ?? {}) as AutoscalerHints;
}

/** Node groups: ListNodegroups + DescribeNodegroup (EKS has no batch describe), unless a hint narrows or supplies them. */
export const nodegroups: FacetLoader = async (snapshot, hints) => {
  const cluster = snapshot.cluster.name;
  const { nodegroups: given, nodegroupNames } = autoscalerHints(hints);
  if (given) {
    snapshot.nodegroups = given.filter((n) => n.clusterName === cluster);
    return;
  }
  const names = nodegroupNames ?? (await listNodegroups(cluster));
  const found: NodegroupState[] = [];
  for (const name of names) {
    const ng = await describeNodegroup(cluster, name);
    if (ng) found.push(ng);
  }
  snapshot.nodegroups = found;
};

/**
 * The cluster's node group ASGs. From the hint when present (the sweep's account-wide prefetch, or the ASGs
 * an event named); otherwise with tag filters — never an unfiltered scan — plus by name any managed ASG a
 * person stripped of its cluster tag.
 */
export const autoScalingGroups: FacetLoader = async (snapshot, hints) => {
  const cluster = snapshot.cluster.name;
  const listed = new Set((snapshot.nodegroups ?? []).flatMap((n) => n.autoScalingGroupNames));
  const tied = (g: AutoScalingGroupState) => isTiedToCluster(tagMap(g.tags), cluster, listed.has(g.name));
  const byName = new Map<string, AutoScalingGroupState>();
  const add = (groups: AutoScalingGroupState[]) => { for (const g of groups) byName.set(g.name, g); };
  if (hints.autoScalingGroups) {
    add(hints.autoScalingGroups);
  } else {
    add(await describeAutoScalingGroupsByFilters([{ Name: 'tag-key', Values: [`kubernetes.io/cluster/${cluster}`, `k8s.io/cluster-autoscaler/${cluster}`] }]));
    add(await describeAutoScalingGroupsByFilters([{ Name: 'tag:alpha.eksctl.io/cluster-name', Values: [cluster] }]));
  }
  // A managed ASG a person stripped of its cluster tags is found by neither the filters nor a tag-based
  // prefetch: its node group still names it, so read it by name (one call, only when that happens).
  const missing = [...listed].filter((n) => !byName.has(n));
  if (missing.length > 0) add(await describeAutoScalingGroupsByName(missing));
  snapshot.autoScalingGroups = [...byName.values()].filter(tied).sort((a, b) => a.name.localeCompare(b.name));
  // What the event says a person deleted (on-asg-event only): the discovery check's proof of an opt-out.
  const deletions = hints.extra?.[TAG_DELETIONS];
  if (deletions) snapshot.extra[TAG_DELETIONS] = deletions;
};

