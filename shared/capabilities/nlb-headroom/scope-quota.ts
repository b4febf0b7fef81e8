/**
 * The "rules per security group" quota for one sweep scope (an account and region): read once, kept in the
 * scope's hints so every prefetcher that needs it and every fan-out batch (its share carries the hints) use
 * that one value instead of reading it again. The adapter's per-container cache (rulesQuotaCache) is set to
 * the scope's value, or cleared, because a sweep moves from account to account.
 */
import { RULES_PER_SECURITY_GROUP, rulesPerSecurityGroupQuota, rulesQuotaCache, type QuotaValue } from '../../aws/service-quotas.ts';
import { EXTRA_RULES_QUOTA, type ObserveHints } from '../../types/index.ts';

export async function scopeRulesQuota(hints: ObserveHints): Promise<QuotaValue> {
  const known = hints.extra?.[EXTRA_RULES_QUOTA] as QuotaValue | undefined;
  if (known) {
    rulesQuotaCache.set(RULES_PER_SECURITY_GROUP, known);
    return known;
  }
  rulesQuotaCache.clear();
  const quota = await rulesPerSecurityGroupQuota();
  // A fallback (the call failed) is not handed on: the next reader tries again, as the adapter does.
  if (quota.source === 'service-quotas') (hints.extra ??= {})[EXTRA_RULES_QUOTA] = quota;
  return quota;
}

/** A batch restoring the start phase's hints: the scope's quota, if it was read, else a fresh read later. */
export function restoreScopeRulesQuota(hints: ObserveHints): void {
  const known = hints.extra?.[EXTRA_RULES_QUOTA] as QuotaValue | undefined;
  if (known) rulesQuotaCache.set(RULES_PER_SECURITY_GROUP, known);
  else rulesQuotaCache.clear();
}
