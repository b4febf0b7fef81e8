/**
 * A fanned-out sweep against the same sweep in one process, at 100 and 1,000 clusters in one account
 * (BENCH_FANOUT_CLUSTERS=100,1000 to change). Each account: one VPC, and per cluster its cluster SG (tagged
 * as EKS tags it, with its self rule), one managed node group with its ASG, the shared cluster and node
 * roles. The one-process sweep is the scheduled function's start with no state machine; the fan-out is the
 * same start with SweepStateMachine — the template's definition run on aws-local-stepfunctions, the function
 * behind its tasks. Both dry-run, same config. Counts every AWS call either makes (S3 hints and partials,
 * StartExecution included); target ≤ 1.1. A batch's and the start's peak memory are the maxRSS of a fresh
 * Node process running that one invocation, as a Lambda execution environment would.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import { CreateClusterCommand } from '@aws-sdk/client-eks';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { callLog } from '../../shared/aws/calls.ts';
import { sdkClients } from '../../shared/aws/client.ts';
import { CLUSTER_POLICIES, NODE_POLICIES, seedRole } from '../local/compliance-scenario.ts';
import { withEnv } from '../local/env.ts';
import { MotoServer } from '../local/moto.ts';
import { seedClients } from '../local/scenario.ts';
import { runStateMachine, stateMachineDefinition } from '../local/state-machine.ts';
import type { ExecutionInput, SweepOutcome } from '../../shared/sweep/fanout.ts';
import { onLocalAccount } from './support/local-account.ts';
import { nodegroupSeeder } from './support/nodegroups.ts';
import { pool } from './support/pool.ts';

const SIZES = (process.env.BENCH_FANOUT_CLUSTERS ?? '100,1000').split(',').map(Number);
const TARGET = 1.1;
const BUCKET = 'sweep-bucket';
const STATE_LIMIT = 256 * 1024;

async function seedAccount(moto: MotoServer, clusters: number): Promise<void> {
  const { ec2, eks } = seedClients(moto);
  const seedNodegroup = await nodegroupSeeder(moto);
  const clusterRole = await seedRole(moto, 'bench-cluster-role', CLUSTER_POLICIES, 'eks.amazonaws.com');
  const nodeRole = await seedRole(moto, 'bench-node-role', NODE_POLICIES);
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const subnetIds: string[] = [];
  for (const [i, az] of ['a', 'b'].entries()) subnetIds.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.0.${i * 16}.0/20`, AvailabilityZone: `us-east-1${az}` }))).Subnet!.SubnetId!);
  await pool(Array.from({ length: clusters }, (_, i) => `fan-${String(i).padStart(4, '0')}`), 4, async (name) => {
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({
      GroupName: `eks-cluster-sg-${name}`, Description: 'EKS created security group', VpcId: vpcId,
      TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'aws:eks:cluster-name', Value: name }, { Key: `kubernetes.io/cluster/${name}`, Value: 'owned' }] }],
    }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId }] }] }));
    await eks.send(new CreateClusterCommand({
      name, roleArn: clusterRole, version: '1.35', resourcesVpcConfig: { subnetIds, endpointPublicAccess: false, endpointPrivateAccess: true },
      logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator'], enabled: true }] },
      encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: 'arn:aws:kms:us-east-1:123456789012:key/bench' } }],
    }));
    await moto.patchCluster(name, { clusterSecurityGroupId: groupId, vpcId });
    await seedNodegroup({ clusterName: name, name: `${name}-ng`, asgName: `eks-${name}-ng`, nodeRole, subnetIds });
  });
}

/**
 * One invocation of the sweep function in a fresh Node process; its maxRSS in MiB. Asynchronous: this
 * process must keep draining moto's output meanwhile, or moto blocks writing its log and the child waits.
 */
async function peakMemoryOf(event: unknown, vars: Record<string, string>): Promise<number> {
  const script = fileURLToPath(new URL('./support/invoke-sweep.ts', import.meta.url));
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...vars }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  child.stdin.end(JSON.stringify(event));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`invocation in a child process failed (${code}): ${stderr}`);
  return (JSON.parse(stdout.trim().split('\n').at(-1)!) as { maxRssKiB: number }).maxRssKiB / 1024;
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
let sweepHandler: Handler | undefined;
let contextOf: ((name: string, timeoutMs: number) => unknown) | undefined;
/** The sweep function's Timeout in template.yaml. */
const TIMEOUT_MS = 900_000;
/** Progress on stderr: the numbers go to stdout. */
const progress = (message: string) => process.stderr.write(`sweep-fanout: ${message}\n`);
const invoke = <T>(event: unknown, vars: Record<string, string | undefined>) => withEnv(vars, async () => (await sweepHandler!(event, contextOf!('sweep', TIMEOUT_MS))) as T);

