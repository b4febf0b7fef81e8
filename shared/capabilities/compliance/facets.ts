import type { ObserveHints, ClusterSnapshot, ClusterVersionsFacet, ComplianceHints, EbsVolume, IamRolePoliciesFacet, RolePolicies } from '../../types/index.ts';
import { EXTRA_CLUSTER_VERSIONS, EXTRA_EBS_VOLUMES, EXTRA_IAM_ROLE_POLICIES, EXTRA_SUBNET_AZS } from '../../types/index.ts';
import { describeAllSubnetAzs, describeSubnetAzs, describeVolumes } from '../../aws/ec2-inventory.ts';
import { describeClusterVersions } from '../../aws/eks-versions.ts';
import { errorCode } from '../../aws/errors.ts';
import { listAllRolePolicies, listAttachedRolePolicies, roleNameOf } from '../../aws/iam.ts';
import { EKS_VERSION_CALENDAR } from './eks-version-calendar.ts';

/** Tags Kubernetes' EBS provisioners write: the CSI driver always, the in-tree provisioner per PVC. */
export const CSI_CLUSTER_TAG = 'ebs.csi.aws.com/cluster';
const PVC_TAG_PREFIX = 'kubernetes.io/created-for/pvc/';

/** A volume a provisioner made for a PersistentVolume (not a node's root volume). */
export function isProvisionedVolume(v: EbsVolume): boolean {
  return v.tags[CSI_CLUSTER_TAG] === 'true' || Object.keys(v.tags).some((k) => k.startsWith(PVC_TAG_PREFIX));
}

/**
 * Whether a volume belongs to a cluster: `kubernetes.io/cluster/<c>` (in-tree, and the CSI driver when run
 * with `--k8s-tag-cluster-id`) or `KubernetesCluster=<c>` (the CSI driver's second tag). A CSI volume with
 * neither names no cluster and is not attributed.
 */
export function belongsToCluster(v: EbsVolume, cluster: string): boolean {
  return v.tags[`kubernetes.io/cluster/${cluster}`] !== undefined || v.tags.KubernetesCluster === cluster;
}

/** The sweep's shared `hints.extra`, created when absent so that loaders cache into it across clusters. */
function complianceHints(hints: ObserveHints): ComplianceHints {
  return (hints.extra ?? {}) as ComplianceHints;
}

export interface PrefetchOptions {
  /**
   * `account` (default): all roles with their policies from GetAccountAuthorizationDetails, in pages of
   * 1000 (needs iam:GetAccountAuthorizationDetails; falls back to `per-role` when refused). `per-role`:
   * one ListAttachedRolePolicies per distinct role, cached for the sweep.
   */
  iam?: 'account' | 'per-role';
  /** `account` (default): every subnet of the region once. `per-cluster`: only subnets of clusters with volumes. */
  subnets?: 'account' | 'per-cluster';
}

/**
 * Sweep-wide prefetch: every provisioned volume of the account in one paginated call (then each cluster
 * filters its own), the version calendar once, roles and subnets account-wide (or empty caches). Pass the
 * result as `ObserveHints.extra` — the same object for every cluster of the sweep.
 */
export async function prefetchComplianceHints(options: PrefetchOptions = {}): Promise<ComplianceHints & Record<string, unknown>> {
  const volumes = await describeVolumes([{ Name: 'tag-key', Values: [CSI_CLUSTER_TAG, `${PVC_TAG_PREFIX}name`] }]);
  const roles = options.iam === 'per-role' ? undefined : await listAllRolePolicies();
  return {
    ebsVolumes: volumes.filter(isProvisionedVolume),
    clusterVersions: await loadClusterVersions(),
    iamRolePolicies: roles ?? new Map(),
    subnetAzs: options.subnets === 'per-cluster' ? new Map() : await describeAllSubnetAzs(),
  };
}

