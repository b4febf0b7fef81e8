import type { Action } from './action.ts';
import type { ClusterSnapshot } from './snapshot.ts';
import type { GuardrailsConfig } from './config.ts';
import type { CheckMode, Severity } from './mode.ts';

export interface ResourceRef {
  type: 'cluster' | 'security-group' | 'security-group-rule' | 'auto-scaling-group' | 'nodegroup' | 'iam-role' | 'load-balancer';
  id: string;
  arn?: string;
}

export interface Finding {
  /** Stable across runs: `<check>:<resource id>[:<detail>]`, so reports and Slack can de-duplicate. */
  id: string;
  check: string;
  severity: Severity;
  resource: ResourceRef;
  title: string;
  /** What was seen, as plain data (rule lists, tag values…). */
  evidence: Record<string, unknown>;
  fixHint: string;
  /** True when the resource or its cluster carries the exemption tag: reported, never changed. */
  exempt?: boolean;
  /**
   * State, not news: shown in reports and sweep results, never published as an event on its own (a recorded
   * opt-out is announced once, when it is recorded, and then only listed).
   */
  quiet?: boolean;
}

export interface CheckOutcome {
  findings: Finding[];
  /** Each action names the finding that justifies it (`findingId`). */
  actions: Action[];
  /** Plain data the sweep report shows beside the findings (measurements, not problems: no state, no severity). */
  facts?: Record<string, unknown>;
}

/**
 * What a check needs observed, by name: `observe` reads only the union of these. Each capability names and
 * loads its own facets (shared/capabilities/<capability>/facets.ts); the registry refuses a check whose facet
 * no loaded capability reads.
 */
export type Facet = string;

/** Which doors may run a check: `event` (CloudTrail, native events, retries) and/or `sweep` (schedule, CLI). */
export type CheckTrigger = 'event' | 'sweep';

export interface Check {
  name: string;
  description: string;
  /** The mode when configuration names none. Deleting or widening checks default to `report`. */
  defaultMode: CheckMode;
  facets: readonly Facet[];
  /**
   * When absent, both. Compliance checks are `['sweep']`: an SG or cluster event must not pay for their
   * AWS calls (IAM, volumes, versions) on the hot path.
   */
  triggers?: readonly CheckTrigger[];
  run(snapshot: ClusterSnapshot, config: GuardrailsConfig): CheckOutcome;
}
