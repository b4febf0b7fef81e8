import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import { AuthorizeSecurityGroupIngressCommand, CreateTagsCommand, DescribeSecurityGroupRulesCommand } from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { STALE_SINCE_TAG } from '../../shared/capabilities/nlb-headroom/nlb-rules.ts';
import { DEAD_NLB, DEAD_NLB_2, LIVE_NLB } from '../../dev/local/nlb-scenario.ts';
import { sdkClients } from '../../shared/aws/client.ts';
import { containerCaches } from '../../shared/state/cache.ts';
import { loadSample } from '../../dev/local/samples.ts';
import { seedClients, seedCluster } from '../../dev/local/scenario.ts';
import { handler as onSgEvent } from '../../functions/on-sg-event/handler.ts';
import { captureBus, type CapturedEvent } from '../support/bus.ts';
import { FaultProxy, type AwsCall, type FaultKind } from '../support/fault-proxy.ts';
import { runFaultMatrix, type FaultScenario, type MatrixReport } from '../support/fault-matrix.ts';
import { invokeHandler } from '../support/lambda.ts';
import { useMoto, withEnv } from '../support/moto.ts';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { asSqsEvent } from '../../dev/cli/lambda-context.ts';
import { asgTags, seedManagedNodegroup, seedSelfManagedAsg } from '../../dev/local/autoscaler-scenario.ts';
import { seedNotify } from '../../dev/local/notify-setup.ts';
import { SlackSink } from '../../dev/local/slack-sink.ts';
import { handler as notifyHandler } from '../../functions/notify/handler.ts';
import { handler as sweepHandler } from '../../functions/sweep/handler.ts';
import { handler as onClusterEvent } from '../../functions/on-cluster-event/handler.ts';
import { handler as onAsgEvent } from '../../functions/on-asg-event/handler.ts';

const BUS = 'eks-guardrails-faults';
const env = useMoto({ GUARDRAILS_EVENT_BUS: BUS });
let proxy: FaultProxy;
const reports: MatrixReport[] = [];
/** (service, fault kind) pairs run so far in this file: see kindsFor. */
const covered = new Set<string>();

async function freshAccount(): Promise<void> {
  await env.moto.reset();
  containerCaches.clear();
}

/** Rules of a group as a person would compare them: what they allow, their description and tags; ids left out. */
async function groupState(groupId: string) {
  const { ec2 } = seedClients(env.moto);
  const out = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }));
  return (out.SecurityGroupRules ?? []).map((r) => [
    r.IsEgress ? 'egress' : 'ingress', r.IpProtocol, r.FromPort, r.ToPort,
    r.CidrIpv4 ?? r.CidrIpv6 ?? (r.ReferencedGroupInfo?.GroupId === groupId ? 'itself' : r.ReferencedGroupInfo?.GroupId) ?? r.PrefixListId, r.Description ?? '',
    // A stale mark holds the time of the look that wrote it: a retry's look is later than the first delivery's.
    Object.fromEntries((r.Tags ?? []).map((t) => [t.Key, t.Key === STALE_SINCE_TAG && !Number.isNaN(Date.parse(t.Value ?? '')) ? 'marked' : t.Value])),
  ].map((x) => (x === undefined ? '' : x))).map((x) => JSON.stringify(x)).sort();
}

/** What the bus carried: detail-type and finding (ids and times left out). */
function notices(events: CapturedEvent[]): string[] {
  return events.map((e) => `${e['detail-type']} ${String((e.detail as { findingId?: string }).findingId ?? '').replace(/sg-[0-9a-f]{8,}/g, 'sg-*').replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/g, '<uuid>')}`).sort();
}

/**
 * The one way a retry may differ from the fault-free run. Result events are published after the writes,
 * by the invocation that made them: when the fault comes after a write landed (a later write or the
 * PutEvents failing, or the write's own answer dropped), the invocation fails and the retry finds those
 * resources already right, so it does not announce them again. The resources must still be exactly the
 * fault-free ones, and the retry may publish only what the fault-free run publishes or what a duplicate
 * delivery on the converged state publishes.
 */
