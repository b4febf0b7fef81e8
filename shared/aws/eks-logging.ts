import { UpdateClusterConfigCommand, type LogType } from '@aws-sdk/client-eks';
import { errorCode } from './errors.ts';
import type { WriteOutcome } from './ec2.ts';
import { describeCluster, eksClient } from './eks.ts';

/**
 * Enables control-plane log types on a cluster, only ever adding. Re-reads the cluster first (level-triggered:
 * a type someone enabled since the plan is not sent again) and sends the whole enabled set, so the request is
 * the same whether EKS merges or replaces the setting.
 */
export async function enableClusterLogging(clusterName: string, types: readonly string[]): Promise<WriteOutcome> {
  const cluster = await describeCluster(clusterName);
  if (!cluster) throw new Error(`cluster ${clusterName} no longer exists`);
  const enabled = new Set(cluster.loggingEnabledTypes ?? []);
  const missing = types.filter((t) => !enabled.has(t));
  if (missing.length === 0) return 'already-done';
  try {
    await eksClient().send(new UpdateClusterConfigCommand({
      name: clusterName,
      logging: { clusterLogging: [{ types: [...enabled, ...missing] as LogType[], enabled: true }] },
    }));
  } catch (err) {
    // One update at a time per cluster: another (an upgrade, an endpoint change) is under way. Say so; the
    // next sweep tries again. Not retryable now: retrying within this invocation would meet the same update.
    if (errorCode(err) === 'ResourceInUseException') {
      throw Object.assign(new Error(`cluster ${clusterName} has another update in progress; logging will be enabled on a later sweep`), { name: 'ClusterUpdateInProgress' });
    }
    // The permission is off by default on purpose (it also opens the API endpoint): say which switch grants it.
    if (errorCode(err) === 'AccessDeniedException') {
      throw Object.assign(new Error(`not allowed to update cluster ${clusterName}'s config: control-plane-logging=enforce needs eks:UpdateClusterConfig — stack parameter SweepEnableClusterLogging=true (member accounts: AllowClusterConfigUpdates=true in infra/member-role.yaml)`), { name: 'ClusterConfigUpdatesNotAllowed' });
    }
    throw err;
  }
  return 'applied';
}