export default function bench(): Promise<void> {
  // No GUARDRAILS_ setting of the shell or an earlier bench: both sweeps run on the defaults.
  const unset = Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('GUARDRAILS_')).map((k) => [k, undefined]));
  return onLocalAccount(unset, async (moto) => {
    const rows: string[] = [];
    let over = false;
    // Imported once the log level is set: the function's logger reads it when it is created.
    sweepHandler = (await import('../../functions/sweep/handler.ts')).handler as Handler;
    contextOf = (await import('../cli/lambda-context.ts')).lambdaContext;
    const definition = stateMachineDefinition('SweepStateMachine');
    for (const clusters of SIZES) {
      await moto.reset();
      sdkClients.clear();
      const config = { region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, forcePathStyle: true };
      const t0 = performance.now();
      progress(`seeding ${clusters} clusters`);
      await seedAccount(moto, clusters);
      await new S3Client(config).send(new CreateBucketCommand({ Bucket: BUCKET }));
      const sfn = new SFNClient(config);
      const sm = await sfn.send(new CreateStateMachineCommand({ name: 'eks-guardrails-sweep', roleArn: 'arn:aws:iam::123456789012:role/sfn', definition: JSON.stringify(definition) }));
      const seedMs = performance.now() - t0;
      const vars = { GUARDRAILS_MODE: 'dry-run', GUARDRAILS_SWEEP_BUCKET: BUCKET, GUARDRAILS_SWEEP_STATE_MACHINE_ARN: sm.stateMachineArn! };

      progress(`seeded in ${(seedMs / 1000).toFixed(1)} s; sweeping in one process`);
      callLog.reset();
      const t1 = performance.now();
      const one = await invoke<SweepOutcome>({ phase: 'start' }, { ...vars, GUARDRAILS_SWEEP_STATE_MACHINE_ARN: undefined });
      const oneMs = performance.now() - t1;
      const oneCalls = callLog.all().length;
      const oneByOp = callLog.summary();
      if (one.status !== 'completed' || one.clusters !== clusters) throw new Error(`one-process sweep: ${JSON.stringify(one)}`);

      progress(`one process: ${oneCalls} calls in ${(oneMs / 1000).toFixed(1)} s; fanning out`);
      callLog.reset();
      const t2 = performance.now();
      const started = await invoke<SweepOutcome>({ phase: 'start' }, vars);
      const startMs = performance.now() - t2;
      const startCalls = callLog.all().length;
      if (started.status !== 'fanned-out') throw new Error(`expected a fan-out: ${JSON.stringify(started)}`);
      const inputText = (await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }))).input!;
      const input = JSON.parse(inputText) as ExecutionInput;
      const run = await runStateMachine(definition, input, (_fn, payload) => invoke(payload, vars));
      const fanMs = performance.now() - t2;
      const fanCalls = callLog.all().length;
      const fanByOp = callLog.summary();
      // Where the two differ, by operation: the fan-out's extra cost, named.
      const extra = [...new Set([...Object.keys(oneByOp), ...Object.keys(fanByOp)])]
        .map((op) => [op, (fanByOp[op] ?? 0) - (oneByOp[op] ?? 0)] as const).filter(([, d]) => d !== 0);
      progress(`fan-out − one process, by operation: ${extra.map(([op, d]) => `${op} ${d > 0 ? '+' : ''}${d}`).join(', ') || 'none'}`);
      const finished = run.output as SweepOutcome;
      if (finished.status !== 'completed' || finished.clusters !== clusters) throw new Error(`fanned-out sweep: ${JSON.stringify(finished)}`);
      const failed = run.events.filter((e) => e.type === 'StateCaught').length;
      if (failed > 0) throw new Error(`${failed} batches failed`);

      progress(`fanned out: ${fanCalls} calls in ${(fanMs / 1000).toFixed(1)} s; measuring a batch's and the start's memory`);
      const s3 = new S3Client(config);
      let largestShare = 0;
      for (const key of input.items.map((i) => i.hintsKey!)) largestShare = Math.max(largestShare, Number((await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).ContentLength ?? 0));
      const largest = input.items.reduce((best, item, index) => (item.clusters.length > input.items[best]!.clusters.length ? index : best), 0);
      const batchMiB = await peakMemoryOf({ phase: 'batch', sweepId: input.sweepId, index: largest, item: input.items[largest] }, vars);
      const startMiB = await peakMemoryOf({ phase: 'start' }, vars);

      const ratio = fanCalls / oneCalls;
      over ||= ratio > TARGET;
      const batchSize = Math.max(...input.items.map((i) => i.clusters.length));
      rows.push([
        `${String(clusters).padStart(5)} clusters`,
        `one process ${oneCalls} calls in ${(oneMs / 1000).toFixed(1)} s`,
        `fanned out ${fanCalls} calls (start ${startCalls}, ${input.items.length} batches of ≤ ${batchSize} + finish ${fanCalls - startCalls}) in ${(fanMs / 1000).toFixed(1)} s (start ${(startMs / 1000).toFixed(1)} s)`,
        `ratio ${ratio.toFixed(3)} ${ratio <= TARGET ? 'OK' : 'OVER TARGET'}`,
        `peak RSS: a batch ${batchMiB.toFixed(0)} MiB, the start ${startMiB.toFixed(0)} MiB`,
        `largest hints share ${(largestShare / 1024).toFixed(1)} KiB (S3); execution input ${(inputText.length / 1024).toFixed(1)} KiB of ${STATE_LIMIT / 1024}`,
        `seeded in ${(seedMs / 1000).toFixed(1)} s`,
      ].join('\n      '));
      console.log(rows.at(-1));
    }
    console.log(`target      fanned-out calls ≤ ${TARGET} × one-process calls ${over ? 'NOT MET' : 'met'} at ${SIZES.join(' and ')} clusters`);
    if (over) process.exitCode = 1;
  });
}
