import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { handler } from '../../functions/sweep/handler.ts';
import { callLog } from '../../shared/aws/calls.ts';
import { seedProblemAccount } from '../../dev/local/sweep-account.ts';
import { runStateMachine, stateMachineDefinition, type LocalFunction } from '../../dev/local/state-machine.ts';
import type { ExecutionInput, SweepOutcome } from '../../shared/sweep/fanout.ts';
import type { SweepReport } from '../../shared/sweep/model.ts';
import { validateSweepReport } from '../../shared/sweep/report-schema.ts';
import type { SweepCompletedDetail } from '../../shared/events/sweep-events.ts';
import { invokeHandler } from '../support/lambda.ts';
import { useMoto, withEnv } from '../support/moto.ts';
import { captureBus } from '../support/bus.ts';

const env = useMoto();
const BUS = 'guardrails-bus';
const BUCKET = 'sweep-bucket';
const BATCH_SIZE = 3;
/** Enough problem clusters for a few batches (with the healthy and the exempt cluster). */
const SOME = ['no-self-rule', 'world-open', 'no-egress', 'asg-template', 'asg-discovery'];
/** The template's own definition, substitutions applied: what Step Functions would run. */
const definition = stateMachineDefinition('SweepStateMachine');

type Retrier = { ErrorEquals: string[]; MaxAttempts?: number };
function retriers(state: 'SweepBatch' | 'Finish'): Retrier[] {
  const s = state === 'Finish' ? definition.States.Finish : (definition.States.SweepBatches as { ItemProcessor: { States: Record<string, unknown> } }).ItemProcessor.States.SweepBatch;
  return (s as { Retry: Retrier[] }).Retry;
}
/** Attempts after the first that the definition declares for an error name (the first retrier that matches, as Step Functions picks). */
function declaredRetries(state: 'SweepBatch' | 'Finish', error: string): number {
  const r = retriers(state).find((x) => x.ErrorEquals.includes(error) || x.ErrorEquals.includes('States.ALL') || (x.ErrorEquals.includes('States.TaskFailed') && error !== 'States.Timeout'));
  return r ? (r.MaxAttempts ?? 3) : 0;
}

async function plumbing() {
  const config = { region: 'us-east-1', endpoint: env.moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1, forcePathStyle: true };
  const s3 = new S3Client(config);
  const sfn = new SFNClient(config);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const bus = await captureBus(env.moto, BUS);
  const sm = await sfn.send(new CreateStateMachineCommand({ name: 'eks-guardrails-sweep', roleArn: 'arn:aws:iam::123456789012:role/sfn', definition: JSON.stringify(definition) }));
  const completed = async (): Promise<SweepCompletedDetail[]> =>
    (await bus.drain()).filter((e) => e['detail-type'] === 'Sweep Completed').map((e) => e.detail as unknown as SweepCompletedDetail);
  const report = async (reportUrl: string): Promise<SweepReport> => {
    const [, , bucket, ...key] = reportUrl.replace(/\.html$/, '.json').split('/');
    const json = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key.join('/') }))).Body!.transformToString());
    assert.deepEqual(validateSweepReport(json), { ok: true });
    return json as SweepReport;
  };
  const vars = {
    GUARDRAILS_MODE: 'dry-run', GUARDRAILS_EVENT_BUS: BUS, GUARDRAILS_SWEEP_BUCKET: BUCKET, GUARDRAILS_SWEEP_UPLOAD_REPORTS: 'true',
    GUARDRAILS_SWEEP_BATCH_SIZE: String(BATCH_SIZE), GUARDRAILS_SWEEP_STATE_MACHINE_ARN: sm.stateMachineArn!,
    // A second region without clusters: it has no batch, and is in the report all the same.
    GUARDRAILS_SWEEP_REGIONS: 'us-east-1,eu-west-1',
  };
  /** The sweep function as the state machine's tasks invoke it. */
  const sweepFunction: LocalFunction = (_fn, payload) => withEnv(vars, () => invokeHandler(handler, payload));
  /** What EventBridge Scheduler starts; then what Step Functions runs for the execution moto recorded. */
  const fanOut = async (invoke: LocalFunction = sweepFunction, beforeRun?: (input: ExecutionInput) => Promise<void>) => {
    const started = await withEnv(vars, () => invokeHandler<SweepOutcome>(handler, { phase: 'start' }));
    assert.equal(started.status, 'fanned-out');
    if (started.status !== 'fanned-out') throw new Error('not fanned out');
    const input = JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }))).input!) as ExecutionInput;
    await beforeRun?.(input);
    const run = await runStateMachine(definition, input, invoke);
    return { started, input, ...run, output: run.output as SweepOutcome };
  };
  /** The same sweep in one invocation (no state machine). */
  const inProcess = () => withEnv({ ...vars, GUARDRAILS_SWEEP_STATE_MACHINE_ARN: undefined }, () => invokeHandler<SweepOutcome>(handler, { phase: 'start' }));
  const deleteObject = (key: string) => s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
  return { completed, report, fanOut, inProcess, sweepFunction, deleteObject };
}

