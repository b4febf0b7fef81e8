import type { ClusterSnapshot, Facet, GuardrailsConfig, ObserveHints, Registry } from '../types/index.ts';
import { describeCluster } from '../aws/eks.ts';
import { NotReadyError } from '../errors.ts';

export type Observation =
  | { kind: 'ready'; snapshot: ClusterSnapshot }
  | { kind: 'missing' }
  | { kind: 'gone'; status: string };

/**
 * Reads one cluster's state: DescribeCluster, then only the facets the selected checks need, in the
 * registry's facet order.
 */
export async function observe(clusterName: string, facets: ReadonlySet<Facet>, config: GuardrailsConfig, registry: Pick<Registry, 'facetOrder' | 'loaders'>, hints: ObserveHints = {}): Promise<Observation> {
  const cluster = await describeCluster(clusterName);
  if (!cluster) return { kind: 'missing' };
  if (cluster.status === 'DELETING' || cluster.status === 'FAILED') return { kind: 'gone', status: cluster.status };
  if (cluster.status === 'CREATING' || cluster.status === 'PENDING') {
    throw new NotReadyError(`cluster ${clusterName} is ${cluster.status}`, { cluster: clusterName, status: cluster.status });
  }
  const snapshot: ClusterSnapshot = {
    account: accountOf(cluster.arn) ?? process.env.AWS_ACCOUNT_ID ?? 'unknown',
    region: regionOf(cluster.arn) ?? process.env.AWS_REGION ?? 'unknown',
    observedAt: Date.now(),
    cluster,
    extra: {},
  };
  // A check whose facet nobody loads would pass silently: fail loudly instead (the registry refuses it too).
  const unloaded = [...facets].filter((f) => !registry.loaders.has(f));
  if (unloaded.length > 0) throw new Error(`no loader registered for facet(s) ${unloaded.join(', ')} (needed by a selected check)`);
  for (const facet of registry.facetOrder) {
    if (!facets.has(facet) || !wanted(facet, config)) continue;
    await registry.loaders.get(facet)!(snapshot, hints);
  }
  return { kind: 'ready', snapshot };
}

/** The VPC is read only when a check option needs its CIDRs: it keeps a repair within three calls. */
function wanted(facet: Facet, config: GuardrailsConfig): boolean {
  if (facet === 'vpc') return config.clusterSecurityGroup.httpsFromVpc;
  return true;
}

function accountOf(arn: string | undefined): string | undefined {
  return arn?.split(':')[4] || undefined;
}

function regionOf(arn: string | undefined): string | undefined {
  return arn?.split(':')[3] || undefined;
}
