import type { Capability, Check, EventRoute, Facet, FacetLoader, Prefetcher, Registry } from '../types/index.ts';

/**
 * Assembles capabilities into the registry a function runs with. Facet order is the capabilities' order,
 * then each capability's own: a loader may read what an earlier one stored (the ASG loader reads the node
 * groups). Refuses, at load time, what would otherwise fail quietly at run time: two checks or facets with
 * one name, a check no catalog knows, a check whose facet nobody loads, a route to a check not loaded.
 */
export function assembleRegistry(capabilities: readonly Capability[], checkNames: readonly string[]): Registry {
  const checks: Check[] = [];
  const loaders = new Map<Facet, FacetLoader>();
  const prefetchers: Prefetcher[] = [];
  const routes: Partial<Record<EventRoute, string[]>> = {};
  for (const capability of capabilities) {
    for (const facet of capability.facets) {
      if (loaders.has(facet.name)) throw new Error(`facet "${facet.name}" is loaded twice (capability ${capability.name})`);
      loaders.set(facet.name, facet.load);
    }
    for (const check of capability.checks) {
      if (checks.some((c) => c.name === check.name)) throw new Error(`check "${check.name}" is registered twice (capability ${capability.name})`);
      if (!checkNames.includes(check.name)) throw new Error(`check "${check.name}" (capability ${capability.name}) is missing from the check name catalog`);
      checks.push(check);
    }
    for (const p of capability.prefetchers) {
      if (prefetchers.some((q) => q.name === p.name)) throw new Error(`prefetcher "${p.name}" is registered twice (capability ${capability.name})`);
      prefetchers.push(p);
    }
    for (const [route, names] of Object.entries(capability.routes) as [EventRoute, readonly string[]][]) {
      for (const name of names) if (!capability.checks.some((c) => c.name === name)) throw new Error(`route ${route} of capability ${capability.name} names check "${name}", which it does not hold`);
      (routes[route] ??= []).push(...names);
    }
  }
  for (const check of checks) {
    const unloaded = check.facets.filter((f) => !loaders.has(f));
    if (unloaded.length > 0) throw new Error(`check "${check.name}" needs facet(s) ${unloaded.join(', ')}, which no loaded capability reads`);
  }
  return { capabilities, checks, checkNames, facetOrder: [...loaders.keys()], loaders, prefetchers, routes };
}

/** The registry narrowed to some of its checks (same loaders and prefetchers): a CLI `--checks`, a test, a bench. */
export function narrowRegistry(registry: Registry, keep: (check: Check) => boolean): Registry {
  return { ...registry, checks: registry.checks.filter(keep) };
}

/** The checks an event of this kind runs, in registry order. */
export function checksFor(registry: Registry, route: EventRoute): string[] {
  return [...(registry.routes[route] ?? [])];
}
