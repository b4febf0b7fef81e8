import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DeleteSecurityGroupCommand, DescribeSecurityGroupsCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as onClusterEvent } from '../../functions/on-cluster-event/handler.ts';
import { handler as onSgEvent, type SgEventResult } from '../../functions/on-sg-event/handler.ts';
import { handler as sweepHandler } from '../../functions/sweep/handler.ts';
import { callLog } from '../../shared/aws/calls.ts';
import { runSweepCli } from '../../dev/cli/sweep-command.ts';
import { loadSample } from '../../dev/local/samples.ts';
import { seedClients, seedCluster } from '../../dev/local/scenario.ts';
import type { SweepReport } from '../../shared/sweep/model.ts';
import { accountState } from '../support/account.ts';
import { invokeHandler } from '../support/lambda.ts';
import { useMoto, withEnv } from '../support/moto.ts';
import { runCli, type CliRun } from '../support/cli.ts';

/**
 * Mistakes fail safe (README.md): when the input or the configuration is not understood, do less, say why,
 * and exit non-zero where a caller can see it. Each test makes one mistake against an account with something
 * to fix (a drifted cluster SG, enforce mode) and asserts the status, the message, and that the account is
 * unchanged.
 */
const env = useMoto();

async function cli(args: string[], extraEnv: Record<string, string> = {}, input = ''): Promise<CliRun & { last: { error?: string; message?: string; details?: Record<string, unknown> } }> {
  const run = await runCli(args, { ...env.moto.env(), POWERTOOLS_LOG_LEVEL: 'SILENT', ...extraEnv }, input);
  let last = {};
  try { last = JSON.parse(run.stderr.trim().split('\n').pop() ?? '{}'); } catch { /* not JSON: the assertions say so */ }
  return { ...run, last };
}

/** A cluster whose SG lost its self rule: an enforcing run would add it back. */
async function drifted(name = 'prod', opts: Parameters<typeof seedCluster>[2] = {}) {
  return seedCluster(env.moto, name, { withoutSelfRule: true, ...opts });
}

describe('configuration not understood → InvalidConfiguration before any AWS call', () => {
  for (const checkModes of ['cluster-sg-baselin=off', '{"cluster-sg-baselin":"off"}']) {
    it(`GUARDRAILS_CHECK_MODES=${checkModes}: exit 1, the unknown name and the real ones, nothing changed`, async () => {
      await drifted();
      const before = await accountState(env.moto);
      const r = await cli(['sweep'], { GUARDRAILS_CHECK_MODES: checkModes });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.last.error, 'InvalidConfiguration');
      assert.match(r.last.message!, /unknown check "cluster-sg-baselin"; checks: cluster-sg-baseline,/);
      assert.equal(r.stdout, '');
      assert.equal(await accountState(env.moto), before);
    });
  }
});

describe('the sweep function accepts only its own inputs', () => {
  const cloudTrail = loadSample('on-sg-event/revoke-self-rule.json');
  for (const [label, payload] of [['{}', {}], ['{"hello":"world"}', { hello: 'world' }], ['a CloudTrail event for on-sg-event', cloudTrail]] as const) {
    it(`${label}: InvalidEvent, no AWS call, nothing changed`, async () => {
      await drifted();
      const before = await accountState(env.moto);
      callLog.reset();
      await assert.rejects(invokeHandler(sweepHandler, payload), (err: Error & { code?: string }) =>
        err.code === 'InvalidEvent' && /the sweep function accepts only \{"phase":"start"\}/.test(err.message) && /nothing was swept/.test(err.message));
      assert.deepEqual(callLog.all(), []);
      assert.equal(await accountState(env.moto), before);
    });
  }

  it('a batch payload with a wrong field names the field', async () => {
    await assert.rejects(invokeHandler(sweepHandler, { phase: 'batch', sweepId: 's', index: 'one', item: { scope: { region: 'us-east-1' }, clusters: ['prod'] } }),
      /sweep "batch" input: index: expected number: nothing was swept/);
    await assert.rejects(invokeHandler(sweepHandler, { phase: 'start', clusters: ['prod'] }), /sweep "start" input: \(root\): unknown field "clusters"/);
    assert.deepEqual(callLog.all(), []);
  });

  it('through `invoke`: exit 1 with the structured rejection', async () => {
    await drifted();
    const before = await accountState(env.moto);
    const r = await cli(['invoke', 'sweep', '-'], {}, '{}');
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.last.error, 'InvalidEvent');
    assert.match(r.last.message!, /no "phase"/);
    assert.equal(await accountState(env.moto), before);
  });
});

