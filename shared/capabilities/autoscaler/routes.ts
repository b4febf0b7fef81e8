import { AUTOSCALER_DISCOVERY_TAGS } from './autoscaler-discovery-tags.ts';
import { AUTOSCALER_NODE_TEMPLATE_TAGS } from './autoscaler-node-template-tags.ts';

/** The checks an ASG or node group event narrows a reconcile to. */
export const AUTOSCALER_CHECKS: readonly string[] = [AUTOSCALER_DISCOVERY_TAGS, AUTOSCALER_NODE_TEMPLATE_TAGS];
