/**
 * The names of this capability's checks, apart from the checks themselves: configuration and exemption tags
 * are read against every name in every function, also where these checks are not loaded (../names.ts).
 */
export const CONTROL_PLANE_LOGGING = 'control-plane-logging';
export const PUBLIC_ENDPOINT = 'public-endpoint';
export const KUBERNETES_VERSION_SUPPORT = 'kubernetes-version-support';
export const SECRETS_ENCRYPTION = 'secrets-encryption';
export const IAM_ROLE_POLICIES = 'iam-role-policies';
export const MULTI_AZ_EBS = 'multi-az-ebs';
export const CLUSTER_ACCESS_POSTURE = 'cluster-access-posture';
export const SCALE_FROM_ZERO_READINESS = 'scale-from-zero-readiness';
export const NODE_IMDS_HARDENING = 'node-imds-hardening';
export const NLB_PREFLIGHT = 'nlb-preflight';

export const COMPLIANCE_CHECKS = [CONTROL_PLANE_LOGGING, PUBLIC_ENDPOINT, KUBERNETES_VERSION_SUPPORT, SECRETS_ENCRYPTION, IAM_ROLE_POLICIES, MULTI_AZ_EBS, CLUSTER_ACCESS_POSTURE, SCALE_FROM_ZERO_READINESS, NODE_IMDS_HARDENING, NLB_PREFLIGHT] as const;
