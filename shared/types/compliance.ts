/**
 * State the compliance checks read, kept in `snapshot.extra` under the keys below (plain data, no SDK types).
 * A lookup that failed is recorded as such, so a check can say "could not check" instead of guessing.
 */

/** `snapshot.extra` keys written by the compliance facet loaders. */
export const EXTRA_IAM_ROLE_POLICIES = 'iamRolePolicies';
export const EXTRA_EBS_VOLUMES = 'ebsVolumes';
export const EXTRA_SUBNET_AZS = 'subnetAzs';
export const EXTRA_CLUSTER_VERSIONS = 'clusterVersions';

/** Managed policies attached to one role, or why they could not be listed. */
export type RolePolicies =
  | { roleName: string; ok: true; policyArns: string[] }
  | { roleName: string; ok: false; errorCode: string; /** `NoSuchEntity`: the role is gone. */ missing: boolean };

/** Role name → its attached managed policies (cluster role and every managed node group's node role). */
export type IamRolePoliciesFacet = Record<string, RolePolicies>;

/** An EBS volume a Kubernetes volume provisioner made for this cluster (a PersistentVolume). */
export interface EbsVolume {
  volumeId: string;
  availabilityZone: string;
  state?: string;
  tags: Record<string, string>;
}

export type EbsVolumesFacet = EbsVolume[];

/** Subnet id → availability zone, for the subnets of the cluster's managed node groups. */
export type SubnetAzsFacet = Record<string, string>;

export interface ClusterVersionInfo {
  /** Minor version, e.g. `1.31`. */
  version: string;
  /** EKS's own word when the API answered: STANDARD_SUPPORT | EXTENDED_SUPPORT | UNSUPPORTED. */
  status?: string;
  /** ISO dates. */
  releaseDate?: string;
  endOfStandardSupport?: string;
  endOfExtendedSupport?: string;
}

export interface ClusterVersionsFacet {
  /** `api`: EKS DescribeClusterVersions answered; `built-in`: our table (the API failed or is not offered). */
  source: 'api' | 'built-in';
  versions: ClusterVersionInfo[];
  /** Why the API was not used, when the built-in table was. */
  apiError?: string;
}

/**
 * Sweep-wide prefetches and caches for the compliance loaders, passed in `ObserveHints.extra` under the same
 * keys. Maps are caches the loaders fill: a role shared by 40 node groups in 10 clusters is listed once.
 */
export interface ComplianceHints {
  /** Role name → policies (a cache; the loader adds what it lists). */
  iamRolePolicies?: Map<string, RolePolicies>;
  /** Account-wide: every volume carrying a Kubernetes provisioner tag (the loader filters by cluster). */
  ebsVolumes?: EbsVolume[];
  /** Subnet id → AZ (a cache; the loader adds what it describes). */
  subnetAzs?: Map<string, string>;
  /** Read once per sweep. */
  clusterVersions?: ClusterVersionsFacet;
}
