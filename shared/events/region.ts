import { InvalidEventError } from '../errors.ts';

/**
 * Handlers act only on the region they are deployed in: the clients are built for AWS_REGION, and an event
 * from elsewhere (a cross-region bus rule, a replayed sample) names resources — a security group id, an ASG
 * name — that either do not exist here or, worse, are a different resource with the same name. Such an
 * event is rejected before any AWS call. CloudTrail records the call's region as `detail.awsRegion`; the
 * EventBridge envelope's `region` is where the event was emitted
 * (https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html).
 */
export function assertServedRegion(event: { region?: string; detail?: { awsRegion?: string } }, served: string | undefined = process.env.AWS_REGION): void {
  if (!served) return;
  const regions = [...new Set([event.detail?.awsRegion, event.region].filter((r): r is string => typeof r === 'string' && r.length > 0))];
  const foreign = regions.filter((r) => r !== served);
  if (foreign.length > 0) {
    throw new InvalidEventError(
      `event from region ${foreign.join(', ')} (${event.detail?.awsRegion ? 'detail.awsRegion' : 'region'}), but this function serves ${served}: nothing done; deploy eks-guardrails in ${foreign.join(', ')} to cover it`,
      [{ path: event.detail?.awsRegion && event.detail.awsRegion !== served ? 'detail.awsRegion' : 'region', message: `expected ${served}, got ${foreign.join(', ')}` }],
    );
  }
}
