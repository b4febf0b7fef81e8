/** The functions `invoke` can run, as template.yaml deploys them. */
export const FUNCTIONS = ['on-cluster-event', 'on-asg-event', 'on-sg-event', 'sweep', 'notify'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/**
 * Functions that EventBridge feeds through an SQS queue in template.yaml: `invoke` wraps the event as
 * that queue would. Kept in one place so the CLI and the template test agree.
 */
export const QUEUE_FED: ReadonlySet<FunctionName> = new Set<FunctionName>(['notify', 'on-asg-event']);