function noticesMayBeLost({ call, kind, state, reference, echo, calls }: { call: AwsCall; kind: FaultKind; state: unknown; reference: unknown; echo: unknown; calls: readonly AwsCall[] }): string | undefined {
  const after = state as { notices: string[] };
  const ref = reference as { notices: string[] };
  const firstWrite = calls.find((c) => c.mutating && c.operation !== 'PutEvents')?.n ?? Infinity;
  const afterALandedWrite = call.n > firstWrite || (kind === 'drop-response' && call.mutating);
  if (!afterALandedWrite) return undefined;
  assert.deepEqual({ ...after, notices: [] }, { ...ref, notices: [] }, 'the resources converge exactly');
  const allowedNotices = new Set([...ref.notices, ...(echo as { notices: string[] }).notices]);
  assert.ok(after.notices.every((n) => allowedNotices.has(n)), `only notices a fault-free run publishes: ${after.notices.join('; ')}`);
  return 'converged; notice lost with the answer';
}

async function record<C>(scenario: FaultScenario<C>): Promise<MatrixReport> {
  const r = await runFaultMatrix(proxy, freshAccount, scenario, covered);
  reports.push(r);
  assert.deepEqual(r.failures, [], `${r.failures.length} of ${r.cases.length} cases did not converge:\n${r.failures.join('\n')}`);
  return r;
}

