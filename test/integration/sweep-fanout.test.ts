import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { handler } from '../../functions/sweep/handler.ts';
import { seedProblemAccount } from '../../dev/local/sweep-account.ts';
import type { BatchOutput, SweepOutcome, WorkItem } from '../../shared/sweep/fanout.ts';
import { validateSweepReport } from '../../shared/sweep/report-schema.ts';
import type { SweepCompletedDetail } from '../../shared/events/sweep-events.ts';
import { invokeHandler } from '../support/lambda.ts';
import { useMoto, withEnv } from '../support/moto.ts';

const env = useMoto();
const BUS = 'guardrails-bus';
const BUCKET = 'sweep-bucket';

async function plumbing() {
  const config = { region: 'us-east-1', endpoint: env.moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1, forcePathStyle: true };
  const s3 = new S3Client(config);
  const sqs = new SQSClient(config);
  const events = new EventBridgeClient(config);
  const sfn = new SFNClient(config);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await events.send(new CreateEventBusCommand({ Name: BUS }));
  const q = await sqs.send(new CreateQueueCommand({ QueueName: 'completed' }));
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await events.send(new PutRuleCommand({ Name: 'sweeps', EventBusName: BUS, EventPattern: JSON.stringify({ source: ['eks-guardrails'] }) }));
  await events.send(new PutTargetsCommand({ Rule: 'sweeps', EventBusName: BUS, Targets: [{ Id: 'q', Arn: arn }] }));
  const sm = await sfn.send(new CreateStateMachineCommand({ name: 'eks-guardrails-sweep', roleArn: 'arn:aws:iam::123456789012:role/sfn', definition: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}' }));
  const published = async (): Promise<{ 'detail-type': string; detail: unknown }[]> => {
    const all: { 'detail-type': string; detail: unknown }[] = [];
    for (;;) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.QueueUrl, MaxNumberOfMessages: 10 }));
      if (!out.Messages?.length) return all;
      all.push(...out.Messages.map((m) => JSON.parse(m.Body!)));
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: q.QueueUrl, Entries: out.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
  };
  const completed = async (): Promise<SweepCompletedDetail[]> =>
    (await published()).filter((e) => e['detail-type'] === 'Sweep Completed').map((e) => e.detail as SweepCompletedDetail);
  const read = async (url: string) => {
    const [, , bucket, ...key] = url.split('/');
    return (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key.join('/') }))).Body!.transformToString());
  };
  return { sfn, stateMachineArn: sm.stateMachineArn!, completed, published, read };
}

