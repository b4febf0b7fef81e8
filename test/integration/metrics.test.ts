import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { AuthorizeSecurityGroupIngressCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { handler as onSgEvent } from '../../functions/on-sg-event/handler.ts';
import { handler as notifyHandler } from '../../functions/notify/handler.ts';
import { handler as onAsgEvent } from '../../functions/on-asg-event/handler.ts';
import { containerCaches } from '../../shared/state/cache.ts';
import { handler as sweepHandler } from '../../functions/sweep/handler.ts';
import { seedManagedNodegroup } from '../../dev/local/autoscaler-scenario.ts';
import { groupRules } from '../../dev/local/nlb-scenario.ts';
import { lambdaContext, asSqsEvent } from '../../dev/cli/lambda-context.ts';
import { loadSample } from '../../dev/local/samples.ts';
import { seedClients, seedCluster } from '../../dev/local/scenario.ts';
import { seedNotify } from '../../dev/local/notify-setup.ts';
import { SlackSink } from '../../dev/local/slack-sink.ts';
import { useMoto, withEnv } from '../support/moto.ts';
import { captureOutput, jsonLines } from '../support/output.ts';

// Metrics on (test/support/setup.ts turns them off for every other file); read at the first invocation.
const env = useMoto({ POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_METRICS_NAMESPACE: 'EksGuardrails', GUARDRAILS_SLACK_INTERVAL_MS: '0' });

interface Emf {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

/** Runs fn and returns the EMF objects it wrote to stdout (Powertools metrics writes one JSON object per line). */
async function emfOf(fn: () => Promise<unknown>): Promise<{ emf: Emf[]; output: string; error?: unknown }> {
  const { stdout: output, error } = await captureOutput(fn);
  const emf = (jsonLines(output) as Emf[]).filter((o) => o._aws?.CloudWatchMetrics);
  return { emf, output, error };
}

/** The value of `metric` in the object whose dimensions are exactly `dims` (besides `service`). */
function valueOf(emf: Emf[], metric: string, dims: Record<string, string> = {}): number | undefined {
  const found = emf.filter((o) => o._aws.CloudWatchMetrics[0]!.Metrics.some((m) => m.Name === metric)
    && Object.entries(dims).every(([k, v]) => o[k] === v)
    && o._aws.CloudWatchMetrics[0]!.Dimensions[0]!.length === 1 + Object.keys(dims).length);
  assert.ok(found.length <= 1, `${metric} ${JSON.stringify(dims)} appears in ${found.length} objects`);
  return found[0]?.[metric] as number | undefined;
}

const metricNames = (emf: Emf[]) => emf.flatMap((o) => o._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name)).sort();

/** A cluster whose security group lost its self rule: the repair the README's first capability promises. */
async function driftedCluster() {
  const cluster = await seedCluster(env.moto, 'prod');
  const { ec2 } = seedClients(env.moto);
  const groupId = cluster.clusterSecurityGroupId;
  await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId }] }] }));
  return { groupId, event: loadSample('on-sg-event/revoke-self-rule.json', { groupId, clusterName: 'prod' }) };
}

describe('metrics (EMF) on moto', () => {
  it('a repair emits RemediationsApplied=1 for cluster-sg-baseline, with the rollup the alarm reads, in the EksGuardrails namespace', async () => {
    const { event } = await driftedCluster();
    const { emf, error } = await emfOf(() => onSgEvent(event, lambdaContext('on-sg-event')));
    assert.equal(error, undefined);
    const applied = emf.find((o) => o.check === 'cluster-sg-baseline' && 'RemediationsApplied' in o)!;
    assert.ok(applied, metricNames(emf).join(', '));
    assert.equal(applied.RemediationsApplied, 1);
    assert.equal(applied.service, 'on-sg-event');
    const [directive] = applied._aws.CloudWatchMetrics;
    assert.equal(directive!.Namespace, 'EksGuardrails');
    // By check, and by function alone (the failed-remediations alarm watches the latter).
    assert.deepEqual(directive!.Dimensions, [['service', 'check'], ['service']]);
    assert.deepEqual(directive!.Metrics, [{ Name: 'RemediationsApplied', Unit: 'Count' }]);
    assert.equal(valueOf(emf, 'RemediationsFailed', { check: 'cluster-sg-baseline' }), undefined);
    // Never a cluster name, group id or account as a dimension or value.
    for (const o of emf) for (const dims of o._aws.CloudWatchMetrics[0]!.Dimensions) assert.ok(dims.every((d) => ['service', 'check', 'severity', 'reason', 'error'].includes(d)), JSON.stringify(dims));
  });

  it('the same event again (already repaired) counts no remediation', async () => {
    const { event } = await driftedCluster();
    await emfOf(() => onSgEvent(event, lambdaContext('on-sg-event')));
    const { emf } = await emfOf(() => onSgEvent(event, lambdaContext('on-sg-event')));
    assert.ok(!metricNames(emf).some((n) => n.startsWith('Remediations')), metricNames(emf).join(', '));
  });

  it('a repair that fails emits RemediationsFailed=1 and the invocation still fails (so it is retried)', async () => {
    const { groupId, event } = await driftedCluster();
    // Fill the group to EC2's 60 inbound rules: the self rule can no longer be added (RulesPerSecurityGroupLimitExceeded).
    const { ec2 } = seedClients(env.moto);
    const inbound = async () => (await groupRules(env.moto, groupId)).filter((r) => !r.IsEgress).length;
    for (let i = 0, free = 60 - (await inbound()); free > 0; i++, free -= Math.min(free, 20)) {
      const cidrs = Array.from({ length: Math.min(free, 20) }, (_, j) => ({ CidrIp: `10.${100 + i}.${j}.0/24` }));
      await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 9000, ToPort: 9000, IpRanges: cidrs }] }));
    }
    assert.equal(await inbound(), 60);
    const { emf, error } = await emfOf(() => onSgEvent(event, lambdaContext('on-sg-event')));
    assert.ok(error instanceof Error && /remediation\(s\) failed/.test(error.message), String(error));
    assert.equal(valueOf(emf, 'RemediationsFailed', { check: 'cluster-sg-baseline' }), 1);
    assert.equal(valueOf(emf, 'RemediationsApplied', { check: 'cluster-sg-baseline' }), undefined);
  });

  it('an ignored event counts EventsIgnored by the kind of reason, never the names in it', async () => {
    const event = loadSample('unmatched/own-authorize.json');
    const self = (event as { detail: { userIdentity: { sessionContext: { sessionIssuer: { arn: string } } } } }).detail.userIdentity.sessionContext.sessionIssuer.arn;
    const { emf } = await withEnv({ GUARDRAILS_SELF_ROLE_ARN: self }, () => emfOf(() => onSgEvent(event, lambdaContext('on-sg-event'))));
    assert.equal(valueOf(emf, 'EventsIgnored', { reason: 'own-change' }), 1);
  });
});

