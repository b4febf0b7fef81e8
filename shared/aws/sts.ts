import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { lazyClient } from './client.ts';

/** Always our own credentials: member accounts are reached by assuming their role from here. */
export const stsClient = lazyClient('STS', (config) => new STSClient(config));

/** Credentials of a member account's role, for one sweep of that account (one hour at most). */
export async function assumeRole(roleArn: string, sessionName: string, externalId?: string): Promise<AwsCredentialIdentity> {
  const out = await stsClient().send(new AssumeRoleCommand({
    RoleArn: roleArn, RoleSessionName: sessionName.slice(0, 64), DurationSeconds: 3600, ...(externalId ? { ExternalId: externalId } : {}),
  }));
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}

/** `arn:aws:iam::111122223333:role/x` → `111122223333`. */
export function accountOfRoleArn(roleArn: string): string | undefined {
  return /^arn:[^:]+:iam::(\d{12}):role\//.exec(roleArn)?.[1];
}

/** The account our own credentials belong to. */
export async function callerAccount(): Promise<string | undefined> {
  return (await stsClient().send(new GetCallerIdentityCommand({}))).Account;
}