describe('sweep function on moto', () => {
  it('a small sweep runs in one invocation: report uploaded, "Sweep Completed" on the bus', async () => {
    const account = await seedProblemAccount(env.moto);
    const p = await plumbing();
    const out = await withEnv({ GUARDRAILS_MODE: 'dry-run', GUARDRAILS_EVENT_BUS: BUS, GUARDRAILS_SWEEP_BUCKET: BUCKET, GUARDRAILS_SWEEP_UPLOAD_REPORTS: 'true', GUARDRAILS_SWEEP_STATE_MACHINE_ARN: p.stateMachineArn },
      () => invokeHandler<SweepOutcome>(handler, { phase: 'start' }));
    assert.equal(out.status, 'completed');
    if (out.status !== 'completed') return;
    const clusters = new Set(account.problems.map((x) => x.cluster)).size + 2;
    assert.equal(out.clusters, clusters);
    assert.ok(out.open >= account.problems.length);
    const [detail] = await p.completed();
    assert.equal(detail?.sweepId, out.sweepId);
    assert.equal(detail?.clusters, clusters);
    assert.equal(Object.values(detail!.counts.bySeverity).reduce((a, b) => a + b, 0), out.open);
    assert.ok((detail?.counts.bySeverity.critical ?? 0) >= 1, 'the old version');
    assert.equal(detail?.reportUrl, out.delivery.reportUrl);
    assert.match(await p.read(detail!.reportUrl!), /<h1>eks-guardrails sweep report<\/h1>/);
    const json = JSON.parse(await p.read(detail!.reportUrl!.replace(/\.html$/, '.json')));
    assert.deepEqual(validateSweepReport(json), { ok: true });
  });

  it('a larger sweep fans out: the state machine gets batches, each batch parks its result, finish builds one report', async () => {
    const account = await seedProblemAccount(env.moto);
    const clusters = new Set(account.problems.map((x) => x.cluster)).size + 2;
    const p = await plumbing();
    const vars = { GUARDRAILS_MODE: 'dry-run', GUARDRAILS_EVENT_BUS: BUS, GUARDRAILS_SWEEP_BUCKET: BUCKET, GUARDRAILS_SWEEP_BATCH_SIZE: '2', GUARDRAILS_SWEEP_STATE_MACHINE_ARN: p.stateMachineArn };
    const started = await withEnv(vars, () => invokeHandler<SweepOutcome>(handler, { phase: 'start' }));
    assert.equal(started.status, 'fanned-out');
    if (started.status !== 'fanned-out') return;
    assert.equal(started.items, Math.ceil(clusters / 2));
    const execution = await p.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    const input = JSON.parse(execution.input!) as { sweepId: string; startedAt: string; mapConcurrency: number; items: WorkItem[] };
    assert.equal(input.sweepId, started.sweepId);
    assert.equal(input.mapConcurrency, 4);
    assert.equal(input.items.reduce((n, i) => n + i.clusters.length, 0), clusters);
    assert.ok(input.items.every((i) => i.clusters.length <= 2 && i.scope.region === 'us-east-1'));
    assert.deepEqual(await p.completed(), [], 'nothing published before finish');

    // What the Map state does: one invocation per item (one of them fails), then finish.
    const partials: unknown[] = [];
    for (const [index, item] of input.items.entries()) {
      if (index === 1) {
        partials.push({ failed: true, index, item, error: { Error: 'States.Timeout', Cause: 'batch took too long' } });
        continue;
      }
      partials.push(await withEnv(vars, () => invokeHandler<BatchOutput>(handler, { phase: 'batch', sweepId: input.sweepId, index, item })));
    }
    const finished = await withEnv(vars, () => invokeHandler<SweepOutcome>(handler, { phase: 'finish', sweepId: input.sweepId, startedAt: input.startedAt, items: input.items, partials }));
    assert.equal(finished.status, 'completed');
    const [detail] = await p.completed();
    assert.equal(detail?.sweepId, input.sweepId);
    assert.equal(detail?.clusters, clusters, 'the failed batch\'s clusters are in the report, as not swept');
  });

  it('publishes each fix it made and one digest, not every open finding again', async () => {
    await seedProblemAccount(env.moto);
    const p = await plumbing();
    const out = await withEnv({ GUARDRAILS_MODE: 'enforce', GUARDRAILS_EVENT_BUS: BUS }, () => invokeHandler<SweepOutcome>(handler, { phase: 'start' }));
    assert.equal(out.status, 'completed');
    const types = (await p.published()).map((e) => e['detail-type']);
    assert.equal(types.filter((t) => t === 'Sweep Completed').length, 1);
    assert.equal(types.filter((t) => t === 'Remediation Applied').length, out.status === 'completed' ? out.fixed : -1);
    assert.ok(out.status === 'completed' && out.fixed >= 1);
    assert.deepEqual(types.filter((t) => t === 'Finding' || t === 'Remediation Planned'), []);
    // GUARDRAILS_SWEEP_PUBLISH=all: every finding too.
    await withEnv({ GUARDRAILS_MODE: 'dry-run', GUARDRAILS_EVENT_BUS: BUS, GUARDRAILS_SWEEP_PUBLISH: 'all' }, () => invokeHandler<SweepOutcome>(handler, { phase: 'start' }));
    const all = (await p.published()).map((e) => e['detail-type']);
    assert.ok(all.filter((t) => t === 'Finding').length > 5);
  });

  it('rejects an unknown phase', async () => {
    await assert.rejects(invokeHandler(handler, { phase: 'explode' }), /the sweep function accepts only .*phase "explode"/);
  });
});
