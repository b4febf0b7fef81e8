import { reconcile } from '../../shared/engine/reconcile.ts';
import type { ReconcileResult } from '../../shared/engine/result.ts';
import { NotReadyError, InvalidEventError } from '../../shared/errors.ts';
import { clusterNameOf } from '../../shared/events/cluster-event.ts';
import { isOwnChange, parseCloudTrailEvent, triggerOf } from '../../shared/events/cloudtrail.ts';
import { defer, type Deferral } from '../../shared/lambda/defer.ts';
import { lambdaHandler, type InvocationContext } from '../../shared/lambda/handler.ts';
import { logger } from '../../shared/lambda/logger.ts';

export type ClusterEventResult =
  | { status: 'reconciled'; cluster: string; results: ReconcileResult[] }
  | { status: 'ignored'; reason: string }
  | Deferral;

/** EKS CreateCluster (and node group calls): reconcile the cluster once it is ready, deferring durably until then. */
export async function onClusterEvent(raw: unknown, ctx: InvocationContext): Promise<ClusterEventResult> {
  const event = parseCloudTrailEvent(raw);
  if (isOwnChange(event, ctx.config.selfRoleArns)) return { status: 'ignored', reason: 'our own change' };
  if (event.detail.errorCode) return { status: 'ignored', reason: `failed call (${event.detail.errorCode})` };
  const clusterName = clusterNameOf(event);
  if (!clusterName) throw new InvalidEventError('EKS event names no cluster (requestParameters.name)');
  try {
    const result = await reconcile({ clusterName, trigger: { ...triggerOf(event, clusterName), ...(ctx.attempt ? { kind: 'retry' as const } : {}) } }, ctx.config);
    logger.info('reconciled', { cluster: clusterName, findings: result.findings.length, actions: result.actions.length });
    return { status: 'reconciled', cluster: clusterName, results: [result] };
  } catch (err) {
    if (err instanceof NotReadyError) return defer(raw, err, ctx);
    throw err;
  }
}

export const handler = lambdaHandler('on-cluster-event', onClusterEvent);
