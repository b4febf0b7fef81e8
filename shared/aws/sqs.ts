import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { clients } from './clients.ts';

/** SQS delays a message by at most 15 minutes. */
export const MAX_DELAY_SECONDS = 900;

export async function sendDelayed(queueUrl: string, body: object, delaySeconds: number): Promise<void> {
  await clients.sqs.send(new SendMessageCommand({
    QueueUrl: queueUrl,
    MessageBody: JSON.stringify(body),
    DelaySeconds: Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.round(delaySeconds))),
  }));
}
