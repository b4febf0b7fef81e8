import { ContainerCache } from '../../state/cache.ts';
import type { GuardrailsConfig } from '../../types/index.ts';

/**
 * ASGs verified recently, per container: an instance launch says nothing about tags, so a burst of launches
 * on a group we just converged costs no call. CloudTrail tag/ASG calls always bypass it (they may be drift).
 * The lifetime is `autoscaler.launchCacheSeconds` (GUARDRAILS_ASG_LAUNCH_CACHE_SECONDS), read with each
 * invocation's configuration, so an entry keeps the time it was stored and its age is judged when read.
 */
export type LaunchCache = ContainerCache<string, true>;

/** The container's own: on-asg-event passes it to the planner; `containerCaches.clear()` empties it. */
export const launchVerifiedAsgs: LaunchCache = new ContainerCache({ name: 'launch-verified ASGs' });

export function launchCacheTtlMs(config: GuardrailsConfig): number {
  return (config.autoscaler?.launchCacheSeconds ?? 300) * 1000;
}

/** How long ago `asg` was verified, if less than `ttlMs` ago; an older entry is dropped. */
export function verifiedAgoMs(cache: LaunchCache, asg: string, ttlMs: number, now: number): number | undefined {
  const at = cache.storedAt(asg, now);
  if (at === undefined) return undefined;
  if (now - at < ttlMs) return now - at;
  cache.delete(asg);
  return undefined;
}

export function rememberVerified(cache: LaunchCache, asgs: readonly string[], now: number): void {
  for (const asg of asgs) cache.set(asg, true, now);
}
