import { EVENT_REGISTRY } from '../../shared/capabilities/event-registry.ts';
import { reconcile } from '../../shared/engine/reconcile.ts';
import { checksFor } from '../../shared/engine/registry.ts';
import type { ReconcileResult } from '../../shared/engine/result.ts';
import { NotReadyError, InvalidEventError } from '../../shared/errors.ts';
import { clusterNameOf, nodegroupNameOf } from '../../shared/events/cluster-event.ts';
import { isOwnChange, parseCloudTrailEvent, triggerOf } from '../../shared/events/cloudtrail.ts';
import { assertServedRegion } from '../../shared/events/region.ts';
import { defer, type Deferral } from '../../shared/lambda/defer.ts';
import { lambdaHandler, type InvocationContext } from '../../shared/lambda/handler.ts';
import { logger } from '../../shared/lambda/logger.ts';
import { NODEGROUP_EVENT_NAMES, reconcileNodegroup } from '../../shared/capabilities/autoscaler/nodegroup-event.ts';

export type ClusterEventResult =
  | { status: 'reconciled'; cluster: string; results: ReconcileResult[] }
  | { status: 'ignored'; reason: string }
  | Deferral;

/**
 * EKS CreateCluster: reconcile the cluster once it is ready; CreateNodegroup / UpdateNodegroupConfig: tag the
 * node group's ASG once it exists and the update is applied. Not ready yet → deferred durably (RetryQueue).
 */
export async function onClusterEvent(raw: unknown, ctx: InvocationContext): Promise<ClusterEventResult> {
  const event = parseCloudTrailEvent(raw);
  assertServedRegion(event);
  if (isOwnChange(event, ctx.config.selfRoleArns)) return { status: 'ignored', reason: 'our own change' };
  if (event.detail.errorCode) return { status: 'ignored', reason: `failed call (${event.detail.errorCode})` };
  const clusterName = clusterNameOf(event);
  if (!clusterName) throw new InvalidEventError('EKS event names no cluster (requestParameters.name)');
  const nodegroupName = nodegroupNameOf(event);
  try {
    if (nodegroupName && NODEGROUP_EVENT_NAMES.has(event.detail.eventName)) {
      const trigger = { ...triggerOf(event, nodegroupName), ...(ctx.attempt ? { kind: 'retry' as const } : {}) };
      const outcome = await reconcileNodegroup(clusterName, nodegroupName, event.detail.eventName, trigger, ctx.config, EVENT_REGISTRY);
      if (outcome.status === 'ignored') return outcome;
      logger.info('reconciled node group', { cluster: clusterName, nodegroup: nodegroupName, findings: outcome.findings.length, actions: outcome.actions.length });
      return { status: 'reconciled', cluster: clusterName, results: [outcome] };
    }
    const result = await reconcile(
      { clusterName, checks: checksFor(EVENT_REGISTRY, 'cluster-created'), trigger: { ...triggerOf(event, clusterName), ...(ctx.attempt ? { kind: 'retry' as const } : {}) } },
      ctx.config,
      { registry: EVENT_REGISTRY },
    );
    // Said at the top level, as node group events do: a caller reading `status` must not see "reconciled".
    if (result.status !== 'reconciled') return { status: 'ignored', reason: result.reason ?? `cluster ${clusterName}: ${result.status}` };
    logger.info('reconciled', { cluster: clusterName, findings: result.findings.length, actions: result.actions.length });
    return { status: 'reconciled', cluster: clusterName, results: [result] };
  } catch (err) {
    if (err instanceof NotReadyError) return defer(raw, err, ctx);
    throw err;
  }
}

export const handler = lambdaHandler('on-cluster-event', onClusterEvent);
