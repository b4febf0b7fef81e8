import * as z from 'zod/mini';
import { InvalidEventError } from '../errors.ts';
import type { Trigger } from '../types/index.ts';
import { assertServedRegion } from './region.ts';
import { errorCodeOf, isOwnChange, parseCloudTrailEvent, str, triggerOf, type CloudTrailEvent } from './cloudtrail.ts';

/**
 * Auto Scaling calls that create a group or change its tags or sizes, as CloudTrail records them
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/logging-using-cloudtrail.html): on-asg-event listens to
 * them, beside Auto Scaling's own launch event (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html).
 */
export const ASG_EVENT_NAMES = ['CreateAutoScalingGroup', 'UpdateAutoScalingGroup', 'CreateOrUpdateTags', 'DeleteTags'] as const;
export const LAUNCH_DETAIL_TYPE = 'EC2 Instance Launch Successful';

/** The native Auto Scaling event: one per instance, so a scale-out of N nodes is N events. */
const launchEventSchema = z.object({
  id: z.string().check(z.minLength(1)),
  'detail-type': z.literal(LAUNCH_DETAIL_TYPE),
  source: z.literal('aws.autoscaling'),
  region: z.optional(z.string()),
  time: z.optional(z.string()),
  detail: z.looseObject({ AutoScalingGroupName: z.string().check(z.minLength(1)), EC2InstanceId: z.optional(z.string()) }),
});

export type AsgEvent =
  | { kind: 'launch'; asgNames: string[]; trigger: Trigger }
  | { kind: 'cloudtrail'; asgNames: string[]; trigger: Trigger; eventName: string; deletedKeys: string[]; event: CloudTrailEvent }
  | { kind: 'ignored'; reason: string };

/** Reads either event shape; `ignored` for our own calls and failed calls; throws InvalidEventError for anything else. */
export function parseAsgEvent(raw: unknown, selfRoleArns: readonly string[]): AsgEvent {
  if ((raw as { 'detail-type'?: unknown })?.['detail-type'] === LAUNCH_DETAIL_TYPE) {
    const parsed = launchEventSchema.safeParse(raw);
    if (!parsed.success) {
      throw new InvalidEventError(`not an "${LAUNCH_DETAIL_TYPE}" event`, parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    }
    const e = parsed.data;
    assertServedRegion({ region: e.region });
    return {
      kind: 'launch',
      asgNames: [e.detail.AutoScalingGroupName],
      trigger: { kind: 'native-event', eventId: e.id, source: e.source, apiCall: LAUNCH_DETAIL_TYPE, time: e.time, resourceId: e.detail.AutoScalingGroupName },
    };
  }
  const event = parseCloudTrailEvent(raw);
  assertServedRegion(event);
  if (isOwnChange(event, selfRoleArns)) return { kind: 'ignored', reason: 'our own change' };
  const failure = errorCodeOf(event);
  if (failure) return { kind: 'ignored', reason: `failed call (${failure})` };
  const names = asgNamesOf(event);
  if (names.length === 0) throw new InvalidEventError(`${event.detail.eventName} names no Auto Scaling group (detail.requestParameters.autoScalingGroupName or tags[].resourceId)`, [{ path: 'detail.requestParameters.autoScalingGroupName', message: 'required' }]);
  const deletedKeys = event.detail.eventName === 'DeleteTags' ? tagsOf(event).map((t) => str(t.key)).filter((k): k is string => Boolean(k)) : [];
  return { kind: 'cloudtrail', asgNames: names, trigger: triggerOf(event, names.join(',')), eventName: event.detail.eventName, deletedKeys, event };
}

function tagsOf(event: CloudTrailEvent): Record<string, unknown>[] {
  const tags = event.detail.requestParameters?.tags;
  return Array.isArray(tags) ? (tags as Record<string, unknown>[]) : [];
}

/** The tag keys a `DeleteTags` call removed from `asgName` (one call may name several groups). */
export function deletedKeysOn(event: CloudTrailEvent, asgName: string): string[] {
  if (event.detail.eventName !== 'DeleteTags') return [];
  return tagsOf(event)
    .filter((t) => (str(t.resourceId) ?? asgName) === asgName && (!str(t.resourceType) || str(t.resourceType) === 'auto-scaling-group'))
    .map((t) => str(t.key)).filter((k): k is string => Boolean(k));
}

/** `requestParameters.autoScalingGroupName`, or each tag's `resourceId` (auto-scaling-group only). */
export function asgNamesOf(event: CloudTrailEvent): string[] {
  const names = new Set<string>();
  const direct = str(event.detail.requestParameters?.autoScalingGroupName);
  if (direct) names.add(direct);
  if (event.detail.eventName === 'CreateOrUpdateTags' || event.detail.eventName === 'DeleteTags') {
    for (const t of tagsOf(event)) {
      const type = str(t.resourceType);
      const id = str(t.resourceId);
      if (id && (!type || type === 'auto-scaling-group')) names.add(id);
    }
  }
  return [...names];
}
