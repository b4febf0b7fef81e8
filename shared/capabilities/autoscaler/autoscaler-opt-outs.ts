/**
 * Pure: what a person decided about cluster-autoscaler (CA) discovery on one ASG, and what eks-guardrails may
 * therefore write. CA's default discovery matches tag keys only (kubernetes/autoscaler
 * cluster-autoscaler/cloudprovider/aws/aws_wrapper.go: getAutoscalingGroupsByTags filters by `tag-key`), so
 * removing a discovery key is how a person takes a group out of CA's hands: we remember that on the ASG
 * (OPT_OUT_TAG) and never add the key back.
 */
import type { AsgTag, ClusterSnapshot } from '../../types/index.ts';
import {
  CA_ENABLED_KEY, DISCOVERY_RECORD_TAG, DISCOVERY_VALUES, MAX_TAGS_PER_ASG, OPT_OUT_TAG, caClusterKey, decodeDiscoveryKeys,
  encodeDiscoveryKeys, saysEnabledFalse, type AsgOwnership,
} from './autoscaler-tags.ts';

/**
 * `snapshot.extra` key: tag keys a person deleted, by ASG name, as the CloudTrail `DeleteTags` events of this
 * invocation name them (our own calls are filtered out before). Only on-asg-event sets it.
 */
export const TAG_DELETIONS = 'asgTagDeletions';
export type TagDeletions = Record<string, { keys: string[]; actor?: string }>;

/** How we know a missing key was taken away on purpose. */
export type OptOutEvidence =
  | 'recorded' // our opt-out tag lists it
  | 'deleted-by-person' // this invocation's DeleteTags event
  | 'eks-wrote-it' // a managed node group's ASG: EKS writes both keys at creation
  | 'we-wrote-it'; // a self-managed ASG whose DISCOVERY_RECORD_TAG lists it

export interface DiscoveryPlan {
  /** Discovery keys a person took away (absent now): never added back. */
  optedOut: { key: string; evidence: OptOutEvidence }[];
  /** Keys in the opt-out record that a person has put back since (the opt-out is withdrawn). */
  withdrawn: string[];
  /** The person deleted our opt-out tag in this invocation's event: add the keys again. */
  undo: boolean;
  enabledFalse: boolean;
  /** Discovery keys absent and not opted out. */
  missing: string[];
  /** What to write: the missing keys (only all of them: CA needs every key of its flag) and our record of them. */
  add: AsgTag[];
  /**
   * Self-managed, both keys present (whoever wrote them) but not in our record: remember them, so a later
   * removal is recognised as a decision even when its CloudTrail event is missed.
   */
  remember?: AsgTag;
  /** The opt-out record's change, when it changes (after null = delete the tag). */
  record?: { before: string | null; after: string | null };
  /** Wanted but over the 50-tag budget: reported, not written. */
  dropped: { key: string; reason: 'tag-limit' }[];
  /** Tags this plan creates (not updates): the node-template plan keeps these slots free. */
  newSlots: number;
  actor?: string;
}

export function tagDeletionsOf(snapshot: ClusterSnapshot, asgName: string): { keys: string[]; actor?: string } {
  return (snapshot.extra[TAG_DELETIONS] as TagDeletions | undefined)?.[asgName] ?? { keys: [] };
}

/**
 * Decides discovery for one ASG of `cluster`. Invariants: a key a person removed is never written again (unless
 * they deleted our opt-out tag, in this very event); a group saying `enabled=false` gets nothing added; the ASG
 * never goes over 50 tags (what does not fit is dropped, discovery keys all or none).
 */
