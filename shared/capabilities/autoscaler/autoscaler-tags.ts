/**
 * Pure derivation of cluster-autoscaler (CA) tags for node group ASGs: the discovery and node-template tags of
 * kubernetes/autoscaler `cluster-autoscaler/cloudprovider/aws/README.md` ("Auto-Discovery Setup"), as
 * `aws_manager.go` reads them (`extractLabelsFromAsg`, `extractTaintsFromAsg`,
 * `extractAllocatableResourcesFromAsg`); details in docs/autoscaler.md. No SDK here: the two autoscaler
 * checks, the demo and the tests share these functions.
 */
import type { ClusterSnapshot, AsgTag, AutoScalingGroupState, NodegroupState } from '../../types/index.ts';

export const CA_PREFIX = 'k8s.io/cluster-autoscaler/';
export const CA_ENABLED_KEY = 'k8s.io/cluster-autoscaler/enabled';
export const NODE_TEMPLATE_PREFIX = 'k8s.io/cluster-autoscaler/node-template/';
export const caClusterKey = (cluster: string): string => `${CA_PREFIX}${cluster}`;

/**
 * The one durable record of which node-template tags eks-guardrails wrote on an ASG: a space-separated,
 * sorted list of their key suffixes (`l/<label>`, `t/<taint key>`, `r/<resource>`). Only keys listed here
 * are ever updated or removed by us; every other tag belongs to a person (or another tool).
 * A tag value holds 256 characters at most, so a longer list continues in `…/2`, `…/3` (markerTagKey).
 */
export const MANAGED_KEYS_TAG = 'eks-guardrails/node-template-keys';

/** The marker's n-th part (0-based): `eks-guardrails/node-template-keys`, then `…/2`, `…/3`… */
export function markerTagKey(index: number): string {
  return index === 0 ? MANAGED_KEYS_TAG : `${MANAGED_KEYS_TAG}/${index + 1}`;
}

const MARKER_PART = /^eks-guardrails\/node-template-keys\/([2-9]|[1-4][0-9])$/;

export function isMarkerKey(key: string): boolean {
  return key === MANAGED_KEYS_TAG || MARKER_PART.test(key);
}

/** AWS limits for ASG tags. */
export const MAX_TAGS_PER_ASG = 50;
export const MAX_KEY_LENGTH = 128;
export const MAX_VALUE_LENGTH = 256;

/** Priority when the 50-tag budget is short: discovery (reserved first) > taints > labels > resources. */
export type TemplateKind = 'taint' | 'label' | 'resource';
const KIND_ORDER: readonly TemplateKind[] = ['taint', 'label', 'resource'];
const KIND_CODE: Record<TemplateKind, string> = { taint: 't', label: 'l', resource: 'r' };
const KIND_PATH: Record<TemplateKind, string> = { taint: 'taint/', label: 'label/', resource: 'resources/' };

export interface TemplateTag {
  key: string;
  value: string;
  kind: TemplateKind;
  /** Where it comes from, in words: `label role=gpu`, `taint nvidia.com/gpu=true:NO_SCHEDULE`. */
  source: string;
}

export type DropReason = 'tag-limit' | 'key-too-long' | 'value-too-long' | 'duplicate-taint-key' | 'unknown-effect';

export interface DroppedTag {
  key: string;
  value?: string;
  kind: TemplateKind;
  source: string;
  reason: DropReason;
}

const EFFECTS: Record<string, string> = {
  NO_SCHEDULE: 'NoSchedule',
  NO_EXECUTE: 'NoExecute',
  PREFER_NO_SCHEDULE: 'PreferNoSchedule',
};
const CA_EFFECTS = new Set(Object.values(EFFECTS));

/** EKS spells taint effects `NO_SCHEDULE`…; Kubernetes (and CA) `NoSchedule`…. Unknown → undefined. */
export function translateEffect(effect: string): string | undefined {
  const e = effect.trim();
  if (CA_EFFECTS.has(e)) return e;
  return EFFECTS[e.toUpperCase().replace(/[\s-]/g, '_')];
}

/** The key a node-template tag of this kind has for `name`. */
export function templateKey(kind: TemplateKind, name: string): string {
  return `${NODE_TEMPLATE_PREFIX}${KIND_PATH[kind]}${name}`;
}

/** CA reads a taint tag as `<value>:<Effect>`; a value-less taint is `:<Effect>`. */
export function taintValue(value: string | undefined, effect: string): string {
  return `${value ?? ''}:${effect}`;
}

