/**
 * A batch from the ASG event queue (CloudTrail Auto Scaling calls + native launch events, coalesced by a
 * batching window), planned: de-duplicated by ASG, one DescribeAutoScalingGroups for all of them, then one
 * reconcile per (cluster, trigger) narrowed to these ASGs and their node groups. An ASG named only by launch
 * events is reconciled only if its tags show we never processed it (or it is not in the launch cache).
 */
import { describeAutoScalingGroupsByName } from '../../aws/autoscaling.ts';
import type { ReconcileResult } from '../../engine/result.ts';
import { isExempt } from '../../engine/exemptions.ts';
import { InvalidEventError } from '../../errors.ts';
import { deletedKeysOn, parseAsgEvent } from '../../events/asg-event.ts';
import type { AutoScalingGroupState, GuardrailsConfig, ObserveHints, ReconcileTarget, Trigger } from '../../types/index.ts';
import { TAG_DELETIONS, type TagDeletions } from './autoscaler-opt-outs.ts';
import { clustersOfAsg, looksProcessed, tagMap } from './autoscaler-tags.ts';
import { launchCacheTtlMs, rememberVerified, verifiedAgoMs, type LaunchCache } from './launch-cache.ts';

export interface AsgBatchResult {
  status: 'reconciled' | 'ignored';
  /** Records in the batch, distinct ASGs named, and how each ASG was handled. */
  records: number;
  asgs: number;
  skipped: SkippedAsg[];
  ignored: { messageId: string; reason: string }[];
  groups: { cluster: string; asgs: string[]; trigger: Pick<Trigger, 'kind' | 'apiCall' | 'actor'> }[];
  results: ReconcileResult[];
}

export interface SkippedAsg {
  asg: string;
  reason: string;
}

/** An ASG the batch names, and the records that name it. */
export interface PendingAsg {
  name: string;
  messageIds: string[];
  /** The first CloudTrail trigger naming this ASG (a person's call is worth reporting); launch events otherwise. */
  trigger: Trigger;
  launchOnly: boolean;
  deletedKeys: string[];
}

/** The batch's records, read: the ASGs they name, records left alone, and records that are no readable event. */
export interface AsgRecords {
  records: number;
  pending: Map<string, PendingAsg>;
  ignored: { messageId: string; reason: string }[];
  invalid: { messageId: string; error: InvalidEventError }[];
}

export function readAsgRecords(records: readonly { messageId: string; event: unknown }[], selfRoleArns: readonly string[]): AsgRecords {
  const read: AsgRecords = { records: records.length, pending: new Map(), ignored: [], invalid: [] };
  for (const record of records) {
    let parsed;
    try {
      parsed = parseAsgEvent(record.event, selfRoleArns);
    } catch (err) {
      if (!(err instanceof InvalidEventError)) throw err;
      read.invalid.push({ messageId: record.messageId, error: err });
      continue;
    }
    if (parsed.kind === 'ignored') {
      read.ignored.push({ messageId: record.messageId, reason: parsed.reason });
      continue;
    }
    for (const name of parsed.asgNames) {
      const p = read.pending.get(name) ?? { name, messageIds: [], trigger: parsed.trigger, launchOnly: true, deletedKeys: [] };
      p.messageIds.push(record.messageId);
      if (parsed.kind === 'cloudtrail') {
        if (p.launchOnly) p.trigger = { ...parsed.trigger, resourceId: name };
        p.launchOnly = false;
        p.deletedKeys.push(...deletedKeysOn(parsed.event, name));
      }
      read.pending.set(name, p);
    }
  }
  return read;
}

/** One reconcile of the batch: the engine's target (its checks are the route's), hints, and the records it settles. */
export interface PlannedReconcile {
  target: Omit<ReconcileTarget, 'checks'>;
  asgNames: string[];
  hints: ObserveHints;
  messageIds: string[];
  /** Keys people's DeleteTags removed from these ASGs: putting one back is worth a warning. */
  deletedKeys: string[];
}

export interface AsgBatchPlan {
  result: AsgBatchResult;
  /** The records already failed (unreadable events). */
  failed: Set<string>;
  reconciles: PlannedReconcile[];
}

export interface AsgBatchPlanning {
  /** The checks of the ASG event route: an ASG exempt from every one is left alone on a launch. */
  checks: readonly string[];
  checkNames: readonly string[];
  launchCache: LaunchCache;
  /** The batch's time (ms since the epoch): entries are judged and stored with it. */
  now: number;
}

export async function planAsgBatch(read: AsgRecords, config: GuardrailsConfig, planning: AsgBatchPlanning): Promise<AsgBatchPlan> {
  const result: AsgBatchResult = { status: 'ignored', records: read.records, asgs: read.pending.size, skipped: [], ignored: read.ignored, groups: [], results: [] };
  const failed = new Set(read.invalid.map((i) => i.messageId));
  const { toRead, skipped } = skipRecentlyVerified(read.pending.values(), launchCacheTtlMs(config), planning.launchCache, planning.now);
  result.skipped.push(...skipped);
  if (toRead.length === 0) return { result, failed, reconciles: [] };

  const found = await describeAutoScalingGroupsByName(toRead.map((p) => p.name));
  const grouped = groupReconciles(toRead, found, config, planning);
  rememberVerified(planning.launchCache, grouped.processed, planning.now);
  result.skipped.push(...grouped.skipped);
  result.groups = grouped.reconciles.map(({ target: { clusterName, trigger }, asgNames }) => (
    { cluster: clusterName, asgs: asgNames, trigger: { kind: trigger.kind, apiCall: trigger.apiCall, actor: trigger.actor } }));
  if (result.groups.length > 0) result.status = 'reconciled';
  return { result, failed, reconciles: grouped.reconciles };
}

