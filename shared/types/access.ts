/**
 * Who can reach a cluster's Kubernetes API through EKS access entries, as the cluster-access-posture check
 * reads it (`snapshot.extra[EXTRA_ACCESS_ENTRIES]`). Plain data: no SDK types.
 */
export const EXTRA_ACCESS_ENTRIES = 'accessEntries';

/** One access policy associated with an entry (ListAssociatedAccessPolicies). */
export interface AssociatedAccessPolicy {
  policyArn: string;
  /** `cluster` or `namespace`. */
  scopeType: string;
  namespaces: string[];
  /** ISO timestamp. */
  associatedAt?: string;
}

export interface AccessEntryState {
  principalArn: string;
  policies: AssociatedAccessPolicy[];
}

/**
 * The cluster's access entries with their policies; `skipped` when the authentication mode has no API
 * (`CONFIG_MAP`: entries do not apply) or DescribeCluster named no mode; `ok: false` when listing failed.
 */
export type AccessEntriesFacet =
  | { ok: true; entries: AccessEntryState[] }
  | { ok: false; errorCode: string }
  | { ok: 'skipped'; reason: string };
