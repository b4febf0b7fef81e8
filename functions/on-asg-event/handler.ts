import { classifyError } from '../../shared/aws/errors.ts';
import { converged, planAsgBatch, readAsgRecords, restoredKeys, type AsgBatchResult } from '../../shared/capabilities/autoscaler/asg-batch.ts';
import { launchVerifiedAsgs, rememberVerified, type LaunchCache } from '../../shared/capabilities/autoscaler/launch-cache.ts';
import { EVENT_REGISTRY } from '../../shared/capabilities/event-registry.ts';
import { reconcile } from '../../shared/engine/reconcile.ts';
import { checksFor } from '../../shared/engine/registry.ts';
import { NotReadyError } from '../../shared/errors.ts';
import { noteRecordFailure } from '../../shared/lambda/failures.ts';
import { lambdaBatchHandler, type BatchOutcome, type BatchRecord } from '../../shared/lambda/batch-handler.ts';
import { logger } from '../../shared/lambda/logger.ts';
import { ignoreReason } from '../../shared/metrics/ignored.ts';
import { tally } from '../../shared/metrics/tally.ts';
import type { GuardrailsConfig } from '../../shared/types/index.ts';

/**
 * A batch from the ASG event queue, planned (shared/capabilities/autoscaler/asg-batch.ts: one describe, one
 * reconcile per cluster and trigger), each reconcile narrowed to the checks of its event route. A record goes
 * back to the queue when its event is unreadable, a remediation failed or its reconcile threw.
 */
export async function onAsgBatch(records: BatchRecord[], { config }: { config: GuardrailsConfig }, launchCache: LaunchCache = launchVerifiedAsgs, now = Date.now()): Promise<BatchOutcome<AsgBatchResult>> {
  const checks = checksFor(EVENT_REGISTRY, 'auto-scaling-group-changed');
  const read = readAsgRecords(records, config.selfRoleArns);
  for (const { messageId, error } of read.invalid) {
    logger.error('invalid event', { messageId, error: error.toJSON() });
    noteRecordFailure(messageId, error);
  }
  const { result, failed, reconciles } = await planAsgBatch(read, config, { checks, checkNames: EVENT_REGISTRY.checkNames, launchCache, now });
  for (const planned of reconciles) {
    const { target: { clusterName: cluster, trigger }, asgNames: asgs, messageIds } = planned;
    try {
      const r = await reconcile({ ...planned.target, checks }, config, { registry: EVENT_REGISTRY, hints: planned.hints });
      result.results.push(r);
      const failures = r.actions.filter((a) => a.status === 'failed');
      if (failures.length > 0) {
        logger.error('remediation failed', { cluster, asgs, reasons: failures.map((a) => a.reason) });
        for (const id of messageIds) failed.add(id);
        continue;
      }
      const restored = restoredKeys(planned, r);
      if (restored.length > 0) logger.warn('restored tags a person removed', { cluster, asgs, keys: restored, by: trigger.actor });
      if (converged(r)) rememberVerified(launchCache, asgs, now);
    } catch (err) {
      // A cluster still CREATING: its own CreateCluster reconcile (deferred by on-cluster-event) covers these ASGs.
      if (err instanceof NotReadyError) {
        result.skipped.push(...asgs.map((asg) => ({ asg, reason: err.message })));
        continue;
      }
      if (classifyError(err) !== 'retryable') logger.error('reconcile failed', { cluster, asgs, error: (err as Error).message });
      for (const id of messageIds) failed.add(id);
    }
  }
  for (const left of [...result.ignored, ...result.skipped]) tally.count('EventsIgnored', 1, ignoreReason(left.reason));
  logger.info('asg batch', { records: result.records, asgs: result.asgs, reconciles: result.groups.length, skipped: result.skipped.length, failed: failed.size });
  return { failedMessageIds: [...failed], result };
}

export const handler = lambdaBatchHandler('on-asg-event', onAsgBatch);