/** Launch-only ASGs verified within the cache's lifetime are skipped: a launch says nothing about tags. */
export function skipRecentlyVerified(pending: Iterable<PendingAsg>, ttlMs: number, cache: LaunchCache, now: number): { toRead: PendingAsg[]; skipped: SkippedAsg[] } {
  const toRead: PendingAsg[] = [];
  const skipped: SkippedAsg[] = [];
  for (const p of pending) {
    const ago = p.launchOnly ? verifiedAgoMs(cache, p.name, ttlMs, now) : undefined;
    if (ago !== undefined) skipped.push({ asg: p.name, reason: `verified ${Math.round(ago / 1000)} s ago` });
    else toRead.push(p);
  }
  return { toRead, skipped };
}

/**
 * The ASGs as read, tied to their clusters: one reconcile per cluster and trigger — launches of a cluster's ASGs
 * share one; each person's call keeps its own, to report who. `processed`: launch-only ASGs whose tags show
 * they are done (or exempt), to remember in the launch cache.
 */
export function groupReconciles(toRead: readonly PendingAsg[], found: readonly AutoScalingGroupState[], config: GuardrailsConfig, planning: Pick<AsgBatchPlanning, 'checks' | 'checkNames'>):
  { reconciles: PlannedReconcile[]; skipped: SkippedAsg[]; processed: string[] } {
  const byName = new Map(found.map((g) => [g.name, g]));
  const skipped: SkippedAsg[] = [];
  const processed: string[] = [];
  const groups = new Map<string, ReconcileGroup>();
  for (const p of toRead) {
    const asg = byName.get(p.name);
    if (!asg) {
      skipped.push({ asg: p.name, reason: 'Auto Scaling group not found (deleted)' });
      continue;
    }
    const tags = tagMap(asg.tags);
    const clusters = clustersOfAsg(tags);
    if (clusters.length === 0) {
      skipped.push({ asg: p.name, reason: 'no tie to any EKS cluster: left alone' });
      continue;
    }
    // Launches are a safety net for ASGs we never processed; tag edits arrive as CloudTrail calls (full reconcile).
    const exempt = planning.checks.every((check) => isExempt(tags, config.exemptTagKey, check, planning.checkNames));
    if (p.launchOnly && (exempt || clusters.every((c) => looksProcessed(tags, c)))) {
      processed.push(p.name);
      skipped.push({ asg: p.name, reason: 'already processed (tags in place); a launch says nothing about tags' });
      continue;
    }
    for (const cluster of clusters) {
      const key = `${cluster}\u0000${p.launchOnly ? 'launch' : `${p.trigger.actor ?? ''}\u0000${p.trigger.eventId ?? ''}`}`;
      const g = groups.get(key) ?? { cluster, trigger: p.trigger, asgs: [], pending: [], nodegroupNames: new Set<string>() };
      g.asgs.push(asg);
      g.pending.push(p);
      // The node group EKS tagged the ASG with, unless the tag names it for another cluster.
      const nodegroup = tags['eks:nodegroup-name'];
      if (nodegroup && (tags['eks:cluster-name'] ?? cluster) === cluster) g.nodegroupNames.add(nodegroup);
      groups.set(key, g);
    }
  }
  return { reconciles: [...groups.values()].map(plannedReconcile), skipped, processed };
}

/** The ASGs of one cluster and trigger, with the node groups their tags name (read once, as they are grouped). */
interface ReconcileGroup {
  cluster: string;
  trigger: Trigger;
  asgs: AutoScalingGroupState[];
  pending: PendingAsg[];
  nodegroupNames: Set<string>;
}

function plannedReconcile({ cluster, trigger: first, asgs, pending, nodegroupNames }: ReconcileGroup): PlannedReconcile {
  const asgNames = asgs.map((a) => a.name);
  const trigger = { ...first, resourceId: asgNames.join(',') };
  // A person's DeleteTags is a decision (an opt-out when it removes a discovery key): the checks need to know it.
  const tagDeletions: TagDeletions = Object.fromEntries(pending.filter((p) => p.deletedKeys.length > 0)
    .map((p) => [p.name, { keys: p.deletedKeys, ...(trigger.actor ? { actor: trigger.actor } : {}) }]));
  return {
    target: { clusterName: cluster, trigger, focus: { type: 'auto-scaling-group', id: asgNames[0]! } },
    asgNames,
    hints: { autoScalingGroups: asgs, extra: { nodegroupNames: [...nodegroupNames], [TAG_DELETIONS]: tagDeletions } },
    messageIds: pending.flatMap((p) => p.messageIds),
    deletedKeys: pending.flatMap((p) => p.deletedKeys),
  };
}

/** Keys a person deleted that the reconcile wrote back (node-template tags follow the node group; a discovery key's removal is an opt-out, kept). */
export function restoredKeys(planned: PlannedReconcile, r: ReconcileResult): string[] {
  return planned.deletedKeys.filter((k) => r.actions.some((a) => a.status === 'applied' && a.action.kind === 'TagAsg' && a.action.tags.some((t) => t.key === k)));
}

/** Every action applied or skipped: nothing left for the next launch to do (a dry-run or report-mode plan is not). */
export function converged(r: ReconcileResult): boolean {
  return r.actions.every((a) => a.status === 'applied' || a.status === 'skipped');
}
