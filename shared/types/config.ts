import type { CheckMode, RunMode, Severity } from './mode.ts';

export interface GuardrailsConfig {
  /** Global override: `dry-run` makes zero mutating calls whatever the check modes say. */
  mode: RunMode;
  checkModes: Record<string, CheckMode>;
  /** Tag key that exempts a resource or cluster: value `true` (all checks) or a comma list of check names. */
  exemptTagKey: string;
  /** Publish results to this bus (name or ARN); undefined = don't publish. */
  eventBus?: string;
  /** Our own roles: their CloudTrail events never trigger work. */
  selfRoleArns: string[];
  clusterSecurityGroup: {
    httpsFromVpc: boolean;
    enforceEgress: boolean;
  };
  nlb: {
    graceSeconds: number;
    thresholdPercent: number;
  };
  /** Compliance checks (sweep only). Optional so older callers' configs stay valid; absent = defaults. */
  compliance?: {
    /** Control-plane log types that must be enabled (default api, audit, authenticator). */
    requiredLogTypes: string[];
    /** IAM principal ARNs (or `*` patterns in the name) whose cluster-admin access entries are deliberate. */
    clusterAdminAllowlist?: string[];
  };
  /** node-imds-hardening: the highest IMDS PUT response hop limit accepted (1, or 2 when pods on the host network need it). Absent = 1. */
  nodeImds?: { hopLimitMax: 1 | 2 };
  /** Queue that delays events whose cluster/node group is not ready yet. */
  retryQueueUrl?: string;
  retryMaxAttempts: number;
  /** on-asg-event: an ASG verified this recently is not re-read for a mere instance launch (CloudTrail tag events always are). */
  autoscaler?: { launchCacheSeconds: number };
  /**
   * The cluster-autoscaler version that runs (`1.<minor>`): what it reads from the EKS API decides which
   * node-template tags are worth writing. Absent = the current minor (shared/capabilities/autoscaler/ca-template.ts).
   */
  clusterAutoscalerVersion?: string;
  /** First delay; doubles per attempt up to SQS's 15 minutes. */
  retryBaseDelaySeconds: number;
  /** The Slack / chat notifier (functions/notify); filled by loadConfig, optional for plain-data configs. */
  notify?: NotifyConfig;
}

export interface NotifyConfig {
  /** Secrets Manager secret holding the incoming-webhook URL; unset = no Slack. */
  slackWebhookSecretArn?: string;
  /** SNS topic of an Amazon Q Developer in chat applications (AWS Chatbot) channel; unset = none. */
  chatbotTopicArn?: string;
  /** "Finding" events below this severity are not posted (remediations and sweeps always are). */
  minSeverity: Severity;
  /** Least time between two posts (Slack: about one message per second per webhook). */
  intervalMs: number;
  /** DynamoDB table of Powertools idempotency records (one post per EventBridge event id); unset = not durable. */
  idempotencyTable?: string;
  /** Where events that can never be delivered go, with the error (the shared dead-letter queue). */
  deadLetterQueueUrl?: string;
}
