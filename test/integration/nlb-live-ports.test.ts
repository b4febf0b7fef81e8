import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, type SecurityGroupRule } from '@aws-sdk/client-ec2';
import { callLog } from '../../shared/aws/calls.ts';
import { containerCaches } from '../../shared/state/cache.ts';
import { elbv2Client, listTargetGroups } from '../../shared/aws/elbv2.ts';
import { STALE_SINCE_TAG } from '../../shared/capabilities/nlb-headroom/nlb-rules.ts';
import { handler } from '../../functions/on-sg-event/handler.ts';
import type { SgEventResult } from '../../functions/on-sg-event/handler.ts';
import { loadSample } from '../../dev/local/samples.ts';
import { seedClients } from '../../dev/local/scenario.ts';
import {
  DEAD_NLB, DEAD_NLB_2, backdateMarks, groupRules, newServiceRules, ruleKey, seedLiveService, seedNearFullGroup,
} from '../../dev/local/nlb-scenario.ts';
import { invokeHandler } from '../support/lambda.ts';
import { useMoto } from '../support/moto.ts';

const env = useMoto({ GUARDRAILS_CHECK_MODES: 'nlb-rule-headroom=enforce' });

/** A new Service whose NLB reuses the dead NLB's NodePort 32001 and its health-check NodePort 32002. */
const REUSER = 'a0c0ffee0c0ffee0c0ffee0c0ffee0c0';
const limitExceeded = (groupId: string) => loadSample('on-sg-event/authorize-rules-limit-exceeded.json', { groupId });
const headroom = (r: SgEventResult) => r.results.filter((x) => x.checks.includes('nlb-rule-headroom'));
const statuses = (r: SgEventResult) => headroom(r).flatMap((x) => x.actions.map((a) => `${a.action.kind}:${a.status}`));
const isDeadNlbMtu = (r: SecurityGroupRule) => r.IpProtocol === 'icmp' && Boolean(r.CidrIpv4?.startsWith('192.0.2.'));

async function authorizeNewService(groupId: string): Promise<string | undefined> {
  const { ec2 } = seedClients(env.moto);
  try {
    for (const p of newServiceRules()) await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [p] }));
    return undefined;
  } catch (err) {
    return (err as Error).name;
  }
}

/** Two looks a grace period apart (the first marks, the second revokes): what is gone afterwards. */
async function trim(groupId: string): Promise<{ gone: SecurityGroupRule[]; left: SecurityGroupRule[]; second: SgEventResult }> {
  const before = await groupRules(env.moto, groupId);
  await invokeHandler<SgEventResult>(handler, limitExceeded(groupId));
  await backdateMarks(env.moto, groupId, 660);
  const second = await invokeHandler<SgEventResult>(handler, limitExceeded(groupId));
  const left = await groupRules(env.moto, groupId);
  const ids = new Set(left.map((r) => r.SecurityGroupRuleId));
  return { gone: before.filter((r) => !ids.has(r.SecurityGroupRuleId)), left, second };
}

