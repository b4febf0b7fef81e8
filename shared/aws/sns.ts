import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GuardrailsError } from '../errors.ts';
import { classifyError, errorCode } from './errors.ts';
import { lazyClient } from './client.ts';

export const snsClient = lazyClient('SNS', (config) => new SNSClient(config));

export async function publishJson(topicArn: string, body: object): Promise<string | undefined> {
  try {
    const out = await snsClient().send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(body) }));
    return out.MessageId;
  } catch (err) {
    const code = errorCode(err);
    throw new GuardrailsError('SnsPublishFailed', `cannot publish to ${topicArn}: ${code}`, { code, retryable: classifyError(err) === 'retryable' });
  }
}
