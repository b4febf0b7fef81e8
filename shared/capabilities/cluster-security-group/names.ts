/**
 * The names of this capability's checks, apart from the checks themselves: configuration and exemption tags
 * are read against every name in every function, also where these checks are not loaded (../names.ts).
 */
export const CLUSTER_SG_BASELINE = 'cluster-sg-baseline';

export const CLUSTER_SECURITY_GROUP_CHECKS = [CLUSTER_SG_BASELINE] as const;
