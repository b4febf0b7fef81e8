import type { Check, CheckMode, CheckTrigger, GuardrailsConfig, Trigger } from '../types/index.ts';
import { clusterSgBaseline } from './cluster-sg-baseline.ts';
import { autoscalerDiscoveryTags } from './autoscaler-discovery-tags.ts';
import { autoscalerNodeTemplateTags } from './autoscaler-node-template-tags.ts';
import { controlPlaneLogging } from './control-plane-logging.ts';
import { iamRolePolicies } from './iam-role-policies.ts';
import { kubernetesVersionSupport } from './kubernetes-version-support.ts';
import { multiAzEbs } from './multi-az-ebs.ts';
import { clusterAccessPosture } from './cluster-access-posture.ts';
import { publicEndpoint } from './public-endpoint.ts';
import { secretsEncryption } from './secrets-encryption.ts';
import { nlbRuleHeadroom } from './nlb-rule-headroom.ts';
import { scaleFromZeroReadiness } from './scale-from-zero-readiness.ts';
import { nodeImdsHardening } from './node-imds-hardening.ts';
import { nlbPreflight } from './nlb-preflight.ts';

/** Every check the product knows. Adding a check is one file and one line here. */
export const CHECKS: readonly Check[] = [
  clusterSgBaseline,
  autoscalerDiscoveryTags,
  autoscalerNodeTemplateTags,
  controlPlaneLogging,
  publicEndpoint,
  kubernetesVersionSupport,
  secretsEncryption,
  iamRolePolicies,
  multiAzEbs,
  clusterAccessPosture,
  nlbRuleHeadroom,
  scaleFromZeroReadiness,
  nodeImdsHardening,
  nlbPreflight,
];

export function findCheck(name: string): Check | undefined {
  return CHECKS.find((c) => c.name === name);
}

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
export function selectChecks(config: GuardrailsConfig, names?: readonly string[], registry: readonly Check[] = CHECKS, trigger?: Trigger['kind']): Check[] {
  const chosen = names ? registry.filter((c) => names.includes(c.name)) : [...registry];
  return chosen.filter((c) => checkMode(c, config) !== 'off' && runsOn(c, trigger));
}
