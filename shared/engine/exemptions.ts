import type { ClusterSnapshot, Finding, ResourceRef } from '../types/index.ts';

/** The finding raised for an exemption tag whose value is not understood (not a check: it cannot be switched off). */
export const EXEMPTION_TAG_FINDING = 'exemption-tag';

const ALL = ['true', 'yes', '1', 'all', '*'];
const NONE = ['false', 'no', '0', 'none'];
/** The forms an exemption tag's value may take, for a finding's evidence and fix hint. */
export function acceptedExemptionForms(checkNames: readonly string[]): string {
  return `"true" (every check), "false", or check names separated by commas (${checkNames.join(', ')})`;
}

export type Exemption =
  | { kind: 'none' }
  | { kind: 'all' }
  | { kind: 'checks'; checks: string[] }
  /** Someone tried to protect the resource and wrote something we cannot read: exempt from every check. */
  | { kind: 'not-understood'; value: string; reason: string };

/**
 * Reads an exemption tag's value. Anything not understood — an empty value (the console allows a key
 * without one), a misspelled check name, `;` between names — exempts from every check: the person meant
 * to protect the resource, and changing it anyway is the one outcome they tried to prevent.
 */
export function parseExemption(value: string | undefined, checkNames: readonly string[]): Exemption {
  if (value === undefined) return { kind: 'none' };
  const v = value.trim().toLowerCase();
  if (!v) return { kind: 'not-understood', value, reason: 'the value is empty' };
  if (ALL.includes(v)) return { kind: 'all' };
  if (NONE.includes(v)) return { kind: 'none' };
  const names = v.split(/[,\s]+/).filter(Boolean);
  const unknown = names.filter((n) => !checkNames.includes(n));
  if (unknown.length > 0) return { kind: 'not-understood', value, reason: `not check names: ${unknown.map((n) => JSON.stringify(n)).join(', ')}` };
  return { kind: 'checks', checks: names };
}

/** `<key>=true` exempts from every check; `<key>=check-a,check-b` from those only; a value not understood from every check. */
export function isExempt(tags: Record<string, string> | undefined, tagKey: string, check: string, checkNames: readonly string[]): boolean {
  const e = parseExemption(tags?.[tagKey], checkNames);
  return e.kind === 'all' || e.kind === 'not-understood' || (e.kind === 'checks' && e.checks.includes(check));
}

/** Tags of a resource the snapshot holds (security groups, ASGs); undefined when it holds none. */
export function resourceTags(snapshot: ClusterSnapshot, ref: ResourceRef): Record<string, string> | undefined {
  if (ref.type === 'cluster') return snapshot.cluster.tags;
  if (ref.type === 'security-group') {
    const groups = [snapshot.clusterSecurityGroup, ...(snapshot.clusterTaggedSecurityGroups ?? [])];
    return groups.find((g) => g?.groupId === ref.id)?.tags;
  }
  if (ref.type === 'auto-scaling-group') {
    const asg = snapshot.autoScalingGroups?.find((a) => a.name === ref.id);
    return asg ? Object.fromEntries(asg.tags.map((t) => [t.key, t.value])) : undefined;
  }
  return undefined;
}

/** One finding per resource in the snapshot whose exemption tag is not understood, naming the tag and the accepted forms. */
export function exemptionTagFindings(snapshot: ClusterSnapshot, tagKey: string, checkNames: readonly string[]): Finding[] {
  const accepted = acceptedExemptionForms(checkNames);
  const resources: { ref: ResourceRef; tags: Record<string, string> | undefined }[] = [
    { ref: { type: 'cluster', id: snapshot.cluster.name, ...(snapshot.cluster.arn ? { arn: snapshot.cluster.arn } : {}) }, tags: snapshot.cluster.tags },
    ...[snapshot.clusterSecurityGroup, ...(snapshot.clusterTaggedSecurityGroups ?? [])]
      .filter((g) => g !== undefined)
      .map((g) => ({ ref: { type: 'security-group' as const, id: g.groupId }, tags: g.tags })),
    ...(snapshot.autoScalingGroups ?? []).map((a) => ({ ref: { type: 'auto-scaling-group' as const, id: a.name }, tags: Object.fromEntries(a.tags.map((t) => [t.key, t.value])) })),
  ];
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const { ref, tags } of resources) {
    const e = parseExemption(tags?.[tagKey], checkNames);
    if (e.kind !== 'not-understood' || seen.has(`${ref.type}/${ref.id}`)) continue;
    seen.add(`${ref.type}/${ref.id}`);
    findings.push({
      id: `${EXEMPTION_TAG_FINDING}:${ref.id}`,
      check: EXEMPTION_TAG_FINDING,
      severity: 'medium',
      resource: ref,
      title: `Tag ${tagKey}=${JSON.stringify(e.value)} on ${ref.id} is not understood (${e.reason}): ${ref.id} is treated as exempt from every check`,
      evidence: { tagKey, value: e.value, reason: e.reason, accepted },
      fixHint: `Set ${tagKey} on ${ref.id} to ${accepted}. Until then eks-guardrails changes nothing it would check on ${ref.id}${ref.type === 'cluster' ? ' or in its cluster' : ''}.`,
    });
  }
  return findings;
}
