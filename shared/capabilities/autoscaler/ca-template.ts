/**
 * What cluster-autoscaler (CA) knows about a node group at zero nodes: the node template it builds from the
 * ASG's tags and, for EKS managed node groups, from DescribeNodegroup. Pure: the scale-from-zero check, the
 * node-template tag writer, the demo and the tests share it.
 *
 * Source: kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws — aws_manager.go buildNodeFromTemplate,
 * extractLabelsFromAsg, extractTaintsFromAsg, extractAllocatableResourcesFromAsg, joinNodeLabelsChoosingUserValuesOverAPIValues;
 * aws_wrapper.go getManagedNodegroupInfo, taintEksTranslator; managed_nodegroup_cache.go.
 */
import type { AsgTag, NodegroupState } from '../../types/index.ts';
import { NODE_TEMPLATE_PREFIX, tagMap, translateEffect, type TemplateTag } from './autoscaler-tags.ts';
import { CA_READS_EKS_API, CA_READS_NODEGROUP_RESOURCE_TAGS, CA_TRANSLATES_TAINT_EFFECTS, caVersion, type CaVersion } from '../../config/cluster-autoscaler-version.ts';

export { caVersion, type CaVersion };

const atLeast = (v: CaVersion, minor: number) => v.major > 1 || v.minor >= minor;

/**
 * CA asks the EKS API about a group only from 1.24, and only when the ASG carries EKS's `eks:cluster-name` and
 * `eks:nodegroup-name` tags (extractLabelsFromAsg turns every `eks:*` tag into a label; buildNodeFromTemplate
 * calls DescribeNodegroup when labels `cluster-name` and `nodegroup-name` are both set).
 */
export function caReadsEksApi(version: CaVersion, asgTags: Record<string, string>): boolean {
  return atLeast(version, CA_READS_EKS_API) && Boolean(asgTags['eks:cluster-name']) && Boolean(asgTags['eks:nodegroup-name']);
}

export interface TemplateTaint { key: string; value: string; effect: string }

/** The node CA imagines for a group at zero nodes (only the parts this product can judge). */
export interface CaTemplate {
  /** Whether DescribeNodegroup feeds it. */
  readsApi: boolean;
  labels: Record<string, string>;
  taints: TemplateTaint[];
  /** Extended and ephemeral resources from tags (CPU, memory and NVIDIA GPUs come from CA's instance table). */
  resources: Record<string, string>;
  /** ASG label tags whose value the API's label replaces (joinNodeLabelsChoosingUserValuesOverAPIValues: API wins). */
  overriddenLabels: { label: string; asgValue: string; apiValue: string }[];
}

const LABEL_PREFIX = `${NODE_TEMPLATE_PREFIX}label/`;
const TAINT_PREFIX = `${NODE_TEMPLATE_PREFIX}taint/`;
const RESOURCE_PREFIX = `${NODE_TEMPLATE_PREFIX}resources/`;
// extractTaintsFromAsg: the value must match `(.*):(?:NoSchedule|NoExecute|PreferNoSchedule)`, split at the first ':'.
const ASG_TAINT = /(.*):(?:NoSchedule|NoExecute|PreferNoSchedule)/;

/** Labels DescribeNodegroup adds besides the node group's own (aws_wrapper.go getManagedNodegroupInfo). */
export function apiLabels(ng: Pick<NodegroupState, 'name' | 'labels' | 'diskSize' | 'amiType' | 'capacityType'> & { version?: string }): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof ng.diskSize === 'number') out.diskSize = String(ng.diskSize);
  if (ng.amiType) out.amiType = ng.amiType;
  if (ng.capacityType) out['eks.amazonaws.com/capacityType'] = ng.capacityType;
  if (ng.version) out.k8sVersion = ng.version;
  out['eks.amazonaws.com/nodegroup'] = ng.name;
  return { ...out, ...ng.labels };
}

/**
 * Labels a managed node group's real nodes carry beyond its own: the kubelet's `kubernetes.io/os` (from the AMI
 * type). A person's node-template tag saying the same is right, not foreign.
 */
export function osLabelOf(ng: Pick<NodegroupState, 'amiType'>): string | undefined {
  if (!ng.amiType || ng.amiType === 'CUSTOM') return undefined;
  return ng.amiType.startsWith('WINDOWS_') ? 'windows' : 'linux';
}

