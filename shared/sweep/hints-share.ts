import type { AutoScalingGroupState, EbsVolume, SecurityGroupState } from '../types/index.ts';
import { EXTRA_EBS_VOLUMES } from '../types/index.ts';
import type { ObserveHints } from '../types/index.ts';
import { belongsToCluster } from '../capabilities/compliance/facets.ts';

/**
 * A fanned-out sweep prefetches once, in its start invocation, exactly as a sweep in one process does; each
 * batch then receives the share of those hints its clusters' loaders read, instead of reading the account
 * again. A share keeps the prefetch contract (complete for every cluster of the batch): it is cut by the
 * same tags the prefetchers selected by, and whatever is not tied to a cluster (the region's load balancer
 * listing, role policies, subnet AZs, the version calendar, unknown keys) is handed over whole. A resource a
 * share lacks is read by its loader — more calls, same answer.
 */
export function shareOf(hints: ObserveHints, clusterNames: readonly string[]): ObserveHints {
  const clusters = new Set(clusterNames);
  const share: ObserveHints = {};
  if (hints.securityGroups) share.securityGroups = hints.securityGroups.filter((g) => securityGroupOf(g, clusters));
  const groupIds = new Set((share.securityGroups ?? []).map((g) => g.groupId));
  if (hints.securityGroupRules) share.securityGroupRules = new Map([...hints.securityGroupRules].filter(([id]) => groupIds.has(id)));
  if (hints.vpcs) {
    const vpcIds = new Set((share.securityGroups ?? []).map((g) => g.vpcId));
    share.vpcs = hints.vpcs.filter((v) => vpcIds.has(v.vpcId));
  }
  if (hints.autoScalingGroups) share.autoScalingGroups = hints.autoScalingGroups.filter((g) => autoScalingGroupOf(g, clusters));
  if (hints.extra) {
    share.extra = { ...hints.extra };
    const volumes = hints.extra[EXTRA_EBS_VOLUMES] as EbsVolume[] | undefined;
    if (volumes) share.extra[EXTRA_EBS_VOLUMES] = volumes.filter((v) => clusterNames.some((c) => belongsToCluster(v, c)));
  }
  return share;
}

/** As securityGroupsPrefetcher selects: the cluster SG (`aws:eks:cluster-name`) or `kubernetes.io/cluster/<c>`. */
function securityGroupOf(g: SecurityGroupState, clusters: ReadonlySet<string>): boolean {
  const eks = g.tags['aws:eks:cluster-name'];
  if (eks !== undefined && clusters.has(eks)) return true;
  return Object.keys(g.tags).some((k) => k.startsWith(K8S_CLUSTER) && clusters.has(k.slice(K8S_CLUSTER.length)));
}

/** As prefetchClusterAutoScalingGroups selects (its tag keys and the eksctl tag), plus EKS's own `eks:cluster-name`. */
function autoScalingGroupOf(g: AutoScalingGroupState, clusters: ReadonlySet<string>): boolean {
  return g.tags.some(({ key, value }) =>
    (key.startsWith(K8S_CLUSTER) && clusters.has(key.slice(K8S_CLUSTER.length))) ||
    (key.startsWith(CA_CLUSTER) && clusters.has(key.slice(CA_CLUSTER.length))) ||
    ((key === 'alpha.eksctl.io/cluster-name' || key === 'eks:cluster-name') && clusters.has(value)));
}

const K8S_CLUSTER = 'kubernetes.io/cluster/';
const CA_CLUSTER = 'k8s.io/cluster-autoscaler/';

/** Bumped when the stored shape changes: a batch that finds another version prefetches for itself. */
export const HINTS_FORMAT = 1;

export interface StoredHints {
  format: number;
  /** Prefetchers that failed in the start phase: their hints are absent and the loaders read per cluster. */
  failed: string[];
  hints: ObserveHints;
}

/** JSON with the hints' Maps (rules by group, role policies, subnet AZs) kept as Maps. */
export function encodeHints(hints: ObserveHints, failed: readonly string[] = []): string {
  const stored: StoredHints = { format: HINTS_FORMAT, failed: [...failed], hints };
  return JSON.stringify(stored, (_key, value: unknown) => (value instanceof Map ? { $map: [...value] } : value));
}

/** The stored hints, or undefined when they are of another format (the batch then prefetches). */
export function decodeHints(text: string): StoredHints | undefined {
  const stored = JSON.parse(text, (_key, value: unknown) => {
    const v = value as { $map?: unknown } | null;
    return v && typeof v === 'object' && Array.isArray(v.$map) && Object.keys(v).length === 1 ? new Map(v.$map as [unknown, unknown][]) : value;
  }) as Partial<StoredHints> | null;
  if (!stored || stored.format !== HINTS_FORMAT || !stored.hints || typeof stored.hints !== 'object') return undefined;
  return { format: stored.format, failed: Array.isArray(stored.failed) ? stored.failed : [], hints: stored.hints };
}
