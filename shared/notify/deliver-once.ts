import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { dynamoDbClient } from '../aws/dynamodb.ts';
import { logger } from '../lambda/logger.ts';
import { containerCaches } from '../state/cache.ts';

/** EventBridge redelivers for up to a day (the rule's retry policy); a record outlives that. */
const EXPIRES_AFTER_SECONDS = 24 * 60 * 60;

export interface DeliveryKey { id: string }
type Delivery<R> = (key: DeliveryKey) => Promise<R>;

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
export function deliverOncePerEvent<R>(channel: string, table: string | undefined, lambda: Context | undefined, deliver: Delivery<R>): Delivery<R> {
  if (!table) {
    if (!missingTableWarning.given) logger.warn('no idempotency table configured (GUARDRAILS_IDEMPOTENCY_TABLE): a redelivered event posts again', { channel });
    missingTableWarning.given = true;
    return deliver;
  }
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'id', expiresAfterSeconds: EXPIRES_AFTER_SECONDS, throwOnNoIdempotencyKey: true });
  if (lambda) config.registerLambdaContext(lambda);
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName: table, awsSdkV3Client: dynamoDbClient() });
  return makeIdempotent(deliver, { persistenceStore, config, keyPrefix: `notify.${channel}` });
}
