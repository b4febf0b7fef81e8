/**
 * The names of this capability's checks, apart from the checks themselves: configuration and exemption tags
 * are read against every name in every function, also where these checks are not loaded (../names.ts).
 */
export const AUTOSCALER_DISCOVERY_TAGS = 'autoscaler-discovery-tags';
export const AUTOSCALER_NODE_TEMPLATE_TAGS = 'autoscaler-node-template-tags';

export const AUTOSCALER_CHECKS = [AUTOSCALER_DISCOVERY_TAGS, AUTOSCALER_NODE_TEMPLATE_TAGS] as const;
