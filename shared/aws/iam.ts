import { IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import type { RolePolicies } from '../types/index.ts';
import { lazyClient } from './client.ts';
import { classifyError, errorCode } from './errors.ts';

export const iamClient = lazyClient('IAM', (config) => new IAMClient(config));

/** `arn:aws:iam::123:role/some/path/name` → `name` (ListAttachedRolePolicies takes the bare name). */
export function roleNameOf(roleArn: string): string {
  const resource = roleArn.split(':').slice(5).join(':');
  const path = resource.startsWith('role/') ? resource.slice('role/'.length) : resource;
  return path.split('/').pop() ?? path;
}

/**
 * Managed policies attached to a role, all pages. A role that is gone or that we may not read is an
 * answer (recorded, reported as "could not check"), not a crash; throttling and 5xx are thrown to retry.
 */
export async function listAttachedRolePolicies(roleName: string): Promise<RolePolicies> {
  const policyArns: string[] = [];
  let marker: string | undefined;
  try {
    do {
      const out = await iamClient().send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: marker, MaxItems: 1000 }));
      for (const p of out.AttachedPolicies ?? []) if (p.PolicyArn) policyArns.push(p.PolicyArn);
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
  } catch (err) {
    const kind = classifyError(err);
    if (kind === 'retryable') throw err;
    return { roleName, ok: false, errorCode: errorCode(err), missing: kind === 'not-found' };
  }
  return { roleName, ok: true, policyArns };
}
