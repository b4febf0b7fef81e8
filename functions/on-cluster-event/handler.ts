import { reconcileNodegroup } from '../../shared/capabilities/autoscaler/nodegroup-event.ts';
import { EVENT_REGISTRY } from '../../shared/capabilities/event-registry.ts';
import { reconcile } from '../../shared/engine/reconcile.ts';
import { checksFor } from '../../shared/engine/registry.ts';
import type { ReconcileResult } from '../../shared/engine/result.ts';
import { NotReadyError } from '../../shared/errors.ts';
import { parseCloudTrailEvent, triggerOf } from '../../shared/events/cloudtrail.ts';
import { routeClusterEvent } from '../../shared/events/cluster-event.ts';
import { assertServedRegion } from '../../shared/events/region.ts';
import { defer, type Deferral } from '../../shared/lambda/defer.ts';
import { lambdaHandler, type InvocationContext } from '../../shared/lambda/handler.ts';
import { logger } from '../../shared/lambda/logger.ts';

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
  const routing = routeClusterEvent(event, ctx.config.selfRoleArns);
  if (routing.kind === 'ignored') return { status: 'ignored', reason: routing.reason };
  const { clusterName } = routing;
  // A deferred event comes back with its attempt number: the trigger says it is a retry.
  const triggerOn = (resourceId: string) => ({ ...triggerOf(event, resourceId), ...(ctx.attempt ? { kind: 'retry' as const } : {}) });
  try {
    if (routing.route === 'nodegroup-changed') {
      const { nodegroupName } = routing;
      const outcome = await reconcileNodegroup(clusterName, nodegroupName, event.detail.eventName, triggerOn(nodegroupName), ctx.config, EVENT_REGISTRY);
      if (outcome.status === 'ignored') return outcome;
      logger.info('reconciled node group', { cluster: clusterName, nodegroup: nodegroupName, findings: outcome.findings.length, actions: outcome.actions.length });
      return { status: 'reconciled', cluster: clusterName, results: [outcome] };
    }
    const result = await reconcile({ clusterName, checks: checksFor(EVENT_REGISTRY, routing.route), trigger: triggerOn(clusterName) }, ctx.config, { registry: EVENT_REGISTRY });
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