describe('every fault converges', () => {
  before(async () => {
    proxy = await FaultProxy.start(env.moto.endpoint);
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    sdkClients.clear();
  });
  after(async () => {
    await proxy?.stop();
    const cases = reports.flatMap((r) => r.cases);
    const outcomes = (r: MatrixReport) => {
    const counts = new Map<string, number>();
    for (const c of r.cases) counts.set(c.outcome.split(':')[0]!, (counts.get(c.outcome.split(':')[0]!) ?? 0) + 1);
    return [...counts].map(([o, n]) => `${n} ${o}`).join(', ');
  };
  const line = (r: MatrixReport) => `${r.scenario}: ${r.calls.length} calls [${r.calls.join(', ')}], ${r.cases.length} cases (${r.cases.filter((c) => c.firstRun === 'failed').length} failed first; ${outcomes(r)}), ${r.ms} ms${r.cases.filter((c) => c.outcome !== 'converged').map((c) => `\n  ${c.k} ${c.call} ${c.kind}: ${c.outcome.slice(0, 120)}`).join('')}`;
    if (process.env.FAULT_MATRIX_REPORT) console.log([...reports.map(line), `total ${cases.length} cases`].join('\n'));
  });

  it('cluster SG repair (on-sg-event)', async () => {
    const r = await record({
      name: 'sg-repair',
      async seed() {
        const cluster = await seedCluster(env.moto, 'prod', { withoutSelfRule: true });
        const bus = await captureBus(env.moto, BUS);
        return { groupId: cluster.clusterSecurityGroupId, bus, seen: [] as CapturedEvent[], event: loadSample('on-sg-event/revoke-self-rule.json', { groupId: cluster.clusterSecurityGroupId }) };
      },
      async invoke(c) { await invokeHandler(onSgEvent, c.event); },
      allowed: noticesMayBeLost,
      async state(c) {
        c.seen.push(...(await c.bus.drain()));
        return { rules: await groupState(c.groupId), notices: notices(c.seen) };
      },
    });
    assert.deepEqual(r.calls, ['ec2.DescribeSecurityGroups', 'eks.GET /clusters/{}', 'ec2.AuthorizeSecurityGroupIngress', 'events.PutEvents']);
  });

  for (const grace of [0, 600]) {
    it(`NLB trim, grace ${grace} s (on-sg-event, a full group's failed Authorize)`, async () => {
      const r = await record({
        name: `nlb-trim-grace-${grace}`,
        async seed() {
          const seeded = await seedFullGroup(grace);
          const bus = await captureBus(env.moto, BUS);
          return { ...seeded, bus, seen: [] as CapturedEvent[], event: loadSample('on-sg-event/authorize-rules-limit-exceeded.json', { groupId: seeded.groupId }) };
        },
        async invoke(c, attempt) {
          await atTime(T0 + attempt * RETRY_AFTER_MS, () => withEnv(TRIM_ENV(grace), () => invokeHandler(onSgEvent, c.event)));
        },
        async state(c) {
          c.seen.push(...(await c.bus.drain()));
          return { rules: await groupState(c.groupId), notices: notices(c.seen) };
        },
        allowed: noticesMayBeLost,
      });
      const writes = r.calls.filter((c) => /CreateTags|DeleteTags|Revoke/.test(c));
      assert.deepEqual(writes, grace === 0
        ? ['ec2.RevokeSecurityGroupIngress']
        : ['ec2.RevokeSecurityGroupIngress', 'ec2.CreateTags', 'ec2.DeleteTags']);
    });
  }

  it('autoscaler tags (on-asg-event: an SQS batch of launches; failed records come back alone)', async () => {
    const r = await record({
      name: 'autoscaler-tags',
      async seed() {
        containerCaches.clear();
        const cluster = await seedCluster(env.moto, 'prod');
        const { asgName } = await seedManagedNodegroup(env.moto, cluster, {
          name: 'gpu', labels: { role: 'gpu' }, taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }], minSize: 0, diskSize: 100,
        });
        const selfManaged: string = await seedSelfManagedAsg(env.moto, cluster, 'batch-jobs');
        const bus = await captureBus(env.moto, BUS);
        const pending = [asgName, selfManaged].map((name) => loadSample('on-asg-event/instance-launch.json', { asgName: name, id: `launch-${name}` }));
        return { asgs: [asgName, selfManaged], bus, seen: [] as CapturedEvent[], events: pending, pending };
      },
      async invoke(c) {
        // Nothing pending (after a success) means a duplicate delivery of the whole batch.
        const batch = asSqsEvent(c.pending.length > 0 ? c.pending : c.events, 'asg-event-queue');
        const out = await invokeHandler<{ batchItemFailures: { itemIdentifier: string }[] }>(onAsgEvent, batch);
        const failed = new Set(out.batchItemFailures.map((f) => f.itemIdentifier));
        // SQS redelivers the records the batch reported failed, and only those.
        c.pending = batch.Records.filter((rec) => failed.has(rec.messageId)).map((rec) => JSON.parse(rec.body) as Record<string, unknown>);
        if (failed.size > 0) throw new Error(`${failed.size} record(s) failed`);
      },
      async state(c) {
        c.seen.push(...(await c.bus.drain()));
        const tags = await Promise.all(c.asgs.map(async (name) => (await asgTags(env.moto, name)).map((t) => `${t.key}=${t.value}${t.propagateAtLaunch ? ' (propagated)' : ''}`)));
        return { tags, notices: notices(c.seen) };
      },
      allowed: noticesMayBeLost,
    });
    assert.ok(r.calls.includes('autoscaling.CreateOrUpdateTags'), r.calls.join());
  });

  it('autoscaler tags (on-cluster-event: CreateNodegroup, straight from EventBridge)', async () => {
    const r = await record({
      name: 'nodegroup-tags',
      async seed() {
        const cluster = await seedCluster(env.moto, 'prod');
        const { asgName } = await seedManagedNodegroup(env.moto, cluster, {
          name: 'gpu', labels: { role: 'gpu' }, taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }], minSize: 0, diskSize: 100,
        });
        const bus = await captureBus(env.moto, BUS);
        return { asgName, bus, seen: [] as CapturedEvent[], event: loadSample('on-cluster-event/create-nodegroup.json') };
      },
      async invoke(c) { await invokeHandler(onClusterEvent, c.event); },
      async state(c) {
        c.seen.push(...(await c.bus.drain()));
        return { tags: (await asgTags(env.moto, c.asgName)).map((t) => `${t.key}=${t.value}${t.propagateAtLaunch ? ' (propagated)' : ''}`), notices: notices(c.seen) };
      },
      allowed: noticesMayBeLost,
    });
    assert.ok(r.calls.includes('autoscaling.CreateOrUpdateTags'), r.calls.join());
  });

  it('notify (Slack post, at most once per event id through the idempotency table)', async () => {
    const sink = await SlackSink.start();
    try {
      const r = await record({
        name: 'notify',
        async seed() {
          containerCaches.clear();
          sink.reset();
          const { secretArn, table } = await seedNotify(env.moto, sink.url);
          return { env: { SLACK_WEBHOOK_SECRET_ARN: secretArn, GUARDRAILS_IDEMPOTENCY_TABLE: table, GUARDRAILS_SLACK_INTERVAL_MS: '1' }, table, event: loadSample('notify/remediation-applied.json') };
        },
        async invoke(c, attempt) {
          // A retry comes after the Lambda timeout: an idempotency record left "in progress" has expired by then.
          await atTime(T0 + attempt * NOTIFY_RETRY_AFTER_MS, () => withEnv(c.env, () => invokeHandler(notifyHandler, c.event, 'notify')));
        },
        async state(c) {
          return { slackPosts: sink.delivered().length, idempotency: await idempotencyRecords(c.table) };
        },
        allowed: ({ call, kind, state, reference }) => {
          // At least once: a fault on the write that completes the idempotency record, after the post, leaves
          // it "in progress"; once that expires the retry posts again.
          const after = state as { slackPosts: number; idempotency: string[] };
          const completing = call.service === 'dynamodb' && call.operation === 'UpdateItem';
          if (!completing) return undefined;
          assert.deepEqual({ ...after, slackPosts: 1 }, reference, `${kind}: the record completes`);
          assert.ok(after.slackPosts <= 2, 'posted at most twice');
          return after.slackPosts === 2 ? 'converged; posted twice (at least once)' : 'converged';
        },
      });
      assert.ok(r.calls.some((c) => c.startsWith('dynamodb.')), r.calls.join());
    } finally {
      await sink.stop();
    }
  });

  it('a small enforcing sweep (in-process: clusters, prefetch, fixes, digest)', async () => {
    const r = await record({
      name: 'sweep',
      async seed() {
        const cluster = await seedCluster(env.moto, 'prod', { withoutSelfRule: true });
        const selfManaged: string = await seedSelfManagedAsg(env.moto, cluster, 'batch-jobs');
        const bus = await captureBus(env.moto, BUS);
        return { groupId: cluster.clusterSecurityGroupId, asg: selfManaged, bus, seen: [] as CapturedEvent[] };
      },
      async invoke() {
        // Without a clock: the sweep's own backoff (runPool) retries a throttled cluster in-process.
        await invokeHandler(sweepHandler, { phase: 'start' }, 'sweep');
      },
      async state(c) {
        c.seen.push(...(await c.bus.drain()));
        const tags = (await asgTags(env.moto, c.asg)).map((t) => `${t.key}=${t.value}`);
        return { rules: await groupState(c.groupId), tags, notices: notices(c.seen) };
      },
      allowed: noticesMayBeLost,
    });
    assert.ok(r.calls.includes('eks.GET /clusters'), r.calls.join());
  });
});

