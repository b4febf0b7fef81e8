import { describeAutoScalingGroupsByName } from '../../shared/aws/autoscaling.ts';
import { classifyError } from '../../shared/aws/errors.ts';
import { EVENT_REGISTRY } from '../../shared/capabilities/event-registry.ts';
import { checksFor } from '../../shared/engine/registry.ts';
import { clustersOfAsg, looksProcessed, tagMap } from '../../shared/capabilities/autoscaler/autoscaler-tags.ts';
import { isExempt } from '../../shared/engine/exemptions.ts';
import { reconcile } from '../../shared/engine/reconcile.ts';
import type { ReconcileResult } from '../../shared/engine/result.ts';
import { InvalidEventError, NotReadyError } from '../../shared/errors.ts';
import { deletedKeysOn, parseAsgEvent } from '../../shared/events/asg-event.ts';
import { TAG_DELETIONS, type TagDeletions } from '../../shared/capabilities/autoscaler/autoscaler-opt-outs.ts';
import { noteRecordFailure } from '../../shared/lambda/failures.ts';
import { lambdaBatchHandler, type BatchOutcome, type BatchRecord } from '../../shared/lambda/batch-handler.ts';
import { logger } from '../../shared/lambda/logger.ts';
import { ignoreReason } from '../../shared/metrics/ignored.ts';
import { tally } from '../../shared/metrics/tally.ts';
import type { AutoScalingGroupState, GuardrailsConfig, Trigger } from '../../shared/types/index.ts';

/**
 * ASGs verified recently, per container: an instance launch says nothing about tags, so a burst of launches
 * on a group we just converged costs no call. CloudTrail tag/ASG calls always bypass it (they may be drift).
 */
const verifiedAt = new Map<string, number>();

/** For tests and the benchmark: a cold container. */
export function resetLaunchCache(): void {
  verifiedAt.clear();
}

export interface AsgBatchResult {
  status: 'reconciled' | 'ignored';
  /** Records in the batch, distinct ASGs named, and how each ASG was handled. */
  records: number;
  asgs: number;
  skipped: { asg: string; reason: string }[];
  ignored: { messageId: string; reason: string }[];
  groups: { cluster: string; asgs: string[]; trigger: Pick<Trigger, 'kind' | 'apiCall' | 'actor'> }[];
  results: ReconcileResult[];
}

interface Pending {
  name: string;
  messageIds: string[];
  /** The first CloudTrail trigger naming this ASG (a person's call is worth reporting); launch events otherwise. */
  trigger: Trigger;
  launchOnly: boolean;
  deletedKeys: string[];
}

/**
 * A batch from the ASG event queue (CloudTrail Auto Scaling calls + native launch events, coalesced by a
 * batching window): de-duplicated by ASG, one DescribeAutoScalingGroups for all of them, then one reconcile
 * per (cluster, trigger) narrowed to the autoscaler checks and to these ASGs' node groups. An ASG named only
 * by launch events is reconciled only if its tags show we never processed it (or it is not cached).
 */