const findingIds = (r: SweepReport) => Object.fromEntries(r.clusters.map((c) => [c.name, c.findings.map((f) => f.id).sort()]));
const ACCOUNT_WIDE = ['EKS.ListClusters', 'EC2.DescribeSecurityGroups', 'EC2.DescribeSecurityGroupRules', 'AutoScaling.DescribeAutoScalingGroups',
  'ElasticLoadBalancingV2.DescribeLoadBalancers', 'EC2.DescribeVolumes', 'EC2.DescribeSubnets', 'IAM.GetAccountAuthorizationDetails', 'EKS.DescribeClusterVersions'];
const accountWide = (calls: Record<string, number>) => Object.fromEntries(ACCOUNT_WIDE.map((op) => [op, calls[op] ?? 0]));

describe('SweepStateMachine (template.yaml) on a local States Language interpreter, the sweep function behind its tasks, moto as the account', () => {
  it('a multi-batch sweep ends in one report and one "Sweep Completed", the same report a sweep in one process makes, with the account read once', async () => {
    await seedProblemAccount(env.moto);
    const p = await plumbing();

    callLog.reset();
    const one = await p.inProcess();
    assert.equal(one.status, 'completed');
    if (one.status !== 'completed') return;
    const oneCalls = callLog.summary();
    const [oneDetail] = await p.completed();
    const oneReport = await p.report(oneDetail!.reportUrl!);

    callLog.reset();
    const run = await p.fanOut();
    const fanCalls = callLog.summary();
    assert.ok(run.input.items.length >= 4, `several batches (${run.input.items.length})`);
    assert.ok(run.input.items.every((i) => i.clusters.length <= BATCH_SIZE && i.hintsKey));
    assert.equal(run.invocations.filter((i) => i.state === 'SweepBatch').length, run.input.items.length);
    assert.equal(run.invocations.filter((i) => i.state === 'Finish').length, 1);
    assert.equal(run.output.status, 'completed');

    const details = await p.completed();
    assert.equal(details.length, 1, 'one "Sweep Completed"');
    const [detail] = details;
    assert.equal(detail!.sweepId, run.started.sweepId);
    assert.equal(detail!.clusters, oneDetail!.clusters);
    const fanReport = await p.report(detail!.reportUrl!);
    assert.equal(fanReport.trigger, 'fan-out');
    assert.deepEqual(fanReport.clusters.map((c) => c.status).filter((s) => s === 'error'), []);
    assert.deepEqual(findingIds(fanReport), findingIds(oneReport), 'the same findings, cluster by cluster');
    assert.deepEqual(fanReport.scopes.map((x) => x.region).sort(), ['eu-west-1', 'us-east-1']);
    const byRegion = (r: SweepReport) => [...r.scopes].sort((a, b) => a.region.localeCompare(b.region));
    assert.deepEqual(byRegion(fanReport), byRegion(oneReport));
    // Batches read their share of the start phase's prefetch: no account-wide read is made twice.
    assert.deepEqual(accountWide(fanCalls), accountWide(oneCalls));
    // Each batch its hints, finish each partial, plus the previous sweep's pointer and report (sweeps remember).
    assert.equal(fanCalls['S3.GetObject'], run.input.items.length * 2 + 2, 'each batch its hints, finish each partial, the previous report');
    // The report counts the start phase's reads too.
    assert.equal(fanReport.calls.byOperation['EKS.ListClusters'], oneReport.calls.byOperation['EKS.ListClusters']);
    assert.equal(fanReport.calls.byOperation['EC2.DescribeSecurityGroups'], oneReport.calls.byOperation['EC2.DescribeSecurityGroups']);
  });

  it('a failing batch is retried as declared, then takes the Catch path: its clusters show as not swept, the others are swept', async () => {
    await seedProblemAccount(env.moto, { only: SOME });
    const p = await plumbing();
    const FAILING = 1;
    // A real failure of the function: its share of the prefetch is gone from the bucket (GetObject → NoSuchKey).
    const run = await p.fanOut(p.sweepFunction, async (input) => { await p.deleteObject(input.items[FAILING]!.hintsKey!); });
    const attempts = run.invocations.filter((i) => i.state === 'SweepBatch' && (i.payload as { index: number }).index === FAILING);
    assert.equal(attempts.length, 1 + declaredRetries('SweepBatch', 'NoSuchKey'));
    assert.ok(attempts.every((a) => a.error === 'NoSuchKey'), JSON.stringify(attempts.map((a) => a.error)));
    assert.equal(run.events.filter((e) => e.type === 'StateCaught' && e.state === 'SweepBatch').length, 1);
    assert.equal(run.output.status, 'completed');

    const [detail, ...more] = await p.completed();
    assert.deepEqual(more, []);
    const report = await p.report(detail!.reportUrl!);
    const failed = run.input.items[FAILING]!.clusters;
    for (const name of failed) {
      const c = report.clusters.find((x) => x.name === name);
      assert.equal(c?.status, 'error', `${name} not swept`);
      assert.match(c!.error!, new RegExp(`^batch ${FAILING} failed: NoSuchKey`));
    }
    const others = run.input.items.filter((_, i) => i !== FAILING).flatMap((i) => i.clusters);
    assert.equal(report.clusters.length, failed.length + others.length);
    assert.deepEqual(report.clusters.filter((c) => others.includes(c.name) && c.status === 'error'), []);
  });

  it('Lambda service errors are retried with the declared attempts; a batch still throttled after them is caught, a throttled finish is retried', async () => {
    await seedProblemAccount(env.moto, { only: SOME });
    const p = await plumbing();
    const throttled = (n: number) => Object.assign(new Error(`Rate exceeded (${n})`), { name: 'Lambda.TooManyRequestsException' });
    const seen = new Map<string, number>();
    // The emulated Lambda service refuses some invocations before the function runs.
    const lambda: LocalFunction = async (fn, payload, ctx) => {
      const index = (payload as { index?: number }).index;
      const key = `${ctx.state}:${index ?? ''}`;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      if (ctx.state === 'SweepBatch' && index === 0 && n <= 2) throw throttled(n);
      if (ctx.state === 'SweepBatch' && index === 1) throw throttled(n);
      if (ctx.state === 'Finish' && n === 1) throw throttled(n);
      return p.sweepFunction(fn, payload, ctx);
    };
    const run = await p.fanOut(lambda);
    const tries = (state: string, index?: number) => run.invocations.filter((i) => i.state === state && (index === undefined || (i.payload as { index: number }).index === index)).length;
    assert.equal(tries('SweepBatch', 0), 3, 'two throttles, then it ran');
    assert.equal(tries('SweepBatch', 1), 1 + declaredRetries('SweepBatch', 'Lambda.TooManyRequestsException'));
    assert.equal(tries('Finish'), 2);
    assert.ok(run.input.items.length > 2);
    for (const i of run.input.items.keys()) if (i > 1) assert.equal(tries('SweepBatch', i), 1);

    const [detail, ...more] = await p.completed();
    assert.deepEqual(more, [], 'one "Sweep Completed" despite the retried finish');
    const report = await p.report(detail!.reportUrl!);
    const byName = new Map(report.clusters.map((c) => [c.name, c]));
    for (const name of run.input.items[0]!.clusters) assert.notEqual(byName.get(name)?.status, 'error');
    for (const name of run.input.items[1]!.clusters) assert.match(byName.get(name)?.error ?? '', /^batch 1 failed: Lambda\.TooManyRequestsException/);
  });
});
