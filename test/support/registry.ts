import { assembleRegistry } from '../../shared/engine/registry.ts';
import type { Check, Registry } from '../../shared/types/index.ts';

/** A registry of hand-made checks (no facets, no prefetchers): for tests of the engine and the sweep. */
export function registryOf(checks: readonly Check[]): Registry {
  return assembleRegistry([{ name: 'test', checks, facets: [], prefetchers: [], routes: {} }], checks.map((c) => c.name));
}
