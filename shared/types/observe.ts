import type { AutoScalingGroupState, SecurityGroupState, SgRule, VpcState } from './aws.ts';
import type { Facet } from './check.ts';
import type { GuardrailsConfig } from './config.ts';
import type { ClusterSnapshot } from './snapshot.ts';
import type { ReconcileTarget } from './trigger.ts';

/**
 * State the caller already read, reused instead of re-read: the handler that mapped an event to a
 * cluster passes the group it described; the sweep passes account-wide prefetches (one paginated call
 * for all clusters) so that AWS calls grow with pages, not with clusters. A loader filters a hint for
 * its cluster when the hint is present and calls AWS only when it is absent.
 */
export interface ObserveHints {
  securityGroups?: SecurityGroupState[];
  /** Account-wide: every ASG that may belong to some cluster (the loader filters by cluster). */
  autoScalingGroups?: AutoScalingGroupState[];
  /** Rules with ids, by group id. */
  securityGroupRules?: Map<string, SgRule[]>;
  /** Account-wide: the VPCs of the clusters in scope (read in one call by the sweep). */
  vpcs?: VpcState[];
  /** Free-form prefetches of later facets (load balancer names, IAM, volumes…), keyed by facet. */
  extra?: Record<string, unknown>;
  /** The reconcile target (trigger, focus): loaders may narrow their work to the focused resource. */
  target?: ReconcileTarget;
  /** The invocation's configuration (thresholds). */
  config?: GuardrailsConfig;
}

/** Reads one facet of one cluster into the snapshot (a later facet's loader may read an earlier one's result). */
export type FacetLoader = (snapshot: ClusterSnapshot, hints: ObserveHints) => Promise<void>;

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
  /** The facets whose loaders read what this prefetcher stores. */
  facets: readonly Facet[];
  /** Prefetchers this one reads hints from (run first). */
  after?: readonly string[];
  run(ctx: PrefetchContext): Promise<void>;
  /**
   * In a fan-out batch, which received its hints from the start phase instead of running `run`: resets what
   * `run` would have reset for a new scope (per-scope caches that belong to one account).
   */
  restore?(hints: ObserveHints): void;
}
