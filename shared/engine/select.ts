import type { Check, CheckMode, CheckTrigger, GuardrailsConfig, Trigger } from '../types/index.ts';

export function checkMode(check: Check, config: GuardrailsConfig): CheckMode {
  return config.checkModes[check.name] ?? check.defaultMode;
}

/** Events (and their durable retries) are the hot path; schedule and CLI are sweeps. */
export function triggerClass(kind: Trigger['kind']): CheckTrigger {
  return kind === 'schedule' || kind === 'cli' ? 'sweep' : 'event';
}

/** Whether a check runs for this kind of trigger (a check declaring no `triggers` runs for all). */
export function runsOn(check: Check, kind: Trigger['kind'] | undefined): boolean {
  return kind === undefined || !check.triggers || check.triggers.includes(triggerClass(kind));
}

/** Checks to run: the named ones (or all), minus those switched off and those not run on this trigger kind. */
export function selectChecks(config: GuardrailsConfig, names: readonly string[] | undefined, checks: readonly Check[], trigger?: Trigger['kind']): Check[] {
  const chosen = names ? checks.filter((c) => names.includes(c.name)) : [...checks];
  return chosen.filter((c) => checkMode(c, config) !== 'off' && runsOn(c, trigger));
}
