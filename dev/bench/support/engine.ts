/**
 * What the reconcile benches measure with, in one import. Import it dynamically inside onLocalAccount's
 * bench, once the environment is set.
 */
export { callLog } from '../../../shared/aws/calls.ts';
export { loadConfig } from '../../../shared/capabilities/config.ts';
export { EVENT_REGISTRY } from '../../../shared/capabilities/event-registry.ts';
export { REGISTRY } from '../../../shared/capabilities/registry.ts';
export { narrowRegistry } from '../../../shared/engine/registry.ts';
export { reconcile } from '../../../shared/engine/reconcile.ts';
