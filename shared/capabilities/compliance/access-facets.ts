/**
 * The access-entries facet (sweep only: listed by the compliance capability, ./index.ts, which only
 * ../registry.ts loads — the sweep and the CLI, never the event handlers).
 * Access entries are per cluster — EKS has no account-wide read — so there is no prefetcher: calls grow
 * with entries, and only for clusters whose authentication mode includes the EKS API.
 */
import { EXTRA_ACCESS_ENTRIES, type ClusterSnapshot } from '../../types/index.ts';
import { listAccessEntriesWithPolicies } from '../../aws/eks-access.ts';

/** `API` or `API_AND_CONFIG_MAP`: access entries grant access (https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html). */
export function usesAccessEntries(mode: string | undefined): boolean {
  return mode === 'API' || mode === 'API_AND_CONFIG_MAP';
}

export async function loadAccessEntries(snapshot: ClusterSnapshot): Promise<void> {
  const mode = snapshot.cluster.authenticationMode;
  snapshot.extra[EXTRA_ACCESS_ENTRIES] = usesAccessEntries(mode)
    ? await listAccessEntriesWithPolicies(snapshot.cluster.name)
    : { ok: 'skipped', reason: mode ? `authentication mode ${mode} has no access entries` : 'DescribeCluster named no authentication mode' };
}
