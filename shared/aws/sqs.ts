import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { lazyClient } from './client.ts';

export const sqsClient = lazyClient('SQS', (config) => new SQSClient(config));

/** SQS delays a message by at most 15 minutes. */
export const MAX_DELAY_SECONDS = 900;

export async function sendDelayed(queueUrl: string, body: object, delaySeconds: number): Promise<void> {
  await sqsClient().send(new SendMessageCommand({
    QueueUrl: queueUrl,
    MessageBody: JSON.stringify(body),
    DelaySeconds: Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.round(delaySeconds))),
  }));
}
