import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadConfig } from '../capabilities/config.ts';
import { GuardrailsError } from '../errors.ts';
import type { GuardrailsConfig } from '../types/index.ts';
import { noteRecordFailure } from './failures.ts';
import { logger } from './logger.ts';
import { emitMetrics } from './metrics.ts';

export interface BatchRecord {
  messageId: string;
  /** The EventBridge event the queue carried. */
  event: unknown;
}

export interface BatchOutcome<R> {
  /** Records to hand back to the queue (retried, then its dead-letter queue). */
  failedMessageIds: string[];
  result: R;
}

export type BatchFlow<R> = (records: BatchRecord[], ctx: { config: GuardrailsConfig }) => Promise<BatchOutcome<R>>;

/**
 * Like lambdaHandler, for functions that must see a whole SQS batch at once (to coalesce a burst):
 * the flow gets every record and names the failed ones (ReportBatchItemFailures). A record whose body is
 * not JSON fails alone. Invoked directly with one EventBridge event (sam local invoke), it runs a batch of one
 * and throws when that record fails.
 */
export function lambdaBatchHandler<R extends object>(name: string, flow: BatchFlow<R>) {
  const run = async (event: unknown, _context: Context): Promise<(R & SQSBatchResponse) | R> => {
    const config = loadConfig();
    if (!isSqsBatch(event)) {
      const out = await runFlow(name, flow, [{ messageId: 'direct', event }], config);
      if (out.failedMessageIds.length > 0) throw new GuardrailsError('Failed', `${name}: the event could not be processed`, { result: out.result as Record<string, unknown> });
      return out.result;
    }
    const records: BatchRecord[] = [];
    const failed: string[] = [];
    for (const r of event.Records) {
      try {
        records.push({ messageId: r.messageId, event: JSON.parse(r.body) as unknown });
      } catch {
        logger.error('record body is not JSON', { messageId: r.messageId });
        noteRecordFailure(r.messageId, new GuardrailsError('InvalidEvent', 'the record body is not JSON'));
        failed.push(r.messageId);
      }
    }
    const out = await runFlow(name, flow, records, config);
    return { ...out.result, batchItemFailures: [...failed, ...out.failedMessageIds].map((itemIdentifier) => ({ itemIdentifier })) };
  };
  return middy(run).use(injectLambdaContext(logger, { clearState: true })).use(emitMetrics(name));
}

async function runFlow<R>(name: string, flow: BatchFlow<R>, records: BatchRecord[], config: GuardrailsConfig): Promise<BatchOutcome<R>> {
  try {
    return await flow(records, { config });
  } catch (err) {
    const error = err instanceof GuardrailsError ? err.toJSON() : { name: (err as Error)?.name, message: (err as Error)?.message };
    logger.error(`${name} failed`, { error, records: records.length });
    throw err;
  }
}

function isSqsBatch(event: unknown): event is SQSEvent {
  const records = (event as { Records?: { eventSource?: string }[] })?.Records;
  return Array.isArray(records) && records.length > 0 && records.every((r) => r?.eventSource === 'aws:sqs');
}
