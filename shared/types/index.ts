export type * from './aws.ts';
export type * from './action.ts';
export type * from './check.ts';
export type * from './config.ts';
export type * from './snapshot.ts';
export type * from './trigger.ts';
export { SEVERITIES } from './check.ts';
export type * from './compliance.ts';
export { EXTRA_CLUSTER_VERSIONS, EXTRA_EBS_VOLUMES, EXTRA_IAM_ROLE_POLICIES, EXTRA_SUBNET_AZS } from './compliance.ts';