/** The clock the product reads (Date), fixed for one invocation: a retry comes later than the first delivery. */
const T0 = Date.parse('2026-11-26T08:00:00Z');
const RETRY_AFTER_MS = 90_000;
const NOTIFY_RETRY_AFTER_MS = 16 * 60_000;

async function idempotencyRecords(table: string): Promise<string[]> {
  const { config } = seedClients(env.moto);
  const out = await new DynamoDBClient(config).send(new ScanCommand({ TableName: table }));
  return (out.Items ?? []).map((i) => `${i.id?.S?.replace(/#.*/, '')} ${i.status?.S}`).sort();
}
async function atTime<T>(now: number, fn: () => Promise<T>): Promise<T> {
  mock.timers.enable({ apis: ['Date'], now });
  try {
    return await fn();
  } finally {
    mock.timers.reset();
  }
}

const TRIM_ENV = (grace: number) => ({ GUARDRAILS_CHECK_MODES: 'nlb-rule-headroom=enforce', GUARDRAILS_NLB_GRACE_SECONDS: String(grace) });

/**
 * A cluster SG at its 60 inbound rules (one Authorize call, to keep each case cheap): a live NLB's rules
 * and a person's, a dead NLB's rules and the shared MTU rule only they use. With a grace period the dead
 * NLB's rules were marked long ago (revoked now), a second dead NLB's rules are unmarked (marked now) and a
 * live NLB's rule carries a stale mark (cleared now).
 */
