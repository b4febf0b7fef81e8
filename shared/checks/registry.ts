import type { Check, CheckMode, GuardrailsConfig } from '../types/index.ts';
import { clusterSgBaseline } from './cluster-sg-baseline.ts';
import { autoscalerDiscoveryTags } from './autoscaler-discovery-tags.ts';
import { autoscalerNodeTemplateTags } from './autoscaler-node-template-tags.ts';

/** Every check the product knows. Adding a check is one file and one line here. */
export const CHECKS: readonly Check[] = [
  clusterSgBaseline,
  autoscalerDiscoveryTags,
  autoscalerNodeTemplateTags,
];

export function findCheck(name: string): Check | undefined {
  return CHECKS.find((c) => c.name === name);
}

export function checkMode(check: Check, config: GuardrailsConfig): CheckMode {
  return config.checkModes[check.name] ?? check.defaultMode;
}

/** Checks to run: the named ones (or all), minus those switched off. */
export function selectChecks(config: GuardrailsConfig, names?: readonly string[], registry: readonly Check[] = CHECKS): Check[] {
  const chosen = names ? registry.filter((c) => names.includes(c.name)) : [...registry];
  return chosen.filter((c) => checkMode(c, config) !== 'off');
}
