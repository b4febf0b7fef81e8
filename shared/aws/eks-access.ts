import { paginateListAccessEntries, paginateListAssociatedAccessPolicies } from '@aws-sdk/client-eks';
import type { AccessEntriesFacet, AccessEntryState, AssociatedAccessPolicy } from '../types/index.ts';
import { eksClient } from './eks.ts';
import { classifyError, errorCode } from './errors.ts';

/**
 * Every access entry of a cluster with its associated access policies: ListAccessEntries (pages of 100) and
 * one ListAssociatedAccessPolicies per entry (pages of 100) — EKS offers no account-wide or batched read.
 * A refusal (AccessDenied, a cluster gone meanwhile) is an answer recorded as such; throttling and 5xx are
 * thrown, so the sweep fails and is retried rather than reporting a partial list.
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_ListAccessEntries.html
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_ListAssociatedAccessPolicies.html
 */
export async function listAccessEntriesWithPolicies(clusterName: string): Promise<AccessEntriesFacet> {
  try {
    const entries: AccessEntryState[] = [];
    for (const principalArn of await listAccessEntries(clusterName)) {
      entries.push({ principalArn, policies: await listAssociatedAccessPolicies(clusterName, principalArn) });
    }
    return { ok: true, entries };
  } catch (err) {
    if (classifyError(err) === 'retryable') throw err;
    return { ok: false, errorCode: errorCode(err) };
  }
}

async function listAccessEntries(clusterName: string): Promise<string[]> {
  const arns: string[] = [];
  for await (const page of paginateListAccessEntries({ client: eksClient() }, { clusterName, maxResults: 100 })) arns.push(...(page.accessEntries ?? []));
  return arns;
}

async function listAssociatedAccessPolicies(clusterName: string, principalArn: string): Promise<AssociatedAccessPolicy[]> {
  const policies: AssociatedAccessPolicy[] = [];
  for await (const page of paginateListAssociatedAccessPolicies({ client: eksClient() }, { clusterName, principalArn, maxResults: 100 })) {
    for (const p of page.associatedAccessPolicies ?? []) {
      if (!p.policyArn) continue;
      policies.push({
        policyArn: p.policyArn,
        scopeType: p.accessScope?.type ?? 'cluster',
        namespaces: p.accessScope?.namespaces ?? [],
        associatedAt: p.associatedAt && !Number.isNaN(p.associatedAt.getTime()) ? p.associatedAt.toISOString() : undefined,
      });
    }
  }
  return policies;
}