describe('sweep CLI pre-flight: checked before anything changes', () => {
  it('--output into a directory that does not exist: exit 2, says so, nothing changed', async () => {
    await drifted();
    const before = await accountState(env.moto);
    const missing = join(mkdtempSync(join(tmpdir(), 'guardrails-')), 'no-such-dir', 'report.json');
    const r = await cli(['sweep', '--output', missing]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.last.error, 'Usage');
    assert.match(r.last.message!, /--output .*does not exist; nothing was swept/);
    assert.equal(await accountState(env.moto), before);
  });

  it('--upload to a bucket that does not exist: exit 1, names the bucket, nothing changed', async () => {
    await drifted();
    const before = await accountState(env.moto);
    const r = await cli(['sweep', '--format', 'json', '--upload', 's3://no-such-bucket/reports']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.last.error, 'PreflightFailed');
    assert.match(r.last.message!, /s3:\/\/no-such-bucket: the bucket is not reachable .*nothing was swept/);
    assert.equal(r.stdout, '');
    assert.equal(await accountState(env.moto), before);
  });

  it('--cluster with a name that does not exist and --fail-on critical: exit 1 (ClusterNotFound), nothing swept', async () => {
    await drifted();
    const before = await accountState(env.moto);
    const r = await cli(['sweep', '--cluster', 'prod', '--cluster', 'prdo', '--fail-on', 'critical']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.last.error, 'ClusterNotFound');
    assert.match(r.last.message!, /--cluster prdo: no such cluster in us-east-1; nothing was swept/);
    assert.deepEqual(r.last.details!.missing, ['prdo']);
    assert.equal(await accountState(env.moto), before);
  });
});

describe('a delivery that fails after the sweep changed things', () => {
  it('saves the report where stderr says, still publishes "Sweep Completed", exits 1', async () => {
    const cluster = await drifted();
    const { ec2 } = seedClients(env.moto);
    await new EventBridgeClient({ ...seedClients(env.moto).config }).send(new CreateEventBusCommand({ Name: 'guardrails-bus' }));
    const dir = mkdtempSync(join(tmpdir(), 'guardrails-'));
    const cwd = process.cwd();
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    // Only S3 fails (an error path): the bucket answers HeadBucket, then refuses the upload.
    const s3 = mockClient(S3Client);
    s3.on(HeadBucketCommand).resolves({});
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    let result;
    try {
      process.chdir(dir);
      process.stderr.write = ((chunk: string) => { stderr.push(String(chunk)); return true; }) as typeof process.stderr.write;
      result = await withEnv({ GUARDRAILS_EVENT_BUS: 'guardrails-bus' }, () => runSweepCli(['--output', join(dir, 'report.txt'), '--upload', 's3://reports-bucket']));
    } finally {
      process.stderr.write = write;
      process.chdir(cwd);
      s3.restore();
    }
    assert.equal(result.exitCode, 1);
    const last = JSON.parse(stderr.join('').trim().split('\n').pop()!) as { error: string; message: string; details: { reportPath: string } };
    assert.equal(last.error, 'DeliveryFailed');
    assert.match(last.message, /DeliveryFailed: report upload to s3:\/\/reports-bucket failed \(AccessDenied: Access Denied\); "Sweep Completed" was published; the report was saved to /);
    assert.equal(last.details.reportPath, join(dir, `eks-guardrails-report-${result.report.sweepId}.json`));
    const saved = JSON.parse(readFileSync(last.details.reportPath, 'utf8')) as SweepReport;
    assert.equal(saved.summary.byState.fixed, 1, 'the record of the fix survives');
    assert.ok(existsSync(join(dir, 'report.txt')), 'the --output file was written too');
    assert.ok(callLog.count({ service: 'EventBridge', operation: 'PutEvents' }) >= 1, '"Sweep Completed" still published');
    // The fix itself stands, as a fault-free run would leave it.
    const sg = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [cluster.clusterSecurityGroupId] }))).SecurityGroups![0]!;
    assert.ok(sg.IpPermissions!.some((p) => p.IpProtocol === '-1' && p.UserIdGroupPairs?.[0]?.GroupId === cluster.clusterSecurityGroupId));
  });
});

