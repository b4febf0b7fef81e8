import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { dynamoDbClient } from '../aws/dynamodb.ts';
import { logger } from '../lambda/logger.ts';
import { containerCaches } from '../state/cache.ts';

/** EventBridge redelivers for up to a day (the rule's retry policy); a record outlives that. */
const EXPIRES_AFTER_SECONDS = 24 * 60 * 60;

/** `now`: this call delivered, with its result; `already`: an earlier delivery of the same event did. */
export type Delivered<R> = { delivered: 'now'; result: R } | { delivered: 'already' };

/** Whether this container has warned that no idempotency table is configured: once per container, not per event. */
const missingTableWarning = {
  name: 'missing idempotency table warning',
  given: false,
  clear(): void { this.given = false; },
};
containerCaches.register(missingTableWarning);

/**
 * Runs `deliver` at most once per EventBridge event id and channel, durably (Powertools idempotency on
 * DynamoDB): a record is written before the post, marked complete after it, and removed when the post
 * fails so the retry posts again. A duplicate delivery of a completed event returns the stored result.
 * Each channel has its own key prefix, so a Slack post that succeeded is not repeated when the
 * Chatbot publish after it fails and the event is retried.
 */
export async function deliverOncePerEvent<R>(channel: string, table: string | undefined, lambda: Context | undefined, eventId: string, deliver: () => Promise<R>): Promise<Delivered<R>> {
  if (!table) {
    if (!missingTableWarning.given) logger.warn('no idempotency table configured (GUARDRAILS_IDEMPOTENCY_TABLE): a redelivered event posts again', { channel });
    missingTableWarning.given = true;
    return { delivered: 'now', result: await deliver() };
  }
  // Whether `deliver` ran: a completed record answers with the stored result without running it.
  let ran = false;
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'id', expiresAfterSeconds: EXPIRES_AFTER_SECONDS, throwOnNoIdempotencyKey: true });
  if (lambda) config.registerLambdaContext(lambda);
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName: table, awsSdkV3Client: dynamoDbClient() });
  const once = makeIdempotent(async (_key: { id: string }) => {
    ran = true;
    return deliver();
  }, { persistenceStore, config, keyPrefix: `notify.${channel}` });
  const result = await once({ id: eventId });
  return ran ? { delivered: 'now', result } : { delivered: 'already' };
}
