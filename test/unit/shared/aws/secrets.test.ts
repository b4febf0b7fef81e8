import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { sdkClients } from '../../../../shared/aws/client.ts';
import { getSecretString } from '../../../../shared/aws/secrets.ts';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:slack-AbCdEf';
const sm = mockClient(SecretsManagerClient);
beforeEach(() => { sm.reset(); sdkClients.clear(); });

describe('Secrets Manager adapter', () => {
  it('returns the string', async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: 'https://hooks.slack.com/services/T/B/x' });
    assert.equal(await getSecretString(ARN), 'https://hooks.slack.com/services/T/B/x');
  });

  it('a missing secret: not retryable, names the ARN and the code', async () => {
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'Secrets Manager can\'t find the specified secret.', $metadata: {} }));
    await assert.rejects(getSecretString(ARN), (err: Error & { code: string; details: { retryable: boolean } }) => {
      assert.equal(err.code, 'SecretNotReadable');
      assert.equal(err.details.retryable, false);
      assert.match(err.message, new RegExp(`${ARN}: ResourceNotFoundException`));
      return true;
    });
  });

  it('throttling is retryable; a binary-only secret is refused', async () => {
    sm.on(GetSecretValueCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })).resolves({ SecretBinary: new Uint8Array([1]) });
    await assert.rejects(getSecretString(ARN), (err: Error & { code: string }) => err.code === 'SecretUnavailable');
    await assert.rejects(getSecretString(ARN), (err: Error & { code: string }) => err.code === 'InvalidSecret');
  });
});