/** Taints DescribeNodegroup yields: only those with a value (getManagedNodegroupInfo skips a nil value); effects translated from 1.31. */
export function apiTaints(ng: Pick<NodegroupState, 'taints'>, version: CaVersion): TemplateTaint[] {
  const out: TemplateTaint[] = [];
  for (const t of ng.taints) {
    if (t.value === undefined) continue;
    // Before 1.31 the EKS spelling (NO_SCHEDULE) reached the template untranslated: no toleration matches it the way it should.
    const effect = atLeast(version, CA_TRANSLATES_TAINT_EFFECTS) ? translateEffect(t.effect) : t.effect;
    if (effect) out.push({ key: t.key, value: t.value, effect });
  }
  return out;
}

/** Resource quantities from `…/node-template/resources/<name>` tags (CA skips values it cannot parse as quantities). */
export function resourceTags(tags: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) {
    if (k.startsWith(RESOURCE_PREFIX) && k.length > RESOURCE_PREFIX.length && isQuantity(v)) out[k.slice(RESOURCE_PREFIX.length)] = v;
  }
  return out;
}

/** A Kubernetes resource quantity, close enough for tags: digits, optional fraction, optional suffix (k8s.io/apimachinery resource.ParseQuantity). */
export function isQuantity(v: string): boolean {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[kMGTPE]i?|[mnu])?$/.test(v.trim()) && v.trim() === v;
}

/** The template CA builds for one ASG (and its managed node group, when CA asks the API about it). */
export function caTemplate(asgTags: readonly AsgTag[], nodegroup: NodegroupState | undefined, version: CaVersion): CaTemplate {
  const tags = tagMap(asgTags);
  // buildGenericLabels: CA assumes Linux (cloudprovider.DefaultOS) whatever the AMI.
  const labels: Record<string, string> = { 'kubernetes.io/os': 'linux' };
  const taints: TemplateTaint[] = [];
  for (const [k, v] of Object.entries(tags)) {
    if (k.startsWith(LABEL_PREFIX) && k.length > LABEL_PREFIX.length) labels[k.slice(LABEL_PREFIX.length)] = v;
    else if (k.startsWith('eks:') && k.length > 4) labels[k.slice(4)] = v;
    if (k.startsWith(TAINT_PREFIX) && ASG_TAINT.test(v)) {
      const i = v.indexOf(':');
      taints.push({ key: k.slice(TAINT_PREFIX.length), value: v.slice(0, i), effect: v.slice(i + 1) });
    }
  }
  const resources = resourceTags(tags);
  const readsApi = nodegroup !== undefined && caReadsEksApi(version, tags);
  const overriddenLabels: CaTemplate['overriddenLabels'] = [];
  if (readsApi) {
    const fromApi = apiLabels(nodegroup);
    for (const [k, v] of Object.entries(fromApi)) {
      const asgValue = tags[`${LABEL_PREFIX}${k}`];
      if (asgValue !== undefined && asgValue !== v) overriddenLabels.push({ label: k, asgValue, apiValue: v });
      labels[k] = v;
    }
    taints.push(...apiTaints(nodegroup, version));
    if (atLeast(version, CA_READS_NODEGROUP_RESOURCE_TAGS)) Object.assign(resources, resourceTags(nodegroup.tags ?? {}));
  }
  return { readsApi, labels, taints, resources, overriddenLabels };
}

/**
 * The node-template tags still worth writing when CA reads the EKS API: labels come from the API (1.24+), taints
 * with a value from 1.31 (translated), resources the node group itself tags from 1.28. Valueless taints and
 * `ephemeral-storage` from the disk size still need the ASG tag. Everything else only spends the 50-tag budget —
 * and a taint written twice is appended twice by CA (API and ASG taints are concatenated).
 */
export function tagsCaNeeds<T extends Pick<TemplateTag, 'key' | 'kind'>>(desired: readonly T[], nodegroup: NodegroupState, version: CaVersion, asgTags: Record<string, string>): T[] {
  if (!caReadsEksApi(version, asgTags)) return [...desired];
  // A key the API gives only if every taint with that key has a value (a valueless one is skipped there).
  const valuedTaintKeys = new Set(nodegroup.taints.filter((t) => t.value !== undefined).map((t) => t.key));
  for (const t of nodegroup.taints) if (t.value === undefined) valuedTaintKeys.delete(t.key);
  const ngResources = atLeast(version, CA_READS_NODEGROUP_RESOURCE_TAGS) ? resourceTags(nodegroup.tags ?? {}) : {};
  return desired.filter((t) => {
    const name = t.key.slice(NODE_TEMPLATE_PREFIX.length).replace(/^[a-z]+\//, '');
    if (t.kind === 'label') return false;
    if (t.kind === 'taint') return !(atLeast(version, CA_TRANSLATES_TAINT_EFFECTS) && valuedTaintKeys.has(name));
    return !(name in ngResources);
  });
}