/** True when CA can parse the taint tag value (eksctl writes it without `:<Effect>`, which CA silently drops). */
export function isValidTaintValue(value: string): boolean {
  const i = value.lastIndexOf(':');
  return i >= 0 && CA_EFFECTS.has(value.slice(i + 1));
}

/**
 * The node-template tags a managed node group should advertise, in priority order (taints, labels,
 * resources), plus what cannot be expressed (too long, unknown effect, two taints with the same key).
 */
export function desiredNodeTemplateTags(nodegroup: Pick<NodegroupState, 'labels' | 'taints' | 'diskSize'>): { tags: TemplateTag[]; dropped: DroppedTag[] } {
  const candidates: (TemplateTag & { invalid?: DropReason })[] = [];
  const seenTaintKeys = new Set<string>();
  for (const t of nodegroup.taints) {
    const source = `taint ${t.key}${t.value !== undefined ? `=${t.value}` : ''}:${t.effect}`;
    const effect = translateEffect(t.effect);
    const key = templateKey('taint', t.key);
    if (!effect) {
      candidates.push({ key, value: t.value ?? '', kind: 'taint', source, invalid: 'unknown-effect' });
      continue;
    }
    // CA has one tag per taint key; a second effect for the same key cannot be advertised.
    const duplicate = seenTaintKeys.has(t.key);
    seenTaintKeys.add(t.key);
    candidates.push({ key, value: taintValue(t.value, effect), kind: 'taint', source, ...(duplicate ? { invalid: 'duplicate-taint-key' as const } : {}) });
  }
  for (const [k, v] of Object.entries(nodegroup.labels).sort(([a], [b]) => a.localeCompare(b))) {
    candidates.push({ key: templateKey('label', k), value: v, kind: 'label', source: `label ${k}=${v}` });
  }
  if (nodegroup.diskSize !== undefined && nodegroup.diskSize > 0) {
    // EKS's diskSize is in GiB; CA parses the value as a Kubernetes quantity.
    candidates.push({ key: templateKey('resource', 'ephemeral-storage'), value: `${nodegroup.diskSize}Gi`, kind: 'resource', source: `disk size ${nodegroup.diskSize} GiB` });
  }
  const tags: TemplateTag[] = [];
  const dropped: DroppedTag[] = [];
  for (const c of candidates) {
    const reason = c.invalid ?? (c.key.length > MAX_KEY_LENGTH ? 'key-too-long' : c.value.length > MAX_VALUE_LENGTH ? 'value-too-long' : undefined);
    const { invalid: _invalid, ...tag } = c;
    if (reason) dropped.push({ ...tag, reason });
    else tags.push(tag);
  }
  tags.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  return { tags, dropped };
}

// ---- the marker: which node-template keys are ours ----

function kindOfKey(key: string): TemplateKind | undefined {
  const rest = key.startsWith(NODE_TEMPLATE_PREFIX) ? key.slice(NODE_TEMPLATE_PREFIX.length) : undefined;
  if (rest === undefined) return undefined;
  return KIND_ORDER.find((k) => rest.startsWith(KIND_PATH[k]));
}

function managedKeyCodes(keys: Iterable<string>): string[] {
  const parts: string[] = [];
  for (const key of keys) {
    const kind = kindOfKey(key);
    if (kind) parts.push(`${KIND_CODE[kind]}/${key.slice(NODE_TEMPLATE_PREFIX.length + KIND_PATH[kind].length)}`);
  }
  return [...new Set(parts)].sort();
}

/** `k8s.io/cluster-autoscaler/node-template/label/role` → `l/role`. */
export function encodeManagedKeys(keys: Iterable<string>): string {
  return managedKeyCodes(keys).join(' ');
}

/**
 * The marker's values, one per part, each at most 256 characters and split between whole entries; always at
 * least one part (an empty first part still means "processed"). Parts never cap how many keys we record.
 */
export function encodeManagedKeyParts(keys: Iterable<string>): string[] {
  const parts: string[] = [''];
  for (const code of managedKeyCodes(keys)) {
    const last = parts[parts.length - 1]!;
    if (last === '') parts[parts.length - 1] = code;
    else if (last.length + 1 + code.length <= MAX_VALUE_LENGTH) parts[parts.length - 1] = `${last} ${code}`;
    else parts.push(code);
  }
  return parts;
}

