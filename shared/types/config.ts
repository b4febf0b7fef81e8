import type { CheckMode } from './check.ts';

export type RunMode = 'enforce' | 'dry-run';

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
  };
  /** Queue that delays events whose cluster/node group is not ready yet. */
  retryQueueUrl?: string;
  retryMaxAttempts: number;
  /** on-asg-event: an ASG verified this recently is not re-read for a mere instance launch (CloudTrail tag events always are). */
  autoscaler?: { launchCacheSeconds: number };
  /** First delay; doubles per attempt up to SQS's 15 minutes. */
  retryBaseDelaySeconds: number;
}
