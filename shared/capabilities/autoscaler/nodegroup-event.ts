import { describeAutoScalingGroupsByName } from '../../aws/autoscaling.ts';
import { describeNodegroup } from '../../aws/eks.ts';
import { ASG_NOT_FOUND } from './autoscaler-nodegroup-health.ts';
import { reconcile } from '../../engine/reconcile.ts';
import type { ReconcileResult } from '../../engine/result.ts';
import { NotReadyError } from '../../errors.ts';
import type { GuardrailsConfig, Registry, Trigger } from '../../types/index.ts';
import { checksFor } from '../../engine/registry.ts';

const GONE = new Set(['DELETING', 'DELETE_FAILED', 'CREATE_FAILED']);

/**
 * A node group was created or reconfigured: tag its ASG. The ASG may not exist yet (EKS creates it a little
 * later) and a config update is applied asynchronously (labels are final once the node group leaves UPDATING):
 * both throw NotReadyError, which the handler turns into a durable, delayed retry. A node group EKS reports
 * DEGRADED or with the health issue `AutoScalingGroupNotFound` lost its ASG: waiting cannot help, so the
 * reconcile runs at once and reports it (autoscaler-nodegroup-health.ts).
 */
export async function reconcileNodegroup(clusterName: string, nodegroupName: string, eventName: string, trigger: Trigger, config: GuardrailsConfig, registry: Registry): Promise<ReconcileResult | { status: 'ignored'; reason: string }> {
  const nodegroup = await describeNodegroup(clusterName, nodegroupName);
  if (!nodegroup) return { status: 'ignored', reason: `node group ${clusterName}/${nodegroupName} not found` };
  if (GONE.has(nodegroup.status ?? '')) return { status: 'ignored', reason: `node group ${nodegroupName} is ${nodegroup.status}` };
  if (eventName === 'UpdateNodegroupConfig' && nodegroup.status === 'UPDATING') {
    throw new NotReadyError(`node group ${nodegroupName} is UPDATING`, { cluster: clusterName, nodegroup: nodegroupName });
  }
  const lost = nodegroup.status === 'DEGRADED' || (nodegroup.healthIssues ?? []).some((i) => i.code === ASG_NOT_FOUND);
  if (nodegroup.autoScalingGroupNames.length === 0 && !lost) {
    throw new NotReadyError(`node group ${nodegroupName} has no Auto Scaling group yet`, { cluster: clusterName, nodegroup: nodegroupName });
  }
  const asgs = await describeAutoScalingGroupsByName(nodegroup.autoScalingGroupNames);
  const missing = nodegroup.autoScalingGroupNames.filter((n) => !asgs.some((a) => a.name === n));
  if (missing.length > 0 && !lost) {
    throw new NotReadyError(`Auto Scaling group ${missing.join(', ')} of node group ${nodegroupName} does not exist yet`, { cluster: clusterName, nodegroup: nodegroupName });
  }
  return reconcile(
    { clusterName, checks: checksFor(registry, 'nodegroup-changed'), trigger: { ...trigger, resourceId: nodegroupName }, focus: { type: 'nodegroup', id: nodegroupName } },
    config,
    { registry, hints: { autoScalingGroups: asgs, extra: { nodegroups: [nodegroup] } } },
  );
}
