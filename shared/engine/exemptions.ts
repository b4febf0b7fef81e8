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

/** A resource an exemption tag can sit on, with its tags. */
export interface TaggedResource {
  ref: ResourceRef;
  tags: Record<string, string> | undefined;
}

/** One key per resource; a snapshot holds one cluster, so a cluster ref always means that cluster. */
const keyOf = (ref: ResourceRef): string => (ref.type === 'cluster' ? 'cluster' : `${ref.type}/${ref.id}`);

/**
 * Where the snapshot holds exemption tags — the cluster, its security groups, its ASGs (ASG tags as key → value)
 * — read once per plan: the per-finding lookup (resourceTags) and the not-understood-tag findings see the same set.
 */
export function taggedResources(snapshot: ClusterSnapshot): ReadonlyMap<string, TaggedResource> {
  const byKey = new Map<string, TaggedResource>();
  const add = (ref: ResourceRef, tags: Record<string, string> | undefined) => {
    if (!byKey.has(keyOf(ref))) byKey.set(keyOf(ref), { ref, tags });
  };
  add({ type: 'cluster', id: snapshot.cluster.name, ...(snapshot.cluster.arn ? { arn: snapshot.cluster.arn } : {}) }, snapshot.cluster.tags);
  for (const g of [snapshot.clusterSecurityGroup, ...(snapshot.clusterTaggedSecurityGroups ?? [])]) if (g) add({ type: 'security-group', id: g.groupId }, g.tags);
  for (const a of snapshot.autoScalingGroups ?? []) add({ type: 'auto-scaling-group', id: a.name }, Object.fromEntries(a.tags.map((t) => [t.key, t.value])));
  return byKey;
}

/** Tags of a resource the snapshot holds (the cluster, security groups, ASGs); undefined when it holds none. */
export function resourceTags(resources: ReadonlyMap<string, TaggedResource>, ref: ResourceRef): Record<string, string> | undefined {
  return resources.get(keyOf(ref))?.tags;
}

/** One finding per resource whose exemption tag is not understood, naming the tag and the accepted forms. */
export function exemptionTagFindings(resources: ReadonlyMap<string, TaggedResource>, tagKey: string, checkNames: readonly string[]): Finding[] {
  const accepted = acceptedExemptionForms(checkNames);
  const findings: Finding[] = [];
  for (const { ref, tags } of resources.values()) {
    const e = parseExemption(tags?.[tagKey], checkNames);
    if (e.kind !== 'not-understood') continue;
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
