import type { Check, CheckMode, CheckTrigger, GuardrailsConfig, Trigger } from '../types/index.ts';
import { clusterSgBaseline } from './cluster-security-group/cluster-sg-baseline.ts';
import { autoscalerDiscoveryTags } from './autoscaler/autoscaler-discovery-tags.ts';
import { autoscalerNodeTemplateTags } from './autoscaler/autoscaler-node-template-tags.ts';
import { controlPlaneLogging } from './compliance/control-plane-logging.ts';
import { iamRolePolicies } from './compliance/iam-role-policies.ts';
import { kubernetesVersionSupport } from './compliance/kubernetes-version-support.ts';
import { multiAzEbs } from './compliance/multi-az-ebs.ts';
import { clusterAccessPosture } from './compliance/cluster-access-posture.ts';
import { publicEndpoint } from './compliance/public-endpoint.ts';
import { secretsEncryption } from './compliance/secrets-encryption.ts';
import { nlbRuleHeadroom } from './nlb-headroom/nlb-rule-headroom.ts';
import { scaleFromZeroReadiness } from './compliance/scale-from-zero-readiness.ts';
import { nodeImdsHardening } from './compliance/node-imds-hardening.ts';
import { nlbPreflight } from './compliance/nlb-preflight.ts';

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
