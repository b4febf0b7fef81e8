import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { MotoServer } from './moto.ts';

/** What template.yaml gives notify, made in a local account: the webhook secret and the idempotency table. */
export async function seedNotify(moto: MotoServer, webhookUrl: string, names: { secret?: string; table?: string } = {}): Promise<{ secretArn: string; table: string }> {
  const config = moto.clientConfig();
  const secret = await new SecretsManagerClient(config).send(new CreateSecretCommand({
    Name: names.secret ?? 'eks-guardrails/slack-webhook',
    SecretString: JSON.stringify({ url: webhookUrl }),
  }));
  const table = names.table ?? 'eks-guardrails-idempotency';
  await new DynamoDBClient(config).send(new CreateTableCommand({
    TableName: table,
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  return { secretArn: secret.ARN!, table };
}
