import { assembleRegistry } from '../engine/registry.ts';
import { complianceCapability } from './compliance/index.ts';
import { EVENT_CAPABILITIES } from './event-registry.ts';
import { CHECK_NAMES } from './names.ts';

/**
 * Every capability: what the sweep and the CLI run. Order matters for facets (a loader may read an earlier
 * capability's facet: compliance reads node groups and ASGs). The event functions import event-registry.ts
 * instead, so that their bundles carry no sweep-only capability.
 */
export const REGISTRY = assembleRegistry([...EVENT_CAPABILITIES, complianceCapability], CHECK_NAMES);