/** The keys one marker value lists; with a tag map, every part of the marker. */
export function decodeManagedKeys(value: string | undefined | Record<string, string>): Set<string> {
  const values = typeof value === 'object' ? Object.entries(value).filter(([k]) => isMarkerKey(k)).map(([, v]) => v) : [value ?? ''];
  const keys = new Set<string>();
  for (const part of values.join(' ').split(/\s+/).filter(Boolean)) {
    const code = part.slice(0, 2);
    const kind = KIND_ORDER.find((k) => `${KIND_CODE[k]}/` === code);
    if (kind && part.length > 2) keys.add(templateKey(kind, part.slice(2)));
  }
  return keys;
}

// ---- ties between ASGs and clusters ----

export type AsgOwnership = 'managed' | 'self-managed';

/** Is the ASG a node group of `cluster`? By cluster tags (owned|shared), EKS's or eksctl's cluster-name tag, or a node group listing it. */
export function isTiedToCluster(tags: Record<string, string>, cluster: string, listedByNodegroup = false): boolean {
  if (listedByNodegroup) return true;
  const k8s = tags[`kubernetes.io/cluster/${cluster}`];
  if (k8s === 'owned' || k8s === 'shared') return true;
  if (tags['eks:cluster-name'] === cluster || tags['alpha.eksctl.io/cluster-name'] === cluster) return true;
  // A person tagged it for this cluster's autoscaler: an explicit tie (ambiguous names such as "enabled" excepted).
  return caClusterKey(cluster) in tags && cluster !== 'enabled' && cluster !== 'node-template';
}

/** The clusters an ASG belongs to, from its tags alone (used to route an ASG event to clusters). */
export function clustersOfAsg(tags: Record<string, string>): string[] {
  const clusters = new Set<string>();
  for (const [key, value] of Object.entries(tags)) {
    const m = /^kubernetes\.io\/cluster\/(.+)$/.exec(key);
    if (m && (value === 'owned' || value === 'shared')) clusters.add(m[1]!);
  }
  for (const key of ['eks:cluster-name', 'alpha.eksctl.io/cluster-name']) if (tags[key]) clusters.add(tags[key]!);
  return [...clusters];
}

export function tagMap(tags: readonly AsgTag[]): Record<string, string> {
  return Object.fromEntries(tags.map((t) => [t.key, t.value]));
}

/** Managed = EKS made it for a node group (listed by DescribeNodegroup, or carrying EKS's node group tag). */
export function ownershipOf(asg: AutoScalingGroupState, nodegroups: readonly NodegroupState[]): { ownership: AsgOwnership; nodegroup?: NodegroupState; nodegroupName?: string } {
  const listed = nodegroups.find((n) => n.autoScalingGroupNames.includes(asg.name));
  if (listed) return { ownership: 'managed', nodegroup: listed, nodegroupName: listed.name };
  const name = asg.tags.find((t) => t.key === 'eks:nodegroup-name')?.value;
  if (name) return { ownership: 'managed', nodegroup: nodegroups.find((n) => n.name === name), nodegroupName: name };
  return { ownership: 'self-managed' };
}

/** One of the cluster's node group ASGs, as both autoscaler checks walk them. */
export interface NodegroupAsg {
  asg: AutoScalingGroupState;
  tags: Record<string, string>;
  ownership: AsgOwnership;
  nodegroup?: NodegroupState;
  nodegroupName?: string;
  resource: { type: 'auto-scaling-group'; id: string; arn?: string };
}

/**
 * The snapshot's ASGs that are tied to the cluster, with their tags and ownership. The tie is checked again
 * here, behind the loader: an ASG with no tie to this cluster is never looked at, let alone touched.
 */
export function nodegroupAsgs(snapshot: ClusterSnapshot): NodegroupAsg[] {
  const nodegroups = snapshot.nodegroups ?? [];
  const out: NodegroupAsg[] = [];
  for (const asg of snapshot.autoScalingGroups ?? []) {
    const tags = tagMap(asg.tags);
    if (!isTiedToCluster(tags, snapshot.cluster.name, nodegroups.some((n) => n.autoScalingGroupNames.includes(asg.name)))) continue;
    const resource = { type: 'auto-scaling-group' as const, id: asg.name, ...(asg.arn ? { arn: asg.arn } : {}) };
    out.push({ asg, tags, ...ownershipOf(asg, nodegroups), resource });
  }
  return out;
}

