import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GuardrailsError } from '../errors.ts';
import { classifyError, errorCode } from './errors.ts';
import { lazyClient } from './client.ts';

export const secretsManagerClient = lazyClient('SecretsManager', (config) => new SecretsManagerClient(config));

/**
 * The secret's string. Errors name the secret ARN and AWS's error code, never the value
 * (the SDK's messages don't carry it either: we still don't pass them through).
 */
export async function getSecretString(secretArn: string): Promise<string> {
  try {
    const out = await secretsManagerClient().send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (out.SecretString === undefined) throw new GuardrailsError('InvalidSecret', `secret ${secretArn} has no string value`);
    return out.SecretString;
  } catch (err) {
    if (err instanceof GuardrailsError) throw err;
    const code = errorCode(err);
    const retryable = classifyError(err) === 'retryable';
    throw new GuardrailsError(retryable ? 'SecretUnavailable' : 'SecretNotReadable', `cannot read secret ${secretArn}: ${code}`, { code, retryable });
  }
}