async function seedFullGroup(grace: number) {
  const cluster = await seedCluster(env.moto, 'prod');
  const { ec2, config } = seedClients(env.moto);
  const groupId = cluster.clusterSecurityGroupId;
  await new ElasticLoadBalancingV2Client(config).send(new CreateLoadBalancerCommand({ Name: LIVE_NLB, Type: 'network', Scheme: 'internet-facing', Subnets: cluster.subnetIds }));
  const perm = (protocol: string, port: number, cidr: string, description: string) =>
    ({ IpProtocol: protocol, FromPort: protocol === 'icmp' ? 3 : port, ToPort: protocol === 'icmp' ? 4 : port, IpRanges: [{ CidrIp: cidr, Description: description }] });
  const dead = Array.from({ length: 10 }, (_, i) => `192.0.2.${i}/32`);
  const permissions = [
    perm('tcp', 31000, '0.0.0.0/0', `kubernetes.io/rule/nlb/client=${LIVE_NLB}`),
    perm('tcp', 31000, '10.0.0.0/20', `kubernetes.io/rule/nlb/health=${LIVE_NLB}`),
    perm('icmp', 0, '0.0.0.0/0', 'kubernetes.io/rule/nlb/mtu'),
    ...dead.map((cidr) => perm('tcp', 32000, cidr, `kubernetes.io/rule/nlb/client=${DEAD_NLB}`)),
    ...dead.map((cidr) => perm('icmp', 0, cidr, 'kubernetes.io/rule/nlb/mtu')),
    perm('tcp', 32002, '10.0.16.0/20', `kubernetes.io/rule/nlb/health=${DEAD_NLB}`),
    perm('tcp', 32100, '198.51.100.7/32', `kubernetes.io/rule/nlb/client=${DEAD_NLB_2}`),
    perm('tcp', 32100, '10.0.0.0/20', `kubernetes.io/rule/nlb/health=${DEAD_NLB_2}`),
    ...Array.from({ length: 33 }, (_, i) => perm('tcp', 8000 + i, `203.0.113.${100 + i}/32`, 'team-a app')),
  ];
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: permissions }));
  if (grace > 0) {
    const rules = (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }))).SecurityGroupRules ?? [];
    const ids = (pred: (d: string) => boolean) => rules.filter((r) => pred(r.Description ?? '')).map((r) => r.SecurityGroupRuleId!);
    const longAgo = new Date(T0 - (grace + 120) * 1000).toISOString();
    await ec2.send(new CreateTagsCommand({ Resources: [...ids((d) => d.endsWith(DEAD_NLB)), ...rules.filter((r) => dead.includes(r.CidrIpv4 ?? '') && r.IpProtocol === 'icmp').map((r) => r.SecurityGroupRuleId!)], Tags: [{ Key: STALE_SINCE_TAG, Value: longAgo }] }));
    await ec2.send(new CreateTagsCommand({ Resources: ids((d) => d === `kubernetes.io/rule/nlb/health=${LIVE_NLB}`), Tags: [{ Key: STALE_SINCE_TAG, Value: longAgo }] }));
  }
  return { groupId };
}
