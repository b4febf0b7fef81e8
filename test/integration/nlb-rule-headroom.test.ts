import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthorizeSecurityGroupIngressCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { callLog } from '../../shared/aws/calls.ts';
import { sdkClients } from '../../shared/aws/client.ts';
import { listLoadBalancerNames } from '../../shared/aws/elbv2.ts';
import { containerCaches } from '../../shared/state/cache.ts';
import { STALE_SINCE_TAG } from '../../shared/capabilities/nlb-headroom/nlb-rules.ts';
import { handler } from '../../functions/on-sg-event/handler.ts';
import type { SgEventResult } from '../../functions/on-sg-event/handler.ts';
import { loadSample } from '../../dev/local/samples.ts';
import { seedClients, seedCluster } from '../../dev/local/scenario.ts';
import {
  DEAD_NLB, backdateMarks, groupRules, newServiceRules, ruleKey, seedNearFullGroup,
} from '../../dev/local/nlb-scenario.ts';
import { invokeHandler } from '../support/lambda.ts';
import { useMoto, withEnv } from '../support/moto.ts';
import { captureBus } from '../support/bus.ts';

const env = useMoto({ GUARDRAILS_CHECK_MODES: 'nlb-rule-headroom=enforce' });

const limitExceeded = (groupId: string) => loadSample('on-sg-event/authorize-rules-limit-exceeded.json', { groupId });
const headroomResults = (r: SgEventResult) => r.results.filter((x) => x.checks.includes('nlb-rule-headroom'));
const statuses = (r: SgEventResult) => headroomResults(r).flatMap((x) => x.actions.map((a) => `${a.action.kind}:${a.status}`));

async function snapshotRules(groupId: string) {
  return new Map((await groupRules(env.moto, groupId)).map((r) => [r.SecurityGroupRuleId!, r]));
}

async function authorizeNewService(groupId: string): Promise<string | undefined> {
  const { ec2 } = seedClients(env.moto);
  try {
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: newServiceRules().slice(0, 1) }));
    for (const p of newServiceRules().slice(1)) await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [p] }));
    return undefined;
  } catch (err) {
    return (err as Error).name;
  }
}

