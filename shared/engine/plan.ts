import type { Action, Check, ClusterSnapshot, Finding, GuardrailsConfig } from '../types/index.ts';
import { exemptionTagFindings, isExempt, resourceTags, taggedResources } from './exemptions.ts';
import { checkMode } from './select.ts';

export interface PlannedAction {
  action: Action;
  /** False in dry-run, for checks in report mode and for exempt resources: shown, never run. */
  executable: boolean;
  reason?: string;
}

export interface Plan {
  findings: Finding[];
  actions: PlannedAction[];
  /** Checks' facts, by check name (only checks that returned some; absent when none did). */
  facts?: Record<string, Record<string, unknown>>;
}

/**
 * Runs the pure checks and decides, action by action, whether the mode and exemptions allow it. `checkNames`
 * is every check the product knows: what an exemption tag may name.
 */
export function plan(checks: readonly Check[], snapshot: ClusterSnapshot, config: GuardrailsConfig, checkNames: readonly string[]): Plan {
  const findings: Finding[] = [];
  const actions: PlannedAction[] = [];
  const facts: Record<string, Record<string, unknown>> = {};
  const tagged = taggedResources(snapshot);
  for (const check of checks) {
    const mode = checkMode(check, config);
    if (mode === 'off') continue;
    const outcome = check.run(snapshot, config);
    if (outcome.facts) facts[check.name] = outcome.facts;
    const exemptFindings = new Set<string>();
    for (const finding of outcome.findings) {
      const exempt = isExempt(snapshot.cluster.tags, config.exemptTagKey, check.name, checkNames) ||
        isExempt(resourceTags(tagged, finding.resource), config.exemptTagKey, check.name, checkNames);
      if (exempt) exemptFindings.add(finding.id);
      findings.push(exempt ? { ...finding, exempt: true } : finding);
    }
    for (const action of outcome.actions) {
      const reason = exemptFindings.has(action.findingId)
        ? `exempt by tag ${config.exemptTagKey}`
        : mode === 'report' ? `check ${check.name} is in report mode`
        : config.mode === 'dry-run' ? 'dry-run' : undefined;
      actions.push(reason ? { action, executable: false, reason } : { action, executable: true });
    }
  }
  // A tag someone wrote to protect a resource, in a form we cannot read, exempted it from everything above; say so.
  if (checks.some((c) => checkMode(c, config) !== 'off')) findings.push(...exemptionTagFindings(tagged, config.exemptTagKey, checkNames));
  return { findings, actions, ...(Object.keys(facts).length > 0 ? { facts } : {}) };
}
