import { sendDelayed, MAX_DELAY_SECONDS } from '../aws/sqs.ts';
import { NotReadyError } from '../errors.ts';
import type { InvocationContext, DeferredMessage } from './handler.ts';
import { logger } from './logger.ts';

/** By default 30 s, 60 s, 2 min, 4 min, 8 min, then 15 min (SQS's longest delay): about 2 hours over 12 attempts. */
export function retryDelaySeconds(attempt: number, baseSeconds = 30): number {
  return Math.min(MAX_DELAY_SECONDS, baseSeconds * 2 ** attempt);
}

export interface Deferral {
  status: 'deferred';
  reason: string;
  attempt: number;
  delaySeconds: number;
}

/**
 * Puts a not-ready event back on the retry queue with a delay instead of holding a Lambda idle.
 * When attempts run out, or no queue is configured, the error propagates (Lambda retries → DLQ).
 */
export async function defer(event: unknown, err: NotReadyError, ctx: InvocationContext): Promise<Deferral> {
  const { retryQueueUrl, retryMaxAttempts } = ctx.config;
  if (!retryQueueUrl) throw err;
  if (ctx.attempt + 1 >= retryMaxAttempts) {
    throw new NotReadyError(`${err.message}; gave up after ${ctx.attempt + 1} attempts`, err.details);
  }
  const delaySeconds = retryDelaySeconds(ctx.attempt, ctx.config.retryBaseDelaySeconds);
  const message: DeferredMessage = { deferredEvent: event, attempt: ctx.attempt + 1 };
  await sendDelayed(retryQueueUrl, message, delaySeconds);
  logger.info('deferred until ready', { reason: err.message, attempt: ctx.attempt + 1, delaySeconds });
  return { status: 'deferred', reason: err.message, attempt: ctx.attempt + 1, delaySeconds };
}