export async function onAsgBatch(records: BatchRecord[], { config }: { config: GuardrailsConfig }): Promise<BatchOutcome<AsgBatchResult>> {
  const now = Date.now();
  const ttlMs = (config.autoscaler?.launchCacheSeconds ?? 300) * 1000;
  const failed = new Set<string>();
  const result: AsgBatchResult = { status: 'ignored', records: records.length, asgs: 0, skipped: [], ignored: [], groups: [], results: [] };

  const pending = new Map<string, Pending>();
  for (const record of records) {
    let parsed;
    try {
      parsed = parseAsgEvent(record.event, config.selfRoleArns);
    } catch (err) {
      if (!(err instanceof InvalidEventError)) throw err;
      logger.error('invalid event', { messageId: record.messageId, error: err.toJSON() });
      noteRecordFailure(record.messageId, err);
      failed.add(record.messageId);
      continue;
    }
    if (parsed.kind === 'ignored') {
      result.ignored.push({ messageId: record.messageId, reason: parsed.reason });
      continue;
    }
    for (const name of parsed.asgNames) {
      const p = pending.get(name) ?? { name, messageIds: [], trigger: parsed.trigger, launchOnly: true, deletedKeys: [] };
      p.messageIds.push(record.messageId);
      if (parsed.kind === 'cloudtrail') {
        if (p.launchOnly) p.trigger = { ...parsed.trigger, resourceId: name };
        p.launchOnly = false;
        p.deletedKeys.push(...deletedKeysOn(parsed.event, name));
      }
      pending.set(name, p);
    }
  }
  result.asgs = pending.size;

  const toRead: Pending[] = [];
  for (const p of pending.values()) {
    const at = verifiedAt.get(p.name);
    if (p.launchOnly && at !== undefined && now - at < ttlMs) result.skipped.push({ asg: p.name, reason: `verified ${Math.round((now - at) / 1000)} s ago` });
    else toRead.push(p);
  }
  if (toRead.length === 0) return done();

  const found = new Map((await describeAutoScalingGroupsByName(toRead.map((p) => p.name))).map((g) => [g.name, g]));
  // One reconcile per cluster and trigger: launches of a cluster's ASGs share one; each person's call keeps its own, to report who.
  const groups = new Map<string, { cluster: string; trigger: Trigger; asgs: AutoScalingGroupState[]; pending: Pending[] }>();
  for (const p of toRead) {
    const asg = found.get(p.name);
    if (!asg) {
      result.skipped.push({ asg: p.name, reason: 'Auto Scaling group not found (deleted)' });
      continue;
    }
    const tags = tagMap(asg.tags);
    const clusters = clustersOfAsg(tags);
    if (clusters.length === 0) {
      result.skipped.push({ asg: p.name, reason: 'no tie to any EKS cluster: left alone' });
      continue;
    }
    // Launches are a safety net for ASGs we never processed; tag edits arrive as CloudTrail calls (full reconcile).
    const exempt = checksFor(EVENT_REGISTRY, 'auto-scaling-group-changed').every((check) => isExempt(tags, config.exemptTagKey, check, EVENT_REGISTRY.checkNames));
    if (p.launchOnly && (exempt || clusters.every((c) => looksProcessed(tags, c)))) {
      verifiedAt.set(p.name, now);
      result.skipped.push({ asg: p.name, reason: 'already processed (tags in place); a launch says nothing about tags' });
      continue;
    }
    for (const cluster of clusters) {
      const key = `${cluster}\u0000${p.launchOnly ? 'launch' : `${p.trigger.actor ?? ''}\u0000${p.trigger.eventId ?? ''}`}`;
      const g = groups.get(key) ?? { cluster, trigger: p.trigger, asgs: [], pending: [] };
      g.asgs.push(asg);
      g.pending.push(p);
      groups.set(key, g);
    }
  }

  for (const g of groups.values()) {
    const names = g.asgs.map((a) => a.name);
    const trigger = { ...g.trigger, resourceId: names.join(',') };
    const nodegroupNames = [...new Set(g.asgs.flatMap((a) => {
      const tags = tagMap(a.tags);
      return tags['eks:nodegroup-name'] && (tags['eks:cluster-name'] ?? g.cluster) === g.cluster ? [tags['eks:nodegroup-name']] : [];
    }))];
    const messageIds = g.pending.flatMap((p) => p.messageIds);
    // A person's DeleteTags is a decision (an opt-out when it removes a discovery key): the checks need to know it.
    const tagDeletions: TagDeletions = Object.fromEntries(g.pending.filter((p) => p.deletedKeys.length > 0)
      .map((p) => [p.name, { keys: p.deletedKeys, ...(trigger.actor ? { actor: trigger.actor } : {}) }]));
    result.groups.push({ cluster: g.cluster, asgs: names, trigger: { kind: trigger.kind, apiCall: trigger.apiCall, actor: trigger.actor } });
    try {
      const r = await reconcile(
        { clusterName: g.cluster, checks: checksFor(EVENT_REGISTRY, 'auto-scaling-group-changed'), trigger, focus: { type: 'auto-scaling-group', id: names[0]! } },
        config,
        { registry: EVENT_REGISTRY, hints: { autoScalingGroups: g.asgs, extra: { nodegroupNames, [TAG_DELETIONS]: tagDeletions } } },
      );
      result.results.push(r);
      const failures = r.actions.filter((a) => a.status === 'failed');
      if (failures.length > 0) {
        logger.error('remediation failed', { cluster: g.cluster, asgs: names, reasons: failures.map((a) => a.reason) });
        for (const id of messageIds) failed.add(id);
        continue;
      }
      const restored = g.pending.flatMap((p) => p.deletedKeys).filter((k) => r.actions.some((a) => a.status === 'applied' && a.action.kind === 'TagAsg' && a.action.tags.some((t) => t.key === k)));
      if (restored.length > 0) logger.warn('restored tags a person removed', { cluster: g.cluster, asgs: names, keys: restored, by: trigger.actor });
      // Cache only converged ASGs: a plan left unapplied (dry-run, report mode) is looked at again next time.
      if (r.actions.every((a) => a.status === 'applied' || a.status === 'skipped')) for (const n of names) verifiedAt.set(n, now);
    } catch (err) {
      if (err instanceof NotReadyError) {
        // A cluster still CREATING: its own CreateCluster reconcile (deferred by on-cluster-event) covers these ASGs.
        result.skipped.push(...names.map((asg) => ({ asg, reason: err.message })));
        continue;
      }
      if (classifyError(err) !== 'retryable') logger.error('reconcile failed', { cluster: g.cluster, asgs: names, error: (err as Error).message });
      for (const id of messageIds) failed.add(id);
    }
  }
  return done();

  function done(): BatchOutcome<AsgBatchResult> {
    if (result.groups.length > 0) result.status = 'reconciled';
    for (const left of [...result.ignored, ...result.skipped]) tally.count('EventsIgnored', 1, ignoreReason(left.reason));
    logger.info('asg batch', { records: result.records, asgs: result.asgs, reconciles: result.groups.length, skipped: result.skipped.length, failed: failed.size });
    return { failedMessageIds: [...failed], result };
  }
}

export const handler = lambdaBatchHandler('on-asg-event', onAsgBatch);
