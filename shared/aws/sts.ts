import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { ContainerCache } from '../state/cache.ts';
import { lazyClient } from './client.ts';

/** Always our own credentials: member accounts are reached by assuming their role from here. */
export const stsClient = lazyClient('STS', (config) => new STSClient(config));

/**
 * A member role's credentials, by role and external id, while they have more than five minutes left: a fan-out's
 * start phase enters each member scope twice (to list its clusters, then to prefetch) and assumes the role once.
 */
export const assumedRoles = new ContainerCache<string, AwsCredentialIdentity>({ name: 'assumed member-role credentials' });
const EXPIRY_MARGIN_MS = 5 * 60_000;

/** Credentials of a member account's role, for one sweep of that account (one hour at most). */
export async function assumeRole(roleArn: string, sessionName: string, externalId?: string, now = Date.now()): Promise<AwsCredentialIdentity> {
  const key = `${roleArn}\u0000${externalId ?? ''}`;
  const cached = assumedRoles.get(key);
  if (cached && (cached.expiration?.getTime() ?? 0) - EXPIRY_MARGIN_MS > now) return cached;
  const out = await stsClient().send(new AssumeRoleCommand({
    RoleArn: roleArn, RoleSessionName: sessionName.slice(0, 64), DurationSeconds: 3600, ...(externalId ? { ExternalId: externalId } : {}),
  }));
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
  const credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  assumedRoles.set(key, credentials);
  return credentials;
}

/** `arn:aws:iam::111122223333:role/x` → `111122223333`. */
export function accountOfRoleArn(roleArn: string): string | undefined {
  return /^arn:[^:]+:iam::(\d{12}):role\//.exec(roleArn)?.[1];
}

/** The account our own credentials belong to. */
export async function callerAccount(): Promise<string | undefined> {
  return (await stsClient().send(new GetCallerIdentityCommand({}))).Account;
}