describe('metrics of the other doors (EMF)', () => {
  it('on-asg-event: a launch burst tags the node group (RemediationsApplied, service on-asg-event), then counts the launches it skips', async () => {
    const cluster = await seedCluster(env.moto, 'prod');
    const { asgName } = await seedManagedNodegroup(env.moto, cluster, { name: 'gpu', labels: { role: 'gpu' } });
    containerCaches.clear();
    const burst = asSqsEvent(Array.from({ length: 5 }, () => loadSample('on-asg-event/instance-launch.json', { asgName })), 'asg-event-queue');
    const first = await emfOf(() => onAsgEvent(burst, lambdaContext('on-asg-event')));
    assert.equal(first.error, undefined);
    assert.ok(first.emf.some((o) => o.service === 'on-asg-event' && String(o.check).startsWith('autoscaler-') && (o.RemediationsApplied as number) >= 1), metricNames(first.emf).join(', '));
    const warm = await emfOf(() => onAsgEvent(burst, lambdaContext('on-asg-event')));
    assert.equal(valueOf(warm.emf, 'EventsIgnored', { reason: 'recently-verified' }), 1, 'one ASG named by the batch, skipped');
    containerCaches.clear();
    const cold = await emfOf(() => onAsgEvent(burst, lambdaContext('on-asg-event')));
    assert.equal(valueOf(cold.emf, 'EventsIgnored', { reason: 'already-processed' }), 1);
    assert.ok(!metricNames(cold.emf).some((n) => n.startsWith('Remediations')));
  });

  it('sweep: the repair a sweep makes and the findings it sees are counted under service sweep', async () => {
    await driftedCluster();
    const { emf, error } = await emfOf(() => sweepHandler({ phase: 'start' }, lambdaContext('sweep')));
    assert.equal(error, undefined);
    assert.equal(valueOf(emf, 'RemediationsApplied', { check: 'cluster-sg-baseline' }), 1);
    assert.ok(emf.every((o) => o.service === 'sweep'));
    assert.ok(emf.some((o) => 'Findings' in o && typeof o.severity === 'string'), metricNames(emf).join(', '));
  });
});

describe('notify metrics (EMF)', () => {
  let sink: SlackSink;
  let notifyEnv: Record<string, string>;
  before(async () => { sink = await SlackSink.start(); });
  after(async () => { await sink.stop(); });
  beforeEach(async () => {
    sink.reset();
    containerCaches.clear();
    const { secretArn, table } = await seedNotify(env.moto, sink.url);
    notifyEnv = { SLACK_WEBHOOK_SECRET_ARN: secretArn, GUARDRAILS_IDEMPOTENCY_TABLE: table };
  });

  it('counts Slack posts, each retry by reason, and a below-threshold finding as ignored; the webhook never appears', async () => {
    sink.respond({ status: 429, headers: { 'retry-after': '0' } }, { status: 503 });
    const base = loadSample('notify/remediation-applied.json') as Record<string, unknown>;
    const batch = asSqsEvent([{ ...base, id: 'posted-1' }, { ...base, id: 'posted-2' }, loadSample('unmatched/finding-low.json')], 'notify-queue.fifo');
    const { emf, output, error } = await withEnv(notifyEnv, () => emfOf(() => notifyHandler(batch, lambdaContext('notify'))));
    assert.equal(error, undefined);
    assert.equal(sink.delivered().length, 2);
    assert.equal(valueOf(emf, 'SlackPosts'), 2);
    assert.equal(valueOf(emf, 'SlackRetries', { reason: 'rate-limited' }), 1);
    assert.equal(valueOf(emf, 'SlackRetries', { reason: 'server-error' }), 1);
    assert.equal(valueOf(emf, 'EventsIgnored', { reason: 'below-min-severity' }), 1);
    assert.ok(emf.every((o) => o.service === 'notify'));
    assert.ok(!output.includes(new URL(sink.url).pathname), 'webhook path leaked into the metrics output');
  });

  it('a webhook Slack rejects counts SlackPostsFailed by error code', async () => {
    sink.respond({ status: 404, body: 'no_service' });
    const { emf } = await withEnv(notifyEnv, () => emfOf(() => notifyHandler(asSqsEvent([loadSample('notify/remediation-applied.json')], 'notify-queue.fifo'), lambdaContext('notify'))));
    assert.equal(valueOf(emf, 'SlackPostsFailed', { error: 'SlackRejected' }), 1);
    assert.equal(valueOf(emf, 'SlackPosts'), undefined);
  });
});