// ---- discovery ----

export const DISCOVERY_VALUES = { enabled: 'true', cluster: 'owned' } as const;

/** Discovery keys the ASG lacks (only keys matter to CA's auto-discovery flag). */
export function missingDiscoveryTags(tags: Record<string, string>, cluster: string): AsgTag[] {
  const missing: AsgTag[] = [];
  if (!(CA_ENABLED_KEY in tags)) missing.push({ key: CA_ENABLED_KEY, value: DISCOVERY_VALUES.enabled, propagateAtLaunch: false });
  if (!(caClusterKey(cluster) in tags)) missing.push({ key: caClusterKey(cluster), value: DISCOVERY_VALUES.cluster, propagateAtLaunch: false });
  return missing;
}

/**
 * `k8s.io/cluster-autoscaler/enabled=false`: a person meant to switch CA off for this ASG, but CA's default
 * discovery (`asg:tag=<key>,<key>`) matches tag keys, not values, so CA still manages the group
 * (kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/aws_wrapper.go: getAutoscalingGroupsByTags
 * filters by `tag-key`). We add nothing to it and say so.
 */
export function saysEnabledFalse(tags: Record<string, string>): boolean {
  return tags[CA_ENABLED_KEY]?.trim().toLowerCase() === 'false';
}

/**
 * A person's removal of a discovery key, remembered on the ASG itself: the keys (suffixes after
 * `k8s.io/cluster-autoscaler/`, space-separated: `enabled prod`) eks-guardrails must never add back.
 */
export const OPT_OUT_TAG = 'eks-guardrails/autoscaler-opt-out';
/** On a self-managed ASG, the discovery keys eks-guardrails wrote (same encoding): proof that a missing one was removed. */
export const DISCOVERY_RECORD_TAG = 'eks-guardrails/discovery-keys';

export function encodeDiscoveryKeys(keys: Iterable<string>): string {
  return [...new Set([...keys].filter((k) => k.startsWith(CA_PREFIX)).map((k) => k.slice(CA_PREFIX.length)))].sort().join(' ');
}

export function decodeDiscoveryKeys(value: string | undefined): Set<string> {
  return new Set((value ?? '').split(/\s+/).filter(Boolean).map((s) => `${CA_PREFIX}${s}`));
}

// ---- the node-template plan with the 50-tag budget ----

export interface TemplatePlan {
  /** Tags to create or update (marker included when it changes), PropagateAtLaunch=false. */
  put: AsgTag[];
  /** Keys we manage that must go (label/taint removed from the node group, or evicted by priority). */
  remove: string[];
  /** Desired tags that do not fit: tag budget, marker length, AWS limits. */
  dropped: DroppedTag[];
  /** Desired tags a person already wrote with another value: reported, never changed. */
  conflicts: { key: string; current: string; desired: string; source: string }[];
  /** Node-template tags on the ASG that we did not write and the node group does not explain: reported only. */
  foreign: { key: string; value: string; why: string }[];
  /** The keys we manage after this plan. */
  managed: string[];
}

/**
 * Decides the node-template tags for one managed ASG. Invariants: a key we did not record in the marker
 * is never updated or removed; we never write a key the marker cannot record; the ASG never exceeds 50
 * tags once the `reserved` discovery tags (written by the discovery check) are added.
 */
