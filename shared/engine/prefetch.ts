import type { Facet, GuardrailsConfig } from '../types/index.ts';
import { describeSecurityGroups, describeVpcs } from '../aws/ec2.ts';
import type { ObserveHints } from './facets.ts';

/** What a prefetcher knows before any cluster is observed: the cluster names of one account and region. */
export interface PrefetchContext {
  clusterNames: readonly string[];
  config: GuardrailsConfig;
  hints: ObserveHints;
}

/**
 * Reads, account-wide and by page, what a facet's loader would otherwise read cluster by cluster, and
 * stores it in the hints that loader consults. Contract with the loader: once a prefetcher sets a hint,
 * the hint is complete for every cluster in `clusterNames` (the loader trusts its absence of a match).
 */
export interface Prefetcher {
  /** Stable name, so one prefetcher serving several facets runs once. */
  name: string;
  /** Prefetchers this one reads hints from (run first). */
  after?: readonly string[];
  run(ctx: PrefetchContext): Promise<void>;
  /**
   * In a fan-out batch, which received its hints from the start phase instead of running `run`: resets what
   * `run` would have reset for a new scope (per-container caches that belong to one account).
   */
  restore?(hints: ObserveHints): void;
}

const REGISTRY = new Map<Facet, Prefetcher[]>();

/** Each capability registers its prefetchers next to its loaders (one call, at module load). */
export function registerPrefetcher(facets: readonly Facet[], prefetcher: Prefetcher): void {
  for (const facet of facets) {
    const list = REGISTRY.get(facet) ?? [];
    if (!list.some((p) => p.name === prefetcher.name)) list.push(prefetcher);
    REGISTRY.set(facet, list);
  }
}

/** The prefetchers the given facets need, dependencies first. */
export function prefetchersFor(facets: Iterable<Facet>): Prefetcher[] {
  const byName = new Map<string, Prefetcher>();
  for (const facet of facets) for (const p of REGISTRY.get(facet) ?? []) byName.set(p.name, p);
  const all = new Map<string, Prefetcher>([...REGISTRY.values()].flat().map((p) => [p.name, p]));
  const ordered: Prefetcher[] = [];
  const visit = (p: Prefetcher, path: string[]) => {
    if (ordered.includes(p)) return;
    if (path.includes(p.name)) throw new Error(`prefetcher cycle: ${[...path, p.name].join(' → ')}`);
    for (const dep of p.after ?? []) {
      const d = all.get(dep);
      if (d) visit(d, [...path, p.name]);
    }
    ordered.push(p);
  };
  for (const p of byName.values()) visit(p, []);
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
export async function prefetch(facets: Iterable<Facet>, ctx: PrefetchContext): Promise<PrefetchOutcome> {
  const outcome: PrefetchOutcome = { ran: [], failed: [] };
  for (const p of prefetchersFor(facets)) {
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
export function restorePrefetched(facets: Iterable<Facet>, hints: ObserveHints): string[] {
  const restored: string[] = [];
  for (const p of prefetchersFor(facets)) {
    p.restore?.(hints);
    restored.push(p.name);
  }
  return restored;
}

// ---- prefetchers for the facets whose loaders live in shared/engine/facets.ts ----

const CLUSTER_SG_TAG = 'aws:eks:cluster-name';
/** EC2 takes at most 200 values per filter. */
const FILTER_VALUES = 200;

/**
 * Every cluster security group (EKS tags them `aws:eks:cluster-name`) and every group tagged
 * `kubernetes.io/cluster/<name>` for a cluster in scope (the cloud provider's node groups): one filtered,
 * paginated describe for the lot — a page per 1000 groups, not a call per cluster.
 */
export const securityGroupsPrefetcher: Prefetcher = {
  name: 'security-groups',
  async run({ clusterNames, hints }) {
    const tagKeys = [CLUSTER_SG_TAG, ...clusterNames.map((c) => `kubernetes.io/cluster/${c}`)];
    const seen = new Map<string, NonNullable<ObserveHints['securityGroups']>[number]>();
    for (let i = 0; i < tagKeys.length; i += FILTER_VALUES) {
      for (const sg of await describeSecurityGroups([{ Name: 'tag-key', Values: tagKeys.slice(i, i + FILTER_VALUES) }])) seen.set(sg.groupId, sg);
    }
    hints.securityGroups = [...seen.values()];
  },
};

/** The clusters' VPCs in one describe (only when a check option reads VPC CIDRs). */
export const vpcsPrefetcher: Prefetcher = {
  name: 'vpcs',
  after: ['security-groups'],
  async run({ config, hints }) {
    if (!config.clusterSecurityGroup.httpsFromVpc) return;
    const ids = [...new Set((hints.securityGroups ?? []).map((g) => g.vpcId).filter((v): v is string => Boolean(v)))];
    hints.vpcs = ids.length > 0 ? await describeVpcs(ids) : [];
  },
};

registerPrefetcher(['clusterSecurityGroup', 'clusterTaggedSecurityGroups'], securityGroupsPrefetcher);
registerPrefetcher(['vpc'], vpcsPrefetcher);
