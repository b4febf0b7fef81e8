import { describeSecurityGroup, describeSecurityGroups } from '../../shared/aws/ec2.ts';
import { AUTOSCALER_CHECKS } from '../../shared/capabilities/autoscaler/routes.ts';
import { CHECKS } from '../../shared/capabilities/registry.ts';
import { reconcile } from '../../shared/engine/reconcile.ts';
import type { ReconcileResult } from '../../shared/engine/result.ts';
import { errorCodeOf, isOwnChange, parseCloudTrailEvent, triggerOf } from '../../shared/events/cloudtrail.ts';
import { clustersOfGroup, securityGroupsOf } from '../../shared/events/sg-event.ts';
import { deletedNlbOf, isLoadBalancerDeletion } from '../../shared/capabilities/nlb-headroom/lb-event.ts';
import { assertServedRegion } from '../../shared/events/region.ts';
import { parseNlbDescription } from '../../shared/capabilities/nlb-headroom/nlb-rules.ts';
import { lambdaHandler, type InvocationContext } from '../../shared/lambda/handler.ts';
import { logger } from '../../shared/lambda/logger.ts';
import type { SecurityGroupState } from '../../shared/types/index.ts';

/** Failed calls that are themselves a signal: the group is full, trim it now (nlb-rule-headroom). */
const FAILURES_THAT_TRIGGER: Record<string, string[]> = {
  RulesPerSecurityGroupLimitExceeded: ['nlb-rule-headroom'],
};

export interface SgEventResult {
  status: 'reconciled' | 'ignored';
  reason?: string;
  groups: string[];
  results: ReconcileResult[];
}

/** CloudTrail security-group call → the clusters whose groups it touched → reconcile each. */
export async function onSgEvent(raw: unknown, { config }: InvocationContext): Promise<SgEventResult> {
  const event = parseCloudTrailEvent(raw);
  assertServedRegion(event);
  const ignored = (reason: string, groups: string[] = []): SgEventResult => {
    logger.info('ignored', { reason, eventId: event.id, eventName: event.detail.eventName });
    return { status: 'ignored', reason, groups, results: [] };
  };
  if (isOwnChange(event, config.selfRoleArns)) return ignored('our own change');
  if (isLoadBalancerDeletion(event)) return onLoadBalancerDeleted(event, config, ignored);

  const failure = errorCodeOf(event);
  // A security-group call never concerns node group ASGs: leave the autoscaler checks (and their reads) out.
  const checks = failure ? FAILURES_THAT_TRIGGER[failure] : CHECKS.map((c) => c.name).filter((n) => !AUTOSCALER_CHECKS.includes(n));
  if (failure && !checks) return ignored(`failed call (${failure})`);

  const { groupIds, groupNames } = securityGroupsOf(event);
  const groups: SecurityGroupState[] = [];
  for (const id of groupIds) {
    const sg = await describeSecurityGroup(id);
    if (sg) groups.push(sg);
  }
  if (groupNames.length > 0) groups.push(...(await describeSecurityGroups([{ Name: 'group-name', Values: groupNames }])));
  if (groups.length === 0) return ignored('security group not found', groupIds);

  return reconcileGroups(groups, config, (sg) => ({ checks, trigger: triggerOf(event, sg.groupId) }), ignored);
}

/**
 * An NLB was deleted: its rules become candidates (the grace period starts now). The clusters to look
 * at are those whose provider-written groups carry rules for that lbName — one paginated describe of the
 * region's cluster-tagged groups finds them.
 */
async function onLoadBalancerDeleted(event: ReturnType<typeof parseCloudTrailEvent>, config: InvocationContext['config'], ignored: (reason: string, groups?: string[]) => SgEventResult): Promise<SgEventResult> {
  if (errorCodeOf(event)) return ignored(`failed call (${errorCodeOf(event)})`);
  const nlb = deletedNlbOf(event);
  if (!nlb) return ignored('not a Kubernetes-named NLB');
  const tagged = await describeSecurityGroups([{ Name: 'tag-key', Values: ['kubernetes.io/cluster/*'] }]);
  const groups = tagged.filter((g) => g.rules.some((r) => r.direction === 'ingress' && parseNlbDescription(r.description)?.lbName === nlb.lbName));
  if (groups.length === 0) return ignored(`no cluster security group holds rules of ${nlb.lbName}`);
  return reconcileGroups(groups, config, () => ({ checks: ['nlb-rule-headroom'], trigger: triggerOf(event, nlb.arn) }), ignored);
}

/**
 * Reconciles every cluster each group belongs to (the groups read so far are handed on as observations),
 * and fails the invocation when a remediation failed, so the event ends in the DLQ rather than vanishing.
 */
async function reconcileGroups(
  groups: SecurityGroupState[],
  config: InvocationContext['config'],
  target: (sg: SecurityGroupState) => { checks?: string[]; trigger: ReturnType<typeof triggerOf> },
  ignored: (reason: string, groups?: string[]) => SgEventResult,
): Promise<SgEventResult> {
  const results: ReconcileResult[] = [];
  for (const sg of groups) {
    const clusters = clustersOfGroup(sg.tags);
    if (clusters.length === 0) logger.info('unrelated security group', { groupId: sg.groupId });
    for (const clusterName of clusters) {
      results.push(await reconcile(
        { clusterName, ...target(sg), focus: { type: 'security-group', id: sg.groupId } },
        config,
        { hints: { securityGroups: groups } },
      ));
    }
  }
  if (results.length === 0) return ignored('no cluster owns the security group', groups.map((g) => g.groupId));
  const failed = results.flatMap((r) => r.actions).filter((a) => a.status === 'failed');
  if (failed.length > 0) throw new Error(`${failed.length} remediation(s) failed: ${failed.map((a) => a.reason).join('; ')}`);
  return { status: 'reconciled', groups: groups.map((g) => g.groupId), results };
}

export const handler = lambdaHandler('on-sg-event', onSgEvent);