export function planTemplateTags(existing: readonly AsgTag[], desired: readonly TemplateTag[], reserved: number): TemplatePlan {
  const current = tagMap(existing);
  const recorded = decodeManagedKeys(current);
  // Ours only if recorded and still on the ASG; a recorded key someone deleted is simply re-added if desired.
  const ours = new Set([...recorded].filter((k) => k in current));
  const desiredKeys = new Set(desired.map((t) => t.key));
  const unmanagedCount = existing.filter((t) => !ours.has(t.key) && !isMarkerKey(t.key)).length;

  const plan: TemplatePlan = { put: [], remove: [], dropped: [], conflicts: [], foreign: [], managed: [] };
  const candidates: TemplateTag[] = [];
  for (const tag of desired) {
    const have = current[tag.key];
    if (have !== undefined && !ours.has(tag.key)) {
      if (have !== tag.value) plan.conflicts.push({ key: tag.key, current: have, desired: tag.value, source: tag.source });
      continue; // a person's tag (same value: fine as it is; other value: reported). Never adopted.
    }
    candidates.push(tag);
  }
  // Slots left for our tags and the marker's parts (one part per 256 characters of the list).
  const room = MAX_TAGS_PER_ASG - unmanagedCount - reserved;
  const keep: TemplateTag[] = [];
  for (const tag of candidates) {
    const next = [...keep, tag];
    if (next.length + encodeManagedKeyParts(next.map((t) => t.key)).length > room) {
      plan.dropped.push({ ...tag, reason: 'tag-limit' });
      continue;
    }
    keep.push(tag);
  }
  for (const tag of keep) {
    if (current[tag.key] !== tag.value) plan.put.push({ key: tag.key, value: tag.value, propagateAtLaunch: false });
  }
  const keptKeys = new Set(keep.map((t) => t.key));
  plan.remove = [...ours].filter((k) => !keptKeys.has(k)).sort();
  plan.managed = [...keptKeys].sort();
  // The marker stays even when it records nothing (value ""): it also says "eks-guardrails has processed this
  // ASG", which lets a burst of launch events skip re-reading node groups (see looksProcessed). Written only
  // when it fits under the limit. Parts the shorter list no longer needs are ours to remove.
  const parts = encodeManagedKeyParts(plan.managed);
  const markerFits = MANAGED_KEYS_TAG in current || unmanagedCount + reserved + 1 <= MAX_TAGS_PER_ASG;
  parts.forEach((value, i) => {
    if (current[markerTagKey(i)] !== value && (i > 0 || markerFits)) plan.put.push({ key: markerTagKey(i), value, propagateAtLaunch: false });
  });
  const extraParts = Object.keys(current).filter((k) => isMarkerKey(k) && !parts.some((_, i) => markerTagKey(i) === k)).sort();
  plan.remove.push(...extraParts);

  for (const t of existing) {
    if (!t.key.startsWith(NODE_TEMPLATE_PREFIX) || ours.has(t.key) || desiredKeys.has(t.key)) continue;
    const kind = kindOfKey(t.key);
    if (kind === 'label' || kind === 'taint') {
      const why = kind === 'taint' && !isValidTaintValue(t.value)
        ? `value "${t.value}" lacks ":<Effect>": cluster-autoscaler silently ignores it (eksctl#7543)`
        : `the node group has no such ${kind}`;
      plan.foreign.push({ key: t.key, value: t.value, why });
    }
  }
  for (const c of plan.conflicts) {
    if (c.key.includes('/taint/') && !isValidTaintValue(c.current)) {
      c.source += ` (current value lacks ":<Effect>": cluster-autoscaler silently ignores it, eksctl#7543)`;
    }
  }
  return plan;
}

/** The CA node template an ASG advertises (what CA assumes a new node looks like when scaling from zero). */
export function advertisedTemplate(tags: readonly AsgTag[]): { labels: Record<string, string>; taints: string[]; resources: Record<string, string> } {
  const labels: Record<string, string> = {};
  const taints: string[] = [];
  const resources: Record<string, string> = {};
  for (const t of tags) {
    const kind = kindOfKey(t.key);
    if (!kind) continue;
    const name = t.key.slice(NODE_TEMPLATE_PREFIX.length + KIND_PATH[kind].length);
    if (kind === 'label') labels[name] = t.value;
    else if (kind === 'resource') resources[name] = t.value;
    else if (isValidTaintValue(t.value)) {
      const i = t.value.lastIndexOf(':');
      const value = t.value.slice(0, i);
      taints.push(`${name}${value ? `=${value}` : ''}:${t.value.slice(i + 1)}`);
    }
  }
  return { labels, taints, resources };
}

/**
 * Cheap test on tags alone, for instance-launch events (which say nothing about tags): has eks-guardrails
 * already processed this ASG for `cluster`? Discovery keys present (or their removal recorded as an opt-out,
 * or `enabled=false`) and, for a managed group, our marker present. Anything a person changes afterwards arrives as a CloudTrail call, which always runs
 * the full reconcile; the scheduled sweep re-verifies everything.
 */
export function looksProcessed(tags: Record<string, string>, cluster: string): boolean {
  const optedOut = decodeDiscoveryKeys(tags[OPT_OUT_TAG]);
  const discoveryOk = saysEnabledFalse(tags) || missingDiscoveryTags(tags, cluster).every((t) => optedOut.has(t.key));
  const managed = 'eks:nodegroup-name' in tags;
  return discoveryOk && (!managed || MANAGED_KEYS_TAG in tags);
}
