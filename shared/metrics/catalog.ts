/**
 * Every metric eks-guardrails emits, as CloudWatch embedded metric format (EMF) lines in the function's log —
 * no PutMetricData call (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format.html).
 * Each carries the dimension `service` (the function) and at most one more, from a small fixed vocabulary:
 * every distinct combination is a billed custom metric, so never a cluster name or a resource id.
 * docs/operations.md lists the same table; a test keeps them in step.
 */
export const DEFAULT_NAMESPACE = 'EksGuardrails';

export interface MetricSpec {
  /** The dimension besides `service`, if any. */
  dimension?: 'check' | 'severity' | 'reason' | 'error';
  /** Also published with `service` alone, so an alarm can watch the total (alarms cannot SEARCH across dimensions). */
  rollup?: boolean;
}

export const METRICS = {
  RemediationsApplied: { dimension: 'check', rollup: true },
  RemediationsFailed: { dimension: 'check', rollup: true },
  RemediationsPlanned: { dimension: 'check', rollup: true },
  Findings: { dimension: 'severity' },
  NlbRulesTrimmed: {},
  EventsIgnored: { dimension: 'reason' },
  SlackPosts: {},
  SlackRetries: { dimension: 'reason' },
  SlackPostsFailed: { dimension: 'error' },
} as const satisfies Record<string, MetricSpec>;

export type MetricName = keyof typeof METRICS;

/** Why an event (or, in on-asg-event, an Auto Scaling group named by a batch) was left alone. */
export const IGNORE_REASONS = [
  'own-change', 'failed-call', 'group-not-found', 'not-cluster-group', 'not-kubernetes-nlb', 'no-nlb-rules',
  'nodegroup-not-found', 'nodegroup-gone', 'cluster-not-ready', 'recently-verified', 'asg-not-found', 'not-cluster-asg',
  'already-processed', 'below-min-severity', 'other',
] as const;
export type IgnoreReason = (typeof IGNORE_REASONS)[number];

/** Why a Slack post was attempted again within one invocation. */
export const SLACK_RETRY_REASONS = ['rate-limited', 'server-error', 'network'] as const;
export type SlackRetryReason = (typeof SLACK_RETRY_REASONS)[number];