describe('exemption tags not understood exempt from every check', () => {
  for (const value of ['', 'cluster-sg-baselin', 'cluster-sg-baseline;nlb-rule-headroom']) {
    it(`${JSON.stringify(value)} on the cluster SG: the drift is reported, not repaired, with a finding naming the tag`, async () => {
      const cluster = await drifted('prod', { securityGroupTags: { 'eks-guardrails/exempt': value } });
      const before = await accountState(env.moto);
      const event = loadSample('on-sg-event/revoke-self-rule.json', { groupId: cluster.clusterSecurityGroupId });
      const out = await invokeHandler<SgEventResult>(onSgEvent, event);
      assert.equal(out.status, 'reconciled');
      const result = out.results[0]!;
      assert.deepEqual(result.actions.map((a) => [a.action.kind, a.status]), [['AuthorizeRules', 'planned']]);
      const finding = result.findings.find((f) => f.check === 'exemption-tag');
      assert.ok(finding);
      assert.equal(finding.resource.id, cluster.clusterSecurityGroupId);
      assert.match(finding.title, /Tag eks-guardrails\/exempt=.* is not understood/);
      assert.match(finding.fixHint, /"true" \(every check\)/);
      assert.equal(await accountState(env.moto), before);
    });
  }
});

describe('a cluster whose cluster security group is gone', () => {
  it('is a high finding: --fail-on high exits 1, nothing changed', async () => {
    const cluster = await seedCluster(env.moto, 'orphan');
    const { ec2 } = seedClients(env.moto);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: cluster.clusterSecurityGroupId, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: cluster.clusterSecurityGroupId }] }] }));
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: cluster.clusterSecurityGroupId }));
    const before = await accountState(env.moto);
    const file = join(mkdtempSync(join(tmpdir(), 'guardrails-')), 'report.json');
    const write = process.stderr.write.bind(process.stderr);
    let result;
    try {
      process.stderr.write = (() => true) as typeof process.stderr.write;
      result = await runSweepCli(['--format', 'json', '--output', file, '--fail-on', 'high']);
    } finally {
      process.stderr.write = write;
    }
    assert.equal(result.exitCode, 1);
    const finding = result.report.clusters[0]!.findings.find((f) => f.id === `cluster-sg-baseline:${cluster.clusterSecurityGroupId}:missing`);
    assert.ok(finding, 'the missing group is named');
    assert.equal(finding.severity, 'high');
    assert.equal(await accountState(env.moto), before);
  });
});

describe('handlers: region and parse errors', () => {
  it('an event from another region is rejected before any AWS call, naming both regions', async () => {
    const cluster = await drifted();
    const before = await accountState(env.moto);
    const event = loadSample('on-sg-event/revoke-self-rule.json', { groupId: cluster.clusterSecurityGroupId }) as { region: string; detail: { awsRegion: string } };
    event.region = 'eu-west-1';
    event.detail.awsRegion = 'eu-west-1';
    callLog.reset();
    await assert.rejects(invokeHandler(onSgEvent, event), (err: Error & { code?: string }) =>
      err.code === 'InvalidEvent' && /event from region eu-west-1 \(detail\.awsRegion\), but this function serves us-east-1: nothing done/.test(err.message));
    const create = loadSample('on-cluster-event/create-cluster.json') as { region: string; detail: { awsRegion: string } };
    create.detail.awsRegion = 'ap-south-1';
    await assert.rejects(invokeHandler(onClusterEvent, create), /event from region ap-south-1/);
    assert.deepEqual(callLog.all(), []);
    assert.equal(await accountState(env.moto), before);
  });

  it('a missing requestParameters or a wrong-typed groupId names the field, not "security group not found"', async () => {
    await drifted();
    const before = await accountState(env.moto);
    callLog.reset();
    const noParams = loadSample('on-sg-event/revoke-self-rule.json') as { detail: Record<string, unknown> };
    delete noParams.detail.requestParameters;
    delete noParams.detail.responseElements;
    await assert.rejects(invokeHandler(onSgEvent, noParams), /detail\.requestParameters is missing/);
    const wrongType = loadSample('on-sg-event/revoke-self-rule.json') as { detail: { requestParameters: Record<string, unknown>; responseElements?: unknown } };
    wrongType.detail.requestParameters.groupId = 42;
    delete wrongType.detail.responseElements;
    await assert.rejects(invokeHandler(onSgEvent, wrongType), /detail\.requestParameters\.groupId must be a security group id \(sg-…\), got 42/);
    assert.deepEqual(callLog.all(), []);
    assert.equal(await accountState(env.moto), before);
  });

  it('a failed batch record: the final line names the record and why', async () => {
    const event = loadSample('on-asg-event/instance-launch.json') as { region: string };
    event.region = 'eu-west-1';
    const before = await accountState(env.moto);
    const r = await cli(['invoke', 'on-asg-event', '-'], {}, JSON.stringify(event));
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.last.error, 'BatchItemFailures');
    assert.match(r.last.message!, /^1 record\(s\) failed: [0-9a-f-]{36}: InvalidEvent: event from region eu-west-1 \(region\), but this function serves us-east-1/);
    assert.equal(await accountState(env.moto), before);
  });
});
