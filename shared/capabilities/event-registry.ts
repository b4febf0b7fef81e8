import { assembleRegistry } from '../engine/registry.ts';
import { autoscalerCapability } from './autoscaler/index.ts';
import { clusterSecurityGroupCapability } from './cluster-security-group/index.ts';
import { nlbHeadroomCapability } from './nlb-headroom/index.ts';
import { CHECK_NAMES } from './names.ts';

/**
 * The capabilities with event routes, for the event functions (on-sg-event, on-asg-event, on-cluster-event):
 * registry.ts's list minus the sweep-only capabilities, in the same order, so that an event reconcile reads
 * facets exactly as a sweep does. A test holds the two lists together.
 */
export const EVENT_CAPABILITIES = [clusterSecurityGroupCapability, autoscalerCapability, nlbHeadroomCapability] as const;

export const EVENT_REGISTRY = assembleRegistry(EVENT_CAPABILITIES, CHECK_NAMES);
