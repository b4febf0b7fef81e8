import type { Facet, ObserveHints, PrefetchContext, Prefetcher } from '../types/index.ts';

/** The prefetchers the given facets need, dependencies first (each capability declares its own). */
export function prefetchersFor(facets: Iterable<Facet>, prefetchers: readonly Prefetcher[]): Prefetcher[] {
  const wanted = new Set(facets);
  const byName = new Map(prefetchers.map((p) => [p.name, p]));
  const ordered: Prefetcher[] = [];
  const visit = (p: Prefetcher, path: string[]) => {
    if (ordered.includes(p)) return;
    if (path.includes(p.name)) throw new Error(`prefetcher cycle: ${[...path, p.name].join(' → ')}`);
    for (const dep of p.after ?? []) {
      const d = byName.get(dep);
      if (d) visit(d, [...path, p.name]);
    }
    ordered.push(p);
  };
  for (const p of prefetchers) if (p.facets.some((f) => wanted.has(f))) visit(p, []);
  return ordered;
}

export interface PrefetchOutcome {
  ran: string[];
  /** Prefetchers that failed (and those depending on them, skipped): their loaders read per cluster instead. */
  failed: { name: string; error: unknown }[];
}

/**
 * Runs the prefetchers the facets need. One that fails is not fatal: its hints stay unset (each sets its
 * hints only once complete), its dependants are skipped, and the loaders read per cluster — more calls,
 * same answer.
 */
export async function prefetch(facets: Iterable<Facet>, prefetchers: readonly Prefetcher[], ctx: PrefetchContext): Promise<PrefetchOutcome> {
  const outcome: PrefetchOutcome = { ran: [], failed: [] };
  for (const p of prefetchersFor(facets, prefetchers)) {
    const broken = (p.after ?? []).find((dep) => outcome.failed.some((f) => f.name === dep));
    if (broken) {
      outcome.failed.push({ name: p.name, error: new Error(`skipped: ${broken} failed`) });
      continue;
    }
    try {
      await p.run(ctx);
      outcome.ran.push(p.name);
    } catch (error) {
      outcome.failed.push({ name: p.name, error });
    }
  }
  return outcome;
}

/** A batch's hints came from the start phase: each prefetcher the facets need resets its per-scope state. */
export function restorePrefetched(facets: Iterable<Facet>, prefetchers: readonly Prefetcher[], hints: ObserveHints): string[] {
  const restored: string[] = [];
  for (const p of prefetchersFor(facets, prefetchers)) {
    p.restore?.(hints);
    restored.push(p.name);
  }
  return restored;
}
