// zod/mini: the same validation as zod at a fraction of the bundle (cold start is a feature).
import * as z from 'zod/mini';
import { InvalidEventError } from '../errors.ts';
import { bareErrorCode } from '../aws/errors.ts';
import type { Trigger } from '../types/index.ts';
import { roleNameOf } from '../arn.ts';

/**
 * An EventBridge event carrying a CloudTrail record ("AWS API Call via CloudTrail"). Parsed defensively:
 * only what we use is required, everything else passes through (real events vary by service and age).
 */
export const cloudTrailEventSchema = z.object({
  id: z.string().check(z.minLength(1)),
  'detail-type': z.literal('AWS API Call via CloudTrail'),
  source: z.string().check(z.minLength(1)),
  account: z.optional(z.string()),
  region: z.optional(z.string()),
  time: z.optional(z.string()),
  detail: z.looseObject({
    eventSource: z.string().check(z.minLength(1)),
    eventName: z.string().check(z.minLength(1)),
    eventTime: z.optional(z.string()),
    eventID: z.optional(z.string()),
    awsRegion: z.optional(z.string()),
    errorCode: z.nullish(z.string()),
    errorMessage: z.nullish(z.string()),
    sourceIPAddress: z.nullish(z.string()),
    userAgent: z.nullish(z.string()),
    userIdentity: z.optional(z.looseObject({
      type: z.optional(z.string()),
      arn: z.optional(z.string()),
      invokedBy: z.optional(z.string()),
      sessionContext: z.optional(z.looseObject({
        sessionIssuer: z.optional(z.looseObject({ arn: z.optional(z.string()), userName: z.optional(z.string()) })),
      })),
    })),
    requestParameters: z.nullish(z.record(z.string(), z.unknown())),
    responseElements: z.nullish(z.record(z.string(), z.unknown())),
  }),
});

export type CloudTrailEvent = z.infer<typeof cloudTrailEventSchema>;

export function parseCloudTrailEvent(event: unknown): CloudTrailEvent {
  const parsed = cloudTrailEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new InvalidEventError('not an EventBridge "AWS API Call via CloudTrail" event',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  return parsed.data;
}

/**
 * Who acted, as precisely as CloudTrail says: for an assumed role the session ARN
 * (`arn:aws:sts::<acct>:assumed-role/<Role>/<session>` — the session is usually the person), else the
 * identity's ARN, else the service that invoked the call.
 */
export function actorOf(event: CloudTrailEvent): string | undefined {
  const id = event.detail.userIdentity;
  return id?.arn ?? id?.sessionContext?.sessionIssuer?.arn ?? id?.invokedBy;
}

/**
 * True when one of our own roles made the call. Compares role ARNs, and also accepts the assumed-role
 * form (`arn:aws:sts::<acct>:assumed-role/<Role>/<session>`), so either can be configured.
 */
export function isOwnChange(event: CloudTrailEvent, selfRoleArns: readonly string[]): boolean {
  if (selfRoleArns.length === 0) return false;
  const id = event.detail.userIdentity;
  const candidates = [id?.sessionContext?.sessionIssuer?.arn, id?.arn].filter((a): a is string => Boolean(a));
  const selfRoleNames = new Set(selfRoleArns.map(roleNameOf).filter(Boolean));
  return candidates.some((arn) => selfRoleArns.includes(arn) || selfRoleNames.has(roleNameOf(arn)));
}

/** The call's error code without EC2's `Client.` prefix; undefined for successful calls. */
export function errorCodeOf(event: CloudTrailEvent): string | undefined {
  return event.detail.errorCode ? bareErrorCode(event.detail.errorCode) : undefined;
}

export function triggerOf(event: CloudTrailEvent, resourceId?: string): Trigger {
  return {
    kind: 'cloudtrail',
    eventId: event.id,
    source: event.source,
    apiCall: `${event.detail.eventSource.replace('.amazonaws.com', '')}:${event.detail.eventName}`,
    actor: actorOf(event),
    time: event.detail.eventTime ?? event.time,
    ...(event.detail.errorCode ? { errorCode: event.detail.errorCode } : {}),
    ...(resourceId ? { resourceId } : {}),
  };
}

/** EC2 wraps lists as `{ items: [...] }` and writes an empty list as `{}`. */
export function items(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value as Record<string, unknown>[];
  if (value && typeof value === 'object' && Array.isArray((value as { items?: unknown }).items)) {
    return (value as { items: Record<string, unknown>[] }).items;
  }
  return [];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
