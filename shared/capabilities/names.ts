import { AUTOSCALER_CHECKS } from './autoscaler/names.ts';
import { CLUSTER_SECURITY_GROUP_CHECKS } from './cluster-security-group/names.ts';
import { COMPLIANCE_CHECKS } from './compliance/names.ts';
import { NLB_HEADROOM_CHECKS } from './nlb-headroom/names.ts';

/**
 * Every check the product knows, by name only: configuration and exemption tags are validated against it in
 * every function, without importing the checks (the notifier runs none; the event functions load no
 * sweep-only check). The registry refuses a check missing from it (shared/engine/registry.ts).
 */
export const CHECK_NAMES: readonly string[] = [...CLUSTER_SECURITY_GROUP_CHECKS, ...AUTOSCALER_CHECKS, ...NLB_HEADROOM_CHECKS, ...COMPLIANCE_CHECKS];