export function planDiscovery(
  tags: Record<string, string>, cluster: string, ownership: AsgOwnership, deletion: { keys: readonly string[]; actor?: string } = { keys: [] },
): DiscoveryPlan {
  const wanted = [CA_ENABLED_KEY, caClusterKey(cluster)];
  const recorded = decodeDiscoveryKeys(tags[OPT_OUT_TAG]);
  const wrote = decodeDiscoveryKeys(tags[DISCOVERY_RECORD_TAG]);
  const deleted = new Set(deletion.keys);
  const undo = deleted.has(OPT_OUT_TAG) && !(OPT_OUT_TAG in tags);
  const plan: DiscoveryPlan = {
    optedOut: [], withdrawn: [], undo, enabledFalse: saysEnabledFalse(tags), missing: [], add: [], dropped: [], newSlots: 0,
    ...(deletion.actor ? { actor: deletion.actor } : {}),
  };
  for (const key of wanted) {
    if (key in tags) {
      if (recorded.has(key)) plan.withdrawn.push(key);
      continue;
    }
    const evidence: OptOutEvidence | undefined = recorded.has(key) ? 'recorded'
      : undo ? undefined
      : deleted.has(key) ? 'deleted-by-person'
      // EKS tags every managed node group's ASG with both keys when it creates it: gone means a person removed it.
      : ownership === 'managed' ? 'eks-wrote-it'
      : wrote.has(key) ? 'we-wrote-it'
      : undefined;
    if (evidence) plan.optedOut.push({ key, evidence });
    else plan.missing.push(key);
  }

  let free = MAX_TAGS_PER_ASG - Object.keys(tags).length;
  const after = new Set([...recorded].filter((k) => !plan.withdrawn.includes(k)));
  for (const { key } of plan.optedOut) after.add(key);
  const afterValue = encodeDiscoveryKeys(after);
  if (afterValue !== (tags[OPT_OUT_TAG] ?? '')) {
    if (OPT_OUT_TAG in tags || free >= 1) {
      plan.record = { before: tags[OPT_OUT_TAG] ?? null, after: afterValue === '' ? null : afterValue };
      if (!(OPT_OUT_TAG in tags)) { free--; plan.newSlots++; }
    } else {
      plan.dropped.push({ key: OPT_OUT_TAG, reason: 'tag-limit' });
    }
  }

  if (ownership === 'self-managed' && plan.optedOut.length === 0 && plan.missing.length === 0 && wanted.some((k) => !wrote.has(k))) {
    if (DISCOVERY_RECORD_TAG in tags || free >= 1) {
      plan.remember = { key: DISCOVERY_RECORD_TAG, value: encodeDiscoveryKeys([...wrote, ...wanted]), propagateAtLaunch: false };
      if (!(DISCOVERY_RECORD_TAG in tags)) plan.newSlots++;
    }
    return plan;
  }
  // A group out of CA's hands (a key removed, or enabled=false) gets no discovery key: adding the other one
  // would not bring it back, only look like we are fighting the decision.
  if (plan.missing.length === 0 || plan.optedOut.length > 0 || plan.enabledFalse) return plan;
  if (plan.missing.length > free) {
    for (const key of plan.missing) plan.dropped.push({ key, reason: 'tag-limit' });
    return plan;
  }
  for (const key of plan.missing) plan.add.push({ key, value: key === CA_ENABLED_KEY ? DISCOVERY_VALUES.enabled : DISCOVERY_VALUES.cluster, propagateAtLaunch: false });
  free -= plan.missing.length;
  plan.newSlots += plan.missing.length;
  // Self-managed: remember what we wrote, so a sweep can tell a person's removal from "never had it".
  if (ownership === 'self-managed') {
    const value = encodeDiscoveryKeys([...wrote, ...plan.missing]);
    if (DISCOVERY_RECORD_TAG in tags || free >= 1) {
      plan.add.push({ key: DISCOVERY_RECORD_TAG, value, propagateAtLaunch: false });
      if (!(DISCOVERY_RECORD_TAG in tags)) plan.newSlots++;
    } else {
      plan.dropped.push({ key: DISCOVERY_RECORD_TAG, reason: 'tag-limit' });
    }
  }
  return plan;
}
