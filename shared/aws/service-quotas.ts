import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { DEFAULT_RULES_PER_GROUP, type QuotaValue } from '../types/index.ts';

export type { QuotaValue };
import { lazyClient } from './client.ts';
import { errorCode } from './errors.ts';

export const serviceQuotasClient = lazyClient('ServiceQuotas', (config) => new ServiceQuotasClient(config));

// Cached per container: a quota changes on a human's request, rarely; a cold start re-reads it.
let cached: QuotaValue | undefined;

/**
 * "Inbound or outbound rules per security group" (vpc / L-0EA8095F). Any failure falls back to the AWS
 * default of 60, which is the smallest value the quota can have: the trimmer never thinks it has more
 * room than it does.
 */
export async function rulesPerSecurityGroupQuota(): Promise<QuotaValue> {
  if (cached) return cached;
  try {
    const out = await serviceQuotasClient().send(new GetServiceQuotaCommand({ ServiceCode: 'vpc', QuotaCode: 'L-0EA8095F' }));
    const value = out.Quota?.Value;
    cached = value !== undefined && value >= 1 ? { value: Math.floor(value), source: 'service-quotas' } : { value: DEFAULT_RULES_PER_GROUP, source: 'default', note: 'Service Quotas returned no value' };
  } catch (err) {
    // Not cached: the next invocation tries again.
    return { value: DEFAULT_RULES_PER_GROUP, source: 'default', note: `GetServiceQuota failed (${errorCode(err)})` };
  }
  return cached;
}

/** The cached value, if any, without a call. */
export function cachedRulesPerSecurityGroupQuota(): number | undefined {
  return cached?.value;
}

/** Seeds the cache with a value read earlier in the same scope (a fan-out batch gets it from the start phase). */
export function primeQuotaCache(value: QuotaValue): void {
  cached = value;
}

/** Forget the cached value (tests; a sweep moving to another account or region). */
export function resetQuotaCache(): void {
  cached = undefined;
}