/** The API's calendar when it answers, else the built-in one; the facet says which. */
export async function loadClusterVersions(): Promise<ClusterVersionsFacet> {
  let apiError: string;
  try {
    const versions = await describeClusterVersions();
    if (versions.length > 0) return { source: 'api', versions };
    apiError = 'DescribeClusterVersions returned no versions';
  } catch (err) {
    // Not offered (moto answers 500), not permitted, or throttled after retries: the table still answers.
    const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
    apiError = `DescribeClusterVersions failed: ${errorCode(err)}${status ? ` (HTTP ${status})` : ''}`;
  }
  return { source: 'built-in', versions: [...EKS_VERSION_CALENDAR], apiError };
}

/** Roles to look at: the cluster role and every managed node group's node role (distinct). */
export function rolesOf(snapshot: ClusterSnapshot): string[] {
  const arns = [snapshot.cluster.roleArn, ...(snapshot.nodegroups ?? []).map((n) => n.nodeRole)];
  return [...new Set(arns.filter((a): a is string => Boolean(a)).map(roleNameOf))];
}

/** Lookups under way, per sweep cache: clusters observed concurrently share one call per role. */
const inflight = new WeakMap<object, Map<string, Promise<unknown>>>();

function sharedLoad<T>(cache: object, key: string, load: () => Promise<T>): Promise<T> {
  let calls = inflight.get(cache);
  if (!calls) inflight.set(cache, (calls = new Map()));
  let call = calls.get(key) as Promise<T> | undefined;
  if (!call) {
    call = load().finally(() => calls.delete(key));
    calls.set(key, call);
  }
  return call;
}

export async function loadIamRoles(snapshot: ClusterSnapshot, hints: ObserveHints): Promise<void> {
  const extra = complianceHints(hints);
  const cache = hints.extra ? (extra.iamRolePolicies ??= new Map<string, RolePolicies>()) : new Map<string, RolePolicies>();
  const facet: IamRolePoliciesFacet = {};
  for (const name of rolesOf(snapshot)) {
    let policies = cache.get(name);
    if (!policies) {
      policies = await sharedLoad(cache, name, () => listAttachedRolePolicies(name));
      cache.set(name, policies);
    }
    facet[name] = policies;
  }
  snapshot.extra[EXTRA_IAM_ROLE_POLICIES] = facet;
}

/** Volumes of the cluster and, only when there are some, the AZs of its node groups' subnets. */
export async function loadEbsVolumes(snapshot: ClusterSnapshot, hints: ObserveHints): Promise<void> {
  const name = snapshot.cluster.name;
  const extra = complianceHints(hints);
  const volumes = extra.ebsVolumes
    ? extra.ebsVolumes.filter((v) => belongsToCluster(v, name))
    : (await describeVolumes([{ Name: 'tag-key', Values: [`kubernetes.io/cluster/${name}`, 'KubernetesCluster'] }]))
        .filter((v) => isProvisionedVolume(v) && belongsToCluster(v, name));
  snapshot.extra[EXTRA_EBS_VOLUMES] = volumes;
  if (volumes.length === 0) return;

  const cache = hints.extra ? (extra.subnetAzs ??= new Map<string, string>()) : new Map<string, string>();
  const subnets = [...new Set((snapshot.nodegroups ?? []).flatMap((n) => n.subnets))];
  const unknown = subnets.filter((s) => !cache.has(s));
  if (unknown.length > 0) for (const [id, az] of await describeSubnetAzs(unknown)) cache.set(id, az);
  snapshot.extra[EXTRA_SUBNET_AZS] = Object.fromEntries(subnets.filter((s) => cache.has(s)).map((s) => [s, cache.get(s)!]));
}

export async function loadVersions(snapshot: ClusterSnapshot, hints: ObserveHints): Promise<void> {
  const extra = complianceHints(hints);
  const versions = extra.clusterVersions ?? (hints.extra ? await sharedLoad(hints.extra, EXTRA_CLUSTER_VERSIONS, loadClusterVersions) : await loadClusterVersions());
  if (hints.extra) extra.clusterVersions = versions;
  snapshot.extra[EXTRA_CLUSTER_VERSIONS] = versions;
}
