import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { DEFAULT_RULES_PER_GROUP, type QuotaValue } from '../types/index.ts';

export type { QuotaValue };
import { ContainerCache } from '../state/cache.ts';
import { lazyClient } from './client.ts';
import { errorCode } from './errors.ts';

export const serviceQuotasClient = lazyClient('ServiceQuotas', (config) => new ServiceQuotasClient(config));

/** "Inbound or outbound rules per security group" (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html). */
export const RULES_PER_SECURITY_GROUP = 'vpc/L-0EA8095F';

/**
 * The quota as read, by `service/quota` code. Kept for the container's life: a quota changes on a human's
 * request, rarely, and a cold start re-reads it. Within one sweep scope (an account and region) it holds that
 * scope's value: a sweep moving to another scope sets or clears it (capabilities/nlb-headroom/scope-quota.ts).
 * A failed read is not kept.
 */
export const rulesQuotaCache = new ContainerCache<typeof RULES_PER_SECURITY_GROUP, QuotaValue>({ name: 'rules-per-security-group quota' });

/**
 * "Inbound or outbound rules per security group" (vpc / L-0EA8095F). Any failure falls back to the AWS
 * default of 60, which is the smallest value the quota can have: the trimmer never thinks it has more
 * room than it does.
 */
export async function rulesPerSecurityGroupQuota(): Promise<QuotaValue> {
  const cached = rulesQuotaCache.get(RULES_PER_SECURITY_GROUP);
  if (cached) return cached;
  let quota: QuotaValue;
  try {
    const out = await serviceQuotasClient().send(new GetServiceQuotaCommand({ ServiceCode: 'vpc', QuotaCode: 'L-0EA8095F' }));
    const value = out.Quota?.Value;
    quota = value !== undefined && value >= 1 ? { value: Math.floor(value), source: 'service-quotas' } : { value: DEFAULT_RULES_PER_GROUP, source: 'default', note: 'Service Quotas returned no value' };
  } catch (err) {
    // Not cached: the next invocation tries again.
    return { value: DEFAULT_RULES_PER_GROUP, source: 'default', note: `GetServiceQuota failed (${errorCode(err)})` };
  }
  rulesQuotaCache.set(RULES_PER_SECURITY_GROUP, quota);
  return quota;
}
