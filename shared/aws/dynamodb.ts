import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { lazyClient } from './client.ts';

/** For Powertools idempotency (notify): counted like every other client. */
export const dynamoDbClient = lazyClient('DynamoDB', (config) => new DynamoDBClient(config));
