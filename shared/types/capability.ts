import type { Check, Facet } from './check.ts';
import type { FacetLoader, Prefetcher } from './observe.ts';

/**
 * The kinds of event a function routes to checks. Each capability says which of its checks an event of each
 * kind runs (its `routes`); the handler asks the registry and never names a check itself.
 */
export type EventRoute =
  /** A CloudTrail security-group call that succeeded (on-sg-event). */
  | 'security-group-changed'
  /** AuthorizeSecurityGroupIngress failed with RulesPerSecurityGroupLimitExceeded: the group is full. */
  | 'security-group-full'
  /** A Kubernetes-named NLB was deleted: its rules start their grace period. */
  | 'load-balancer-deleted'
  /** A CloudTrail Auto Scaling call or an instance launch on a node group ASG (on-asg-event). */
  | 'auto-scaling-group-changed'
  /** EKS CreateNodegroup / UpdateNodegroupConfig (on-cluster-event). */
  | 'nodegroup-changed'
  /** EKS CreateCluster, once the cluster is ACTIVE (on-cluster-event). */
  | 'cluster-created';

/** A facet and how to read it. A capability lists them in the order they must run. */
export interface FacetDefinition {
  name: Facet;
  load: FacetLoader;
}

/**
 * One capability (cluster security group, autoscaler, NLB headroom, compliance): everything it adds to the
 * engine, declared in its own folder (shared/capabilities/<name>/index.ts) and assembled by the registry.
 */
export interface Capability {
  name: string;
  checks: readonly Check[];
  /** The facets this capability reads, in the order they run (after those of capabilities listed before it). */
  facets: readonly FacetDefinition[];
  /** Account-wide reads for a sweep, each serving some of the facets above. */
  prefetchers: readonly Prefetcher[];
  /** Which of its checks each kind of event runs. */
  routes: Partial<Record<EventRoute, readonly string[]>>;
}

/** The capabilities a function loads, assembled once (shared/engine/registry.ts). */
export interface Registry {
  capabilities: readonly Capability[];
  /** The loaded capabilities' checks, in capability order. */
  checks: readonly Check[];
  /**
   * Every check the product knows, loaded here or not (the sweep-only checks are not loaded by the event
   * functions): configuration and exemption tags are read against it, the same in every function.
   */
  checkNames: readonly string[];
  /** Facets in the order observe reads them. */
  facetOrder: readonly Facet[];
  loaders: ReadonlyMap<Facet, FacetLoader>;
  prefetchers: readonly Prefetcher[];
  routes: Readonly<Partial<Record<EventRoute, readonly string[]>>>;
}
