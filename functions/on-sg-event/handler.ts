import { describeSecurityGroup, describeSecurityGroups } from '../../shared/aws/ec2.ts';
import { EVENT_REGISTRY } from '../../shared/capabilities/event-registry.ts';
import { isLoadBalancerDeletion } from '../../shared/capabilities/nlb-headroom/lb-event.ts';
import { groupsOfDeletedNlb } from '../../shared/capabilities/nlb-headroom/lb-deleted.ts';
import { reconcile } from '../../shared/engine/reconcile.ts';
import { checksFor } from '../../shared/engine/registry.ts';
import type { ReconcileResult } from '../../shared/engine/result.ts';
import { isOwnChange, parseCloudTrailEvent, triggerOf, type CloudTrailEvent } from '../../shared/events/cloudtrail.ts';
import { assertServedRegion } from '../../shared/events/region.ts';
import { clustersOfGroup, routeSgEvent, securityGroupsOf } from '../../shared/events/sg-event.ts';
import { lambdaHandler, type InvocationContext } from '../../shared/lambda/handler.ts';
import { logger } from '../../shared/lambda/logger.ts';
import type { SecurityGroupState } from '../../shared/types/index.ts';

export interface SgEventResult {
  status: 'reconciled' | 'ignored';
  reason?: string;
  groups: string[];
  results: ReconcileResult[];
}

/**
 * CloudTrail security-group call (or NLB deletion) → its event route's checks → every cluster each group
 * belongs to, reconciled with the groups read so far handed on. A failed remediation fails the invocation,
 * so the event ends in the DLQ rather than vanishing.
 */
export async function onSgEvent(raw: unknown, { config }: InvocationContext): Promise<SgEventResult> {
  const event = parseCloudTrailEvent(raw);
  assertServedRegion(event);
  const ignored = (reason: string, groups: string[] = []): SgEventResult => {
    logger.info('ignored', { reason, eventId: event.id, eventName: event.detail.eventName });
    return { status: 'ignored', reason, groups, results: [] };
  };
  if (isOwnChange(event, config.selfRoleArns)) return ignored('our own change');
  const routing = routeSgEvent(event, isLoadBalancerDeletion(event));
  if (routing.kind === 'ignored') return ignored(routing.reason);
  const found = routing.route === 'load-balancer-deleted' ? await groupsOfDeletedNlb(event) : await groupsNamedBy(event);
  if ('ignored' in found) return ignored(found.ignored, found.groupIds);

  const checks = checksFor(EVENT_REGISTRY, routing.route);
  // Shared by the event's reconciles: what one reads for the region (the load balancers) the others reuse.
  const hints = { securityGroups: found.groups, extra: {} };
  const results: ReconcileResult[] = [];
  for (const sg of found.groups) {
    const clusters = clustersOfGroup(sg.tags);
    if (clusters.length === 0) logger.info('unrelated security group', { groupId: sg.groupId });
    const trigger = triggerOf(event, found.resourceId ?? sg.groupId);
    const focus = { type: 'security-group', id: sg.groupId };
    for (const clusterName of clusters) {
      results.push(await reconcile({ clusterName, checks, trigger, focus }, config, { registry: EVENT_REGISTRY, hints }));
    }
  }
  const groupIds = found.groups.map((g) => g.groupId);
  if (results.length === 0) return ignored('no cluster owns the security group', groupIds);
  const failed = results.flatMap((r) => r.actions).filter((a) => a.status === 'failed');
  if (failed.length > 0) throw new Error(`${failed.length} remediation(s) failed: ${failed.map((a) => a.reason).join('; ')}`);
  return { status: 'reconciled', groups: groupIds, results };
}

/** The groups a security-group call names, by id (one describe each) or by name (legacy calls). */
async function groupsNamedBy(event: CloudTrailEvent): Promise<{ resourceId?: string; groups: SecurityGroupState[] } | { ignored: string; groupIds: string[] }> {
  const { groupIds, groupNames } = securityGroupsOf(event);
  const groups: SecurityGroupState[] = [];
  for (const id of groupIds) {
    const sg = await describeSecurityGroup(id);
    if (sg) groups.push(sg);
  }
  if (groupNames.length > 0) groups.push(...(await describeSecurityGroups([{ Name: 'group-name', Values: groupNames }])));
  return groups.length > 0 ? { groups } : { ignored: 'security group not found', groupIds };
}

export const handler = lambdaHandler('on-sg-event', onSgEvent);
