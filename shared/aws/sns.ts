import { PublishCommand } from '@aws-sdk/client-sns';
import { GuardrailsError } from '../errors.ts';
import { classifyError, errorCode } from './errors.ts';
import { clients } from './clients.ts';

export async function publishJson(topicArn: string, body: object): Promise<string | undefined> {
  try {
    const out = await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(body) }));
    return out.MessageId;
  } catch (err) {
    const code = errorCode(err);
    throw new GuardrailsError('SnsPublishFailed', `cannot publish to ${topicArn}: ${code}`, { code, retryable: classifyError(err) === 'retryable' });
  }
}
