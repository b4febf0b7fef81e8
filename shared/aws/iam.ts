import { IAMClient, paginateGetAccountAuthorizationDetails, paginateListAttachedRolePolicies } from '@aws-sdk/client-iam';
import type { RolePolicies } from '../types/index.ts';
import { lazyClient } from './client.ts';
import { classifyError, errorCode } from './errors.ts';

export const iamClient = lazyClient('IAM', (config) => new IAMClient(config));

export { roleNameOf } from '../arn.ts';

/**
 * Managed policies attached to a role, all pages. A role that is gone or that we may not read is an
 * answer (recorded, reported as "could not check"), not a crash; throttling and 5xx are thrown to retry.
 */
export async function listAttachedRolePolicies(roleName: string): Promise<RolePolicies> {
  const policyArns: string[] = [];
  try {
    // IAM returns Marker only while IsTruncated is true (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAttachedRolePolicies.html).
    for await (const page of paginateListAttachedRolePolicies({ client: iamClient() }, { RoleName: roleName, MaxItems: 1000 })) {
      for (const p of page.AttachedPolicies ?? []) if (p.PolicyArn) policyArns.push(p.PolicyArn);
    }
  } catch (err) {
    const kind = classifyError(err);
    if (kind === 'retryable') throw err;
    return { roleName, ok: false, errorCode: errorCode(err), missing: kind === 'not-found' };
  }
  return { roleName, ok: true, policyArns };
}

/**
 * Every role of the account with its attached managed policies, in pages of up to 1000 roles
 * (GetAccountAuthorizationDetails, Filter Role): a sweep's IAM calls then grow with pages, not roles.
 * Undefined when not permitted (the caller falls back to one ListAttachedRolePolicies per role).
 */
export async function listAllRolePolicies(): Promise<Map<string, RolePolicies> | undefined> {
  const roles = new Map<string, RolePolicies>();
  try {
    for await (const page of paginateGetAccountAuthorizationDetails({ client: iamClient() }, { Filter: ['Role'], MaxItems: 1000 })) {
      for (const r of page.RoleDetailList ?? []) {
        if (!r.RoleName) continue;
        const policyArns = (r.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn).filter((a): a is string => Boolean(a));
        roles.set(r.RoleName, { roleName: r.RoleName, ok: true, policyArns });
      }
    }
  } catch (err) {
    if (classifyError(err) === 'retryable') throw err;
    return undefined;
  }
  return roles;
}
