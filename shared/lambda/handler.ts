import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadConfig } from '../capabilities/config.ts';
import { GuardrailsError } from '../errors.ts';
import type { GuardrailsConfig } from '../types/index.ts';
import { noteRecordFailure } from './failures.ts';
import { logger } from './logger.ts';
import { emitMetrics } from './metrics.ts';
import { ignoreReason, ignoredReasonOf } from '../metrics/ignored.ts';
import { tally } from '../metrics/tally.ts';

export interface InvocationContext {
  config: GuardrailsConfig;
  /** How many times this event was deferred already (0 on first delivery). */
  attempt: number;
  /** The Lambda context (remaining time), when run as Lambda or through `invoke`. */
  lambda?: Context;
}

export type EventFlow<R> = (event: unknown, ctx: InvocationContext) => Promise<R>;

/** The message a retry queue carries: the original event and how often it was deferred. */
export interface DeferredMessage {
  deferredEvent: unknown;
  attempt: number;
}

/**
 * Wraps a flow as a Lambda handler: Powertools logging with the Lambda context, metrics written when
 * the invocation ends (./metrics.ts), configuration read once per invocation, structured errors. A batch
 * from SQS (the retry queue) is processed record by record and failed records are reported, so one bad
 * record never drops the others.
 */
export function lambdaHandler<R>(name: string, eventFlow: EventFlow<R>) {
  const flow = countIgnored(eventFlow);
  const run = async (event: unknown, context: Context): Promise<R | SQSBatchResponse> => {
    const config = loadConfig();
    if (isSqsBatch(event)) return runSqsBatch(event, config, flow, context);
    try {
      return await flow(event, { config, attempt: 0, lambda: context });
    } catch (err) {
      logFailure(name, err);
      throw err;
    }
  };
  return middy(run).use(injectLambdaContext(logger, { clearState: true })).use(emitMetrics(name));
}

/** A result `{ status: 'ignored' | 'skipped', reason }` counts as EventsIgnored by the kind of its reason. */
function countIgnored<R>(flow: EventFlow<R>): EventFlow<R> {
  return async (event, ctx) => {
    const result = await flow(event, ctx);
    const reason = ignoredReasonOf(result);
    if (reason !== undefined) tally.count('EventsIgnored', 1, ignoreReason(reason));
    return result;
  };
}

/** One SQS batch (from a retry queue): each record's event through the flow; failed records are reported, the rest stand. */
async function runSqsBatch<R>(batch: SQSEvent, config: GuardrailsConfig, flow: EventFlow<R>, context?: Context): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of batch.Records) {
    try {
      const body = JSON.parse(record.body) as unknown;
      const deferred = isDeferred(body) ? body : undefined;
      await flow(deferred ? deferred.deferredEvent : body, { config, attempt: deferred?.attempt ?? 0, lambda: context });
    } catch (err) {
      logFailure('sqs-record', err, { messageId: record.messageId });
      noteRecordFailure(record.messageId, err);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

function isSqsBatch(event: unknown): event is SQSEvent {
  const records = (event as { Records?: { eventSource?: string }[] })?.Records;
  return Array.isArray(records) && records.length > 0 && records.every((r) => r?.eventSource === 'aws:sqs');
}

function isDeferred(body: unknown): body is DeferredMessage {
  return typeof body === 'object' && body !== null && 'deferredEvent' in body && typeof (body as DeferredMessage).attempt === 'number';
}

function logFailure(where: string, err: unknown, extra: Record<string, unknown> = {}): void {
  if (err instanceof GuardrailsError) logger.error(`${where} failed`, { ...extra, error: err.toJSON() });
  else logger.error(`${where} failed`, { ...extra, error: { name: (err as Error)?.name, message: (err as Error)?.message } });
}
