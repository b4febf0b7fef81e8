import type { ClusterSnapshot, Facet, GuardrailsConfig } from '../types/index.ts';
import { describeCluster } from '../aws/eks.ts';
import { NotReadyError } from '../errors.ts';
import { FACET_LOADERS, type ObserveHints } from './facets.ts';

export type Observation =
  | { kind: 'ready'; snapshot: ClusterSnapshot }
  | { kind: 'missing' }
  | { kind: 'gone'; status: string };

const FACET_ORDER: readonly Facet[] = [
  'clusterSecurityGroup', 'vpc', 'nodegroups', 'autoScalingGroups', 'clusterTaggedSecurityGroups',
  'securityGroupRuleIds', 'loadBalancers', 'iamRoles', 'ebsVolumes', 'clusterVersions', 'accessEntries', 'nodeLaunchSettings', 'clusterInstances',
];

/** Reads one cluster's state: DescribeCluster, then only the facets the selected checks need. */
export async function observe(clusterName: string, facets: ReadonlySet<Facet>, config: GuardrailsConfig, hints: ObserveHints = {}): Promise<Observation> {
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
  for (const facet of FACET_ORDER) {
    if (!facets.has(facet) || !wanted(facet, config)) continue;
    const loader = FACET_LOADERS[facet];
    // A check whose facet nobody loads would pass silently: fail loudly instead. (Sweep-only loaders such
    // as the compliance ones are registered by importing their module from the sweep, not the handlers.)
    if (!loader) throw new Error(`no loader registered for facet "${facet}" (needed by a selected check)`);
    await loader(snapshot, hints);
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
