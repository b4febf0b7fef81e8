import type { ClusterSnapshot, ResourceRef } from '../types/index.ts';

/** `<key>=true` exempts from every check; `<key>=check-a,check-b` from those only. */
export function isExempt(tags: Record<string, string> | undefined, tagKey: string, check: string): boolean {
  const value = tags?.[tagKey]?.trim().toLowerCase();
  if (!value) return false;
  if (['true', 'yes', '1', 'all', '*'].includes(value)) return true;
  return value.split(/[,\s]+/).includes(check);
}

/** Tags of a resource the snapshot holds (security groups, ASGs); undefined when it holds none. */
export function resourceTags(snapshot: ClusterSnapshot, ref: ResourceRef): Record<string, string> | undefined {
  if (ref.type === 'cluster') return snapshot.cluster.tags;
  if (ref.type === 'security-group') {
    const groups = [snapshot.clusterSecurityGroup, ...(snapshot.clusterTaggedSecurityGroups ?? [])];
    return groups.find((g) => g?.groupId === ref.id)?.tags;
  }
  if (ref.type === 'auto-scaling-group') {
    const asg = snapshot.autoScalingGroups?.find((a) => a.name === ref.id);
    return asg ? Object.fromEntries(asg.tags.map((t) => [t.key, t.value])) : undefined;
  }
  return undefined;
}