describe('nlb-rule-headroom keeps what live load balancers use (moto)', () => {
  it('a live NLB reusing a dead NLB\'s NodePort and health-check port keeps those rules and their MTU rules; the rest goes; the next Service fits', async () => {
    containerCaches.clear();
    const seeded = await seedNearFullGroup(env.moto, 'prod');
    await seedLiveService(seeded.elbv2, seeded, { name: REUSER, nodePort: 32001, healthCheckPort: '32002' });
    assert.equal(await authorizeNewService(seeded.groupId), 'RulesPerSecurityGroupLimitExceeded');

    const { gone, left, second } = await trim(seeded.groupId);
    assert.deepEqual(statuses(second), ['RevokeRules:applied']);
    const desc = (r: SecurityGroupRule) => `${r.Description}:${r.FromPort}`;
    // Gone: the dead NLB's client rules on NodePort 32000 (13 CIDRs) and the second dead NLB's two rules.
    assert.deepEqual([...new Set(gone.map(desc))].sort(), [
      `kubernetes.io/rule/nlb/client=${DEAD_NLB}:32000`, `kubernetes.io/rule/nlb/client=${DEAD_NLB_2}:32100`, `kubernetes.io/rule/nlb/health=${DEAD_NLB_2}:32100`,
    ].sort());
    assert.equal(gone.length, 15);
    // Kept: every rule on 32001 (client) and 32002 (health), whatever its CIDR, and the MTU rule of each CIDR they use.
    const keptClient = left.filter((r) => r.Description === `kubernetes.io/rule/nlb/client=${DEAD_NLB}`);
    assert.equal(keptClient.length, 13);
    assert.ok(keptClient.every((r) => r.FromPort === 32001));
    assert.equal(left.filter((r) => r.Description === `kubernetes.io/rule/nlb/health=${DEAD_NLB}`).length, 2);
    assert.equal(left.filter(isDeadNlbMtu).length, 12, 'the MTU rule of every CIDR a kept client rule uses');
    assert.ok(left.every((r) => !r.Tags?.some((t) => t.Key === STALE_SINCE_TAG)), 'nothing kept carries a stale mark');

    const finding = headroom(second)[0]!.findings.find((f) => f.id.endsWith(':stale'))!;
    const kept = finding.evidence.keptRules as { ruleId: string; reason: string; description: string }[];
    assert.equal(kept.length, 27);
    assert.ok(kept.some((k) => /^NodePort 32001 now serves live load balancer a0c0ffee0c0ffee0c0ffee0c0ffee0c0 \(traffic port of target group k8s-default-svc-32001\)$/.test(k.reason)), JSON.stringify(kept[0]));
    assert.ok(kept.some((k) => /^NodePort 32002 now serves live load balancer a0c0ffee.* \(health check port/.test(k.reason)));
    assert.ok(kept.some((k) => /^MTU rule for 192\.0\.2\.\d+\/32: kept client rule sgr-/.test(k.reason)));
    assert.equal(finding.evidence.ingressRulesAfterTrim, 45);

    assert.equal(await authorizeNewService(seeded.groupId), undefined, 'the trim still makes room for a new Service');
  });

  it('a target group no load balancer uses keeps nothing: the dead NLB\'s rules all go (what happened to every reused port before)', async () => {
    containerCaches.clear();
    const seeded = await seedNearFullGroup(env.moto, 'prod');
    await seedLiveService(seeded.elbv2, seeded, { name: REUSER, nodePort: 32001, healthCheckPort: '32002', attached: false });
    const { gone } = await trim(seeded.groupId);
    assert.deepEqual(gone.map(ruleKey).sort(), [...seeded.staleKeys].sort());
    assert.equal(gone.length, 42);
  });

  it('the target-group listing costs one call per page; any listing error deletes nothing and says why', async () => {
    containerCaches.clear();
    const seeded = await seedNearFullGroup(env.moto, 'prod');
    for (let i = 0; i < 5; i++) await seedLiveService(seeded.elbv2, seeded, { name: `a${String(i).repeat(31)}`, nodePort: 31100 + i });
    callLog.reset();
    const listing = await listTargetGroups(2);
    assert.deepEqual([listing.targetGroups.length, listing.pages], [5, 3]);
    assert.equal(callLog.count({ service: 'ElasticLoadBalancingV2', operation: 'DescribeTargetGroups' }), 3);

    // First look marks; one page of each listing, whatever the number of rules.
    callLog.reset();
    await invokeHandler<SgEventResult>(handler, limitExceeded(seeded.groupId));
    assert.equal(callLog.count({ service: 'ElasticLoadBalancingV2', operation: 'DescribeTargetGroups' }), 1);
    assert.equal(callLog.count({ service: 'ElasticLoadBalancingV2', operation: 'DescribeLoadBalancers' }), 1);

    // The grace period is over, but the role may not list target groups: nothing is deleted, the finding says why.
    await backdateMarks(env.moto, seeded.groupId, 3600);
    const before = await groupRules(env.moto, seeded.groupId);
    const stack = elbv2Client().middlewareStack as unknown as { add: (mw: unknown, o: object) => void; remove: (name: string) => boolean };
    stack.add((next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      if (context.commandName === 'DescribeTargetGroupsCommand') {
        throw Object.assign(new Error('User is not authorized to perform: elasticloadbalancing:DescribeTargetGroups'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
      }
      return next(args);
    }, { step: 'initialize', name: 'denyDescribeTargetGroups' });
    let denied: SgEventResult;
    try {
      denied = await invokeHandler<SgEventResult>(handler, limitExceeded(seeded.groupId));
    } finally {
      stack.remove('denyDescribeTargetGroups');
    }
    assert.equal(denied.status, 'reconciled');
    assert.deepEqual(statuses(denied), []);
    assert.equal((await groupRules(env.moto, seeded.groupId)).length, before.length);
    const finding = headroom(denied)[0]!.findings.find((f) => f.id.endsWith(':lookup-failed'))!;
    assert.match(String(finding.evidence.reason), /^DescribeTargetGroups failed \(AccessDenied: User is not authorized/);
  });

  it('a group that is neither the cluster SG nor opted in gets a report, never a planned revoke or mark', async () => {
    containerCaches.clear();
    const seeded = await seedNearFullGroup(env.moto, 'prod');
    const { ec2 } = seedClients(env.moto);
    const node = await ec2.send(new CreateSecurityGroupCommand({
      GroupName: 'prod-nodes', Description: 'self-managed nodes', VpcId: seeded.vpcId,
      TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'kubernetes.io/cluster/prod', Value: 'owned' }] }],
    }));
    const groupId = node.GroupId!;
    for (let i = 0; i < 55; i++) {
      await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 32000, ToPort: 32000, IpRanges: [{ CidrIp: `192.0.2.${i}/32`, Description: `kubernetes.io/rule/nlb/client=${DEAD_NLB}` }] }] }));
    }
    const before = await groupRules(env.moto, groupId);
    const first = await invokeHandler<SgEventResult>(handler, limitExceeded(groupId));
    await backdateMarks(env.moto, groupId, 3600);
    const second = await invokeHandler<SgEventResult>(handler, limitExceeded(groupId));
    for (const r of [first, second]) {
      assert.equal(r.status, 'reconciled', 'no failed remediation, no retry, no DLQ');
      assert.deepEqual(headroom(r).flatMap((x) => x.actions), []);
      const finding = headroom(r)[0]!.findings.find((f) => f.id.endsWith(':stale'))!;
      assert.match(finding.title, /not trimmed: the group is neither the EKS cluster security group nor tagged eks-guardrails\/nlb-trim=true/);
      assert.equal(finding.evidence.trimEligible, false);
    }
    assert.deepEqual((await groupRules(env.moto, groupId)).map((r) => [r.SecurityGroupRuleId, r.Tags ?? []]), before.map((r) => [r.SecurityGroupRuleId, r.Tags ?? []]));

    // Opted in: the same group is trimmed (mark, then revoke after the grace period).
    await ec2.send(new (await import('@aws-sdk/client-ec2')).CreateTagsCommand({ Resources: [groupId], Tags: [{ Key: 'eks-guardrails/nlb-trim', Value: 'true' }] }));
    assert.deepEqual(statuses(await invokeHandler<SgEventResult>(handler, limitExceeded(groupId))), ['TagSecurityGroupRules:applied']);
    await backdateMarks(env.moto, groupId, 660);
    assert.deepEqual(statuses(await invokeHandler<SgEventResult>(handler, limitExceeded(groupId))), ['RevokeRules:applied']);
    assert.equal((await groupRules(env.moto, groupId)).filter((r) => !r.IsEgress).length, 0);
  });

  it('a full group\'s failed egress Authorize does not force ingress trimming; a failed ingress Authorize does', async () => {
    containerCaches.clear();
    const seeded = await seedNearFullGroup(env.moto, 'prod', 56);
    await invokeHandler<SgEventResult>(handler, limitExceeded(seeded.groupId));
    await backdateMarks(env.moto, seeded.groupId, 3600);
    const egress = limitExceeded(seeded.groupId);
    (egress.detail as Record<string, unknown>).eventName = 'AuthorizeSecurityGroupEgress';
    const before = (await groupRules(env.moto, seeded.groupId)).length;
    const { withEnv } = await import('../support/moto.ts');
    const viaEgress = await withEnv({ GUARDRAILS_NLB_THRESHOLD_PERCENT: '99' }, () => invokeHandler<SgEventResult>(handler, egress));
    assert.deepEqual(statuses(viaEgress), []);
    assert.equal((await groupRules(env.moto, seeded.groupId)).length, before);
    const viaIngress = await withEnv({ GUARDRAILS_NLB_THRESHOLD_PERCENT: '99' }, () => invokeHandler<SgEventResult>(handler, limitExceeded(seeded.groupId)));
    assert.deepEqual(statuses(viaIngress), ['RevokeRules:applied']);
  });
});