describe('nlb-rule-headroom on moto', () => {
  it('trims exactly the dead rules after two looks a grace period apart, and the next Service fits again', async () => {
    containerCaches.clear();
    const seeded = await seedNearFullGroup(env.moto, 'prod');
    const { groupId } = seeded;
    const before = await snapshotRules(groupId);
    assert.equal([...before.values()].filter((r) => !r.IsEgress).length, 60);
    assert.equal(await authorizeNewService(groupId), 'RulesPerSecurityGroupLimitExceeded');

    // First look (the failed Authorize's event): rules are marked, nothing is deleted.
    callLog.reset();
    const first = await invokeHandler<SgEventResult>(handler, limitExceeded(groupId));
    assert.deepEqual(statuses(first), ['TagSecurityGroupRules:applied']);
    assert.deepEqual(callLog.summary(), {
      'EC2.DescribeSecurityGroups': 1, 'EKS.DescribeCluster': 1, 'ServiceQuotas.GetServiceQuota': 1,
      'EC2.DescribeSecurityGroupRules': 1, 'ElasticLoadBalancingV2.DescribeLoadBalancers': 1,
      'ElasticLoadBalancingV2.DescribeTargetGroups': 1, 'EC2.CreateTags': 1,
    });
    const afterFirst = await snapshotRules(groupId);
    assert.deepEqual([...afterFirst.keys()].sort(), [...before.keys()].sort());
    const marked = [...afterFirst.values()].filter((r) => r.Tags?.some((t) => t.Key === STALE_SINCE_TAG)).map(ruleKey).sort();
    assert.deepEqual(marked, [...seeded.staleKeys].sort());

    // A second look right away: still within the grace period, still nothing deleted.
    callLog.reset();
    const again = await invokeHandler<SgEventResult>(handler, limitExceeded(groupId));
    assert.deepEqual(statuses(again), []);
    assert.equal(callLog.count({ mutating: true }), 0);
    assert.equal(callLog.all().length, 5, 'the quota is cached per container');
    assert.equal((await snapshotRules(groupId)).size, before.size);

    // The first look happened 11 minutes ago: the second look trims.
    await backdateMarks(env.moto, groupId, 660);
    callLog.reset();
    const second = await invokeHandler<SgEventResult>(handler, limitExceeded(groupId));
    assert.deepEqual(statuses(second), ['RevokeRules:applied']);
    assert.equal(callLog.count({ service: 'ElasticLoadBalancingV2', operation: 'DescribeLoadBalancers' }), 1, 'one page of load balancers for 42 rules');
    assert.equal(callLog.count({ service: 'ElasticLoadBalancingV2', operation: 'DescribeTargetGroups' }), 1, 'one page of target groups for 42 rules');
    assert.equal(callLog.count({ service: 'EC2', operation: 'RevokeSecurityGroupIngress' }), 1, 'one revoke call for the group');
    assert.equal(callLog.count({ mutating: true }), 1);
    assert.equal(callLog.all().length, 7, JSON.stringify(callLog.summary()));

    const after = await snapshotRules(groupId);
    const gone = [...before.values()].filter((r) => !after.has(r.SecurityGroupRuleId!)).map(ruleKey).sort();
    assert.deepEqual(gone, [...seeded.staleKeys].sort());
    assert.equal(gone.length, 42);
    for (const [id, rule] of after) {
      const was = before.get(id)!;
      assert.deepEqual({ ...rule, Tags: undefined }, { ...was, Tags: undefined }, `rule ${id} unchanged`);
    }
    assert.ok(after.size > 0 && [...after.values()].some((r) => r.Description === 'kubernetes.io/rule/nlb/client=my-old-service'));
    const finding = headroomResults(second)[0]!.findings.find((f) => f.id.endsWith(':stale'))!;
    assert.equal(finding.evidence.ingressRulesUsed, 60);
    assert.equal(finding.evidence.ingressRulesAfterTrim, 18);

    assert.equal(await authorizeNewService(groupId), undefined, 'the new Service\'s rules fit');
  });

  it('with GUARDRAILS_NLB_GRACE_SECONDS=0 trims on the one look that proves the NLBs absent', async () => {
    containerCaches.clear();
    const seeded = await seedNearFullGroup(env.moto, 'prod');
    const before = await snapshotRules(seeded.groupId);
    const result = await withEnv({ GUARDRAILS_NLB_GRACE_SECONDS: '0' }, () => invokeHandler<SgEventResult>(handler, limitExceeded(seeded.groupId)));
    // No mark: with no grace period there is no first look to record, so the revoke is the only write.
    assert.deepEqual(statuses(result), ['RevokeRules:applied']);
    const after = await snapshotRules(seeded.groupId);
    const gone = [...before.values()].filter((r) => !after.has(r.SecurityGroupRuleId!)).map(ruleKey).sort();
    assert.deepEqual(gone, [...seeded.staleKeys].sort());
  });

  it('deletes nothing when the load balancer lookup fails: a transient failure fails the invocation (retried), a permanent one says why', async () => {
    containerCaches.clear();
    const { groupId } = await seedNearFullGroup(env.moto, 'prod');
    await invokeHandler<SgEventResult>(handler, limitExceeded(groupId));
    await backdateMarks(env.moto, groupId, 3600);
    const before = await snapshotRules(groupId);
    // Unreachable endpoint: transient, so the invocation fails and EventBridge retries it.
    await withEnv({ AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: 'http://127.0.0.1:1' }, async () => {
      sdkClients.clear();
      try {
        await assert.rejects(invokeHandler<SgEventResult>(handler, limitExceeded(groupId)), /ECONNREFUSED|connect/);
      } finally {
        sdkClients.clear();
      }
    });
    assert.equal((await snapshotRules(groupId)).size, before.size);
    // Access denied: permanent, reported, nothing deleted.
    const elbv2 = mockClient(ElasticLoadBalancingV2Client);
    elbv2.on(DescribeLoadBalancersCommand).rejects(Object.assign(new Error('not authorized to perform elasticloadbalancing:DescribeLoadBalancers'), { name: 'AccessDenied' }));
    let result: SgEventResult;
    try {
      result = await invokeHandler<SgEventResult>(handler, limitExceeded(groupId));
    } finally {
      elbv2.restore();
    }
    assert.deepEqual(statuses(result), []);
    assert.equal((await snapshotRules(groupId)).size, before.size);
    const finding = headroomResults(result)[0]!.findings.find((f) => f.id.endsWith(':lookup-failed'));
    assert.ok(finding, 'a finding explains why nothing was trimmed');
    assert.match(String(finding.evidence.reason), /DescribeLoadBalancers failed \(AccessDenied/);
    assert.match(finding.title, /could not prove/);
  });

  it('keeps the rules of an NLB deleted moments ago (the DeleteLoadBalancer event starts the grace period)', async () => {
    containerCaches.clear();
    const { groupId, elbv2, subnetIds } = await seedNearFullGroup(env.moto, 'prod', 58);
    const name = 'a77777777777777777777777777777ab';
    const lb = await elbv2.send(new CreateLoadBalancerCommand({ Name: name, Type: 'network', Subnets: subnetIds }));
    const { ec2 } = seedClients(env.moto);
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [
      { IpProtocol: 'tcp', FromPort: 31777, ToPort: 31777, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: `kubernetes.io/rule/nlb/client=${name}` }] }] }));
    const arn = lb.LoadBalancers![0]!.LoadBalancerArn!.replace('/app/', '/net/');
    await elbv2.send(new (await import('@aws-sdk/client-elastic-load-balancing-v2')).DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancers![0]!.LoadBalancerArn! }));
    const event = loadSample('on-sg-event/delete-nlb.json');
    (event.detail as { requestParameters: Record<string, string> }).requestParameters.loadBalancerArn = arn;
    const result = await invokeHandler<SgEventResult>(handler, event);
    assert.equal(result.status, 'reconciled');
    assert.deepEqual(result.groups, [groupId]);
    assert.deepEqual(statuses(result), ['TagSecurityGroupRules:applied']);
    assert.equal(headroomResults(result)[0]!.findings[0]!.evidence.deletedLoadBalancer, name);
    const rules = await groupRules(env.moto, groupId);
    const fresh = rules.find((r) => r.Description === `kubernetes.io/rule/nlb/client=${name}`);
    assert.ok(fresh, 'the just-orphaned rule survives the first pass');
    assert.ok(fresh.Tags?.some((t) => t.Key === STALE_SINCE_TAG));
    // A second pass moments later (the group filling up) still keeps it.
    await invokeHandler<SgEventResult>(handler, limitExceeded(groupId));
    assert.ok((await groupRules(env.moto, groupId)).some((r) => r.SecurityGroupRuleId === fresh.SecurityGroupRuleId));

    // An hour on, the same NLB is deleted again (the provider had re-created it meanwhile): the older
    // rules go, but the clock of this NLB's rules starts over.
    await backdateMarks(env.moto, groupId, 3600);
    const replayedAt = Date.now();
    const replay = await invokeHandler<SgEventResult>(handler, event);
    assert.deepEqual(statuses(replay).sort(), ['RevokeRules:applied', 'TagSecurityGroupRules:applied']);
    const left = await groupRules(env.moto, groupId);
    const kept = left.find((r) => r.SecurityGroupRuleId === fresh.SecurityGroupRuleId);
    assert.ok(kept, 'the re-deleted NLB\'s rule survives');
    const since = Date.parse(kept.Tags!.find((t) => t.Key === STALE_SINCE_TAG)!.Value!);
    // Ordered against the moment of the replay, not against a time budget: a busy machine can't fail it.
    assert.ok(since >= replayedAt, `its mark was reset to the replay's look (${new Date(since).toISOString()})`);
    assert.equal(left.filter((r) => r.Description?.includes(DEAD_NLB)).length, 0);
  });

  it('one NLB deletion touching the groups of two clusters lists the region\'s load balancers once', async () => {
    const prod = await seedNearFullGroup(env.moto, 'prod');
    const dev = await seedNearFullGroup(env.moto, 'dev');
    const event = loadSample('on-sg-event/delete-nlb.json');
    (event.detail as { requestParameters: Record<string, string> }).requestParameters.loadBalancerArn =
      `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/${DEAD_NLB}/0123456789abcdef`;
    callLog.reset();
    const result = await invokeHandler<SgEventResult>(handler, event);
    assert.deepEqual([...result.groups].sort(), [prod.groupId, dev.groupId].sort());
    assert.equal(headroomResults(result).length, 2);
    assert.equal(callLog.count({ operation: 'DescribeLoadBalancers' }), 1);
    assert.equal(callLog.count({ operation: 'DescribeTargetGroups' }), 1);
  });

  it('dry-run makes zero writes and the published plan lists each rule with its reason', async () => {
    containerCaches.clear();
    const { groupId } = await seedNearFullGroup(env.moto, 'prod');
    await invokeHandler<SgEventResult>(handler, limitExceeded(groupId));
    await backdateMarks(env.moto, groupId, 3600);
    const before = await snapshotRules(groupId);
    const bus = await captureBus(env.moto);
    callLog.reset();
    await withEnv({ GUARDRAILS_MODE: 'dry-run', GUARDRAILS_EVENT_BUS: bus.busName }, () => invokeHandler<SgEventResult>(handler, limitExceeded(groupId)));
    assert.equal(callLog.count({ mutating: true, service: 'EC2' }), 0);
    assert.deepEqual(Object.keys(callLog.summary()).filter((k) => !k.includes('.Describe') && !k.includes('.Get')), ['EventBridge.PutEvents']);
    assert.deepEqual([...(await snapshotRules(groupId)).entries()].map(([k, r]) => [k, r.Tags]), [...before.entries()].map(([k, r]) => [k, r.Tags]));
    const published = await bus.drain();
    const planned = published.find((e) => e['detail-type'] === 'Remediation Planned' && String(e.detail.findingId).endsWith(':stale'))!;
    assert.ok(planned, 'the plan is published');
    assert.equal(planned.detail.mode, 'dry-run');
    const detail = planned.detail as unknown as { actions: { kind: string; status: string; reason: string; before: { rules: { ruleId: string; reason: string; description: string }[] } }[] };
    const revoke = detail.actions.find((a) => a.kind === 'RevokeRules')!;
    assert.deepEqual([revoke.status, revoke.reason], ['planned', 'dry-run']);
    assert.equal(revoke.before.rules.length, 42);
    for (const r of revoke.before.rules) {
      assert.match(r.ruleId, /^sgr-/);
      assert.match(r.reason, /does not exist|no remaining client rule/);
    }
    assert.ok(revoke.before.rules.some((r) => r.description === `kubernetes.io/rule/nlb/mtu=${DEAD_NLB}` && /legacy MTU/.test(r.reason)));
  });

  it('reports the live rules and the ways out when the group is full and nothing is stale', async () => {
    containerCaches.clear();
    const { groupId } = await seedNearFullGroup(env.moto, 'prod');
    // Only keep the live NLB's rules and the person's: revoke the dead ones by hand first.
    const { ec2 } = seedClients(env.moto);
    const dead = (await groupRules(env.moto, groupId)).filter((r) => /=a(dead|0ddb)/.test(r.Description ?? '') || (r.IpProtocol === 'icmp' && r.CidrIpv4?.startsWith('192.0.2.')));
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: dead.map((r) => r.SecurityGroupRuleId!) }));
    for (let i = 0; i < 40; i++) {
      await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 9000 + i, ToPort: 9000 + i, IpRanges: [{ CidrIp: `198.18.0.${i}/32`, Description: 'team-b' }] }] }));
    }
    const result = await invokeHandler<SgEventResult>(handler, limitExceeded(groupId));
    assert.deepEqual(statuses(result), []);
    const finding = headroomResults(result)[0]!.findings.find((f) => f.id.endsWith(':no-headroom'))!;
    assert.ok(finding);
    assert.deepEqual(Object.keys(finding.evidence.liveRulesByNlb as object), ['a1b2c3d4e5f60718293a4b5c6d7e8f90']);
    assert.equal(finding.evidence.servicesThatFit, 0);
    assert.match(finding.fixHint, /L-0EA8095F/);
    assert.match(finding.fixHint, /Load Balancer Controller/);
  });

  it('keeps a no-op security-group event cheap and the baseline repair at three calls', async () => {
    containerCaches.clear();
    const cluster = await seedCluster(env.moto, 'prod');
    const groupId = cluster.clusterSecurityGroupId;
    const { ec2 } = seedClients(env.moto);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId }] }] }));
    const event = loadSample('on-sg-event/revoke-self-rule.json', { groupId, clusterName: 'prod' });
    callLog.reset();
    await invokeHandler<SgEventResult>(handler, event);
    assert.equal(callLog.all().length, 3, JSON.stringify(callLog.summary()));
    callLog.reset();
    await invokeHandler<SgEventResult>(handler, event);
    assert.equal(callLog.all().length, 2, JSON.stringify(callLog.summary()));
  });

  it('a successful Authorize that brings a group to the threshold starts the grace clock; one below it costs nothing extra', async () => {
    containerCaches.clear();
    const { groupId } = await seedNearFullGroup(env.moto, 'prod', 52);
    callLog.reset();
    const result = await invokeHandler<SgEventResult>(handler, loadSample('on-sg-event/authorize-flat-legacy.json', { groupId }));
    assert.deepEqual(statuses(result), ['TagSecurityGroupRules:applied']);
    assert.equal(callLog.count({ service: 'ElasticLoadBalancingV2' }), 2, 'one page of load balancers, one of target groups');

    const small = await seedCluster(env.moto, 'small');
    callLog.reset();
    const quiet = await invokeHandler<SgEventResult>(handler, loadSample('on-sg-event/authorize-flat-legacy.json', { groupId: small.clusterSecurityGroupId }));
    assert.deepEqual(statuses(quiet), []);
    assert.deepEqual(callLog.summary(), { 'EC2.DescribeSecurityGroups': 1, 'EKS.DescribeCluster': 1 });
  });

  it('lists load balancers by page: calls grow with pages', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const { config } = seedClients(env.moto);
    const elbv2 = new (await import('@aws-sdk/client-elastic-load-balancing-v2')).ElasticLoadBalancingV2Client(config);
    for (let i = 0; i < 5; i++) await elbv2.send(new CreateLoadBalancerCommand({ Name: `a${String(i).repeat(31)}`, Type: 'network', Subnets: cluster.subnetIds }));
    callLog.reset();
    const listing = await listLoadBalancerNames(2);
    assert.equal(listing.names.length, 5);
    assert.equal(listing.pages, 3);
    assert.equal(callLog.count({ service: 'ElasticLoadBalancingV2' }), 3);
  });
});
