import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupsCommand, EC2Client, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { handler } from '../../functions/sweep/handler.ts';
import type { SweepCompletedDetail } from '../../shared/events/sweep-events.ts';
import { seedProblemAccount } from '../../dev/local/sweep-account.ts';
import { previewMessage } from '../../shared/notify/plain.ts';
import { renderMessage } from '../../shared/notify/render.ts';
import { parseNotifyEvent } from '../../shared/notify/schema.ts';
import type { SweepOutcome } from '../../shared/sweep/fanout.ts';
import type { SweepReport } from '../../shared/sweep/model.ts';
import { validateSweepReport } from '../../shared/sweep/report-schema.ts';
import { renderInChromium } from '../support/chromium.ts';
import { invokeHandler } from '../support/lambda.ts';
import { useMoto, withEnv } from '../support/moto.ts';
import { runCli, type CliRun } from '../support/cli.ts';

const env = useMoto();
const BUS = 'guardrails-bus';
const BUCKET = 'sweep-bucket';

function clients() {
  const config = { region: 'us-east-1', endpoint: env.moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1, forcePathStyle: true };
  return { s3: new S3Client(config), sqs: new SQSClient(config), events: new EventBridgeClient(config), ec2: new EC2Client(config) };
}

/** The stack's bucket and bus, and a queue that records what the sweep published. */
async function plumbing() {
  const { s3, sqs, events } = clients();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await events.send(new CreateEventBusCommand({ Name: BUS }));
  const q = await sqs.send(new CreateQueueCommand({ QueueName: 'completed' }));
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await events.send(new PutRuleCommand({ Name: 'sweeps', EventBusName: BUS, EventPattern: JSON.stringify({ source: ['eks-guardrails'], 'detail-type': ['Sweep Completed'] }) }));
  await events.send(new PutTargetsCommand({ Rule: 'sweeps', EventBusName: BUS, Targets: [{ Id: 'q', Arn: arn }] }));
  const digests = async (): Promise<{ id: string; 'detail-type': string; source: string; detail: SweepCompletedDetail }[]> => {
    const all: { id: string; 'detail-type': string; source: string; detail: SweepCompletedDetail }[] = [];
    for (;;) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.QueueUrl, MaxNumberOfMessages: 10 }));
      if (!out.Messages?.length) return all;
      all.push(...out.Messages.map((m) => JSON.parse(m.Body!)));
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: q.QueueUrl, Entries: out.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
  };
  const read = async (url: string) => {
    const [, , bucket, ...key] = url.split('/');
    return (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key.join('/') }))).Body!.transformToString());
  };
  return { s3, digests, read };
}

const SCHEDULED = { GUARDRAILS_MODE: 'dry-run', GUARDRAILS_EVENT_BUS: BUS, GUARDRAILS_SWEEP_BUCKET: BUCKET, GUARDRAILS_SWEEP_UPLOAD_REPORTS: 'true' };

function cli(args: string[]): Promise<CliRun> {
  return runCli(args, { ...env.moto.env(), AWS_ACCESS_KEY_ID: 'any', AWS_SECRET_ACCESS_KEY: 'any' });
}

/** A person removes the ssh-from-anywhere rule of world-open's cluster SG between two sweeps. */
async function fixWorldOpen(groupId: string): Promise<void> {
  await clients().ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
}

/** …and someone opens the healthy cluster's SG to the world: a new problem. */
async function breakHealthy(): Promise<void> {
  const { ec2 } = clients();
  const groups = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:aws:eks:cluster-name', Values: ['healthy'] }] }));
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groups.SecurityGroups![0]!.GroupId!, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
}

describe('sweeps that remember', () => {
  it('two scheduled sweeps, one problem fixed in between: the second report and digest say resolved and name it; the HTML shows it in Chromium', async () => {
    const account = await seedProblemAccount(env.moto, { only: ['world-open', 'public-api'] });
    const worldOpen = account.problems.find((p) => p.cluster === 'world-open')!;
    const p = await plumbing();

    const first = await withEnv(SCHEDULED, () => invokeHandler<SweepOutcome>(handler, { phase: 'start' }));
    assert.equal(first.status, 'completed');
    const [firstDigest] = await p.digests();
    assert.equal(firstDigest?.detail.changes?.baseline.status, 'missing', 'the first sweep has nothing to compare with, and says so');
    assert.match(firstDigest!.detail.changes!.baseline.reason!, /first sweep/);
    const firstReport = JSON.parse(await p.read(firstDigest!.detail.reportUrl!.replace(/\.html$/, '.json'))) as SweepReport;
    assert.equal(firstReport.comparison.new.total, firstReport.summary.open.total, 'without a baseline every open finding is new');
    const pointer = JSON.parse(await p.read(`s3://${BUCKET}/reports/latest.json`)) as { sweepId: string; key: string };
    assert.equal(pointer.sweepId, firstReport.sweepId);

    await fixWorldOpen(worldOpen.resourceId);
    await breakHealthy();

    const second = await withEnv(SCHEDULED, () => invokeHandler<SweepOutcome>(handler, { phase: 'start' }));
    assert.equal(second.status, 'completed');
    const [digest] = await p.digests();
    const report = JSON.parse(await p.read(digest!.detail.reportUrl!.replace(/\.html$/, '.json'))) as SweepReport;
    assert.deepEqual(validateSweepReport(report), { ok: true });
    assert.equal(report.comparison.baseline.status, 'compared');
    assert.equal(report.comparison.baseline.sweepId, firstReport.sweepId);
    // Resolved, by name: the world-open rule a person removed.
    assert.equal(report.comparison.resolved.total, 1);
    const [resolved] = report.comparison.resolved.findings;
    assert.ok(resolved!.id.startsWith(worldOpen.findingId), resolved!.id);
    assert.equal(resolved!.cluster, 'world-open');
    assert.equal(resolved!.resolution, 'gone');
    // New: the healthy cluster's RDP rule; everything else is still open.
    const fresh = report.clusters.flatMap((c) => c.findings.filter((f) => f.change === 'new').map((f) => `${c.name}:${f.check}`));
    assert.deepEqual(fresh, ['healthy:cluster-sg-baseline']);
    assert.equal(report.comparison.stillOpen, report.summary.open.total - 1);
    assert.ok(report.clusters.every((c) => c.baseline === 'compared'));

    // The digest counts it and names it.
    assert.equal(digest!.detail.changes?.resolved, 1);
    assert.equal(digest!.detail.changes?.new, 1);
    assert.equal(digest!.detail.changes?.resolvedFindings[0]?.id, resolved!.id);
    const slack = previewMessage(renderMessage(parseNotifyEvent(digest)));
    assert.match(slack, /^📋 Sweep finished \(dry-run\): 1 new, 1 resolved/);
    assert.ok(slack.includes(`✅ ${resolved!.title} — world-open (no longer found)`), slack);

    // The HTML report leads with it, rendered by a browser.
    const dir = mkdtempSync(join(tmpdir(), 'sweep-remember-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, await p.read(digest!.detail.reportUrl!));
    const dom = renderInChromium(file, process.env.SWEEP_HTML_SCREENSHOT ? join(dir, 'report.png') : undefined);
    assert.ok(dom.indexOf('id="changes"') < dom.indexOf('id="summary"'), 'changes first');
    assert.ok(dom.includes('data-changes="resolved"><span class="badge resolved">resolved</span><b>1</b>'));
    assert.ok(dom.includes('data-changes="new"><span class="badge new">new</span><b>1</b>'));
    assert.ok(dom.includes(`data-resolved-id="${resolved!.id}" data-resolution="gone"`));
    assert.match(dom, /<tr data-new-id="cluster-sg-baseline:sg-[^"]+"><td><span class="badge high">high<\/span><\/td><td><a href="#cluster-[^"]+">healthy<\/a>/);
    assert.match(dom, /data-change="new">new since last sweep<\/span>/);
  });

  it('a fanned-out sweep compares in its finish phase, with the report the last sweep uploaded', async () => {
    const account = await seedProblemAccount(env.moto, { only: ['world-open'] });
    const p = await plumbing();
    const first = await withEnv(SCHEDULED, () => invokeHandler<SweepOutcome>(handler, { phase: 'start' }));
    assert.equal(first.status, 'completed');
    await p.digests();
    await fixWorldOpen(account.problems[0]!.resourceId);
    // What SweepStateMachine does: a batch per work item, then finish.
    const items = [{ scope: { region: 'us-east-1' }, clusters: ['world-open', 'healthy'] }, { scope: { region: 'us-east-1' }, clusters: ['exempt'] }];
    const startedAt = new Date().toISOString();
    const partials: unknown[] = [];
    for (const [index, item] of items.entries()) partials.push(await withEnv(SCHEDULED, () => invokeHandler(handler, { phase: 'batch', sweepId: 'fanned', index, item })));
    const out = await withEnv(SCHEDULED, () => invokeHandler<SweepOutcome>(handler, { phase: 'finish', sweepId: 'fanned', startedAt, items, partials }));
    assert.equal(out.status, 'completed');
    const [digest] = await p.digests();
    assert.equal(digest?.detail.changes?.baseline.status, 'compared');
    assert.equal(digest?.detail.changes?.baseline.sweepId, first.sweepId);
    assert.deepEqual(digest?.detail.changes?.resolvedFindings.map((f) => `${f.cluster}:${f.resolution}`), ['world-open:gone']);
    assert.equal(digest?.detail.changes?.new, 0);
  });

  it('a pointer to a report that is not one, or a report of an unknown schema: the sweep still runs and says it could not compare', async () => {
    await seedProblemAccount(env.moto, { only: ['world-open'] });
    const p = await plumbing();
    await p.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'reports/latest.json', Body: JSON.stringify({ key: 'reports/2026/01/01/x.json' }) }));
    await p.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'reports/2026/01/01/x.json', Body: JSON.stringify({ schemaVersion: '7.0' }) }));
    const out = await withEnv(SCHEDULED, () => invokeHandler<SweepOutcome>(handler, { phase: 'start' }));
    assert.equal(out.status, 'completed');
    const [digest] = await p.digests();
    assert.equal(digest?.detail.changes?.baseline.status, 'unreadable');
    assert.match(digest!.detail.changes!.baseline.reason!, /schema 7\.0/);
    // …and the next sweep compares with this one: the pointer moved on.
    await withEnv(SCHEDULED, () => invokeHandler<SweepOutcome>(handler, { phase: 'start' }));
    const [next] = await p.digests();
    assert.equal(next?.detail.changes?.baseline.status, 'compared');
    assert.equal(next?.detail.changes?.new, 0);
  });

  it('without uploaded reports there is nothing to remember, and the digest says so', async () => {
    await seedProblemAccount(env.moto, { only: ['world-open'] });
    const p = await plumbing();
    await withEnv({ ...SCHEDULED, GUARDRAILS_SWEEP_UPLOAD_REPORTS: 'false' }, () => invokeHandler<SweepOutcome>(handler, { phase: 'start' }));
    const [digest] = await p.digests();
    assert.equal(digest?.detail.changes?.baseline.status, 'off');
    assert.match(previewMessage(renderMessage(parseNotifyEvent(digest))), /Not compared with a previous sweep: reports are not uploaded \(SweepUploadReports=false\)/);
  });

  it('CLI: --previous FILE and --fail-on-new gate on new findings only', async () => {
    const account = await seedProblemAccount(env.moto, { only: ['world-open'] });
    const dir = mkdtempSync(join(tmpdir(), 'sweep-previous-'));
    const file = join(dir, 'last.json');
    const args = ['sweep', '--dry-run', '--format', 'json', '--previous', file, '--output', file];

    assert.equal((await cli(['sweep', '--dry-run', '--fail-on-new', 'high'])).code, 2, '--fail-on-new without --previous is a usage error');

    // First run in CI: no file yet — every open finding is new, and stderr says why.
    const first = await cli([...args, '--fail-on-new', 'high']);
    assert.equal(first.code, 1);
    assert.match(first.stderr, /previous report: first sweep: .*last\.json does not exist; every open finding counts as new/);
    assert.match(first.stderr, /fail-on-new high: 1 new finding\(s\) at or above high \(no baseline: first sweep/);
    const firstReport = JSON.parse(readFileSync(file, 'utf8')) as SweepReport;
    assert.equal(firstReport.comparison.baseline.status, 'missing');

    // Same account again: nothing new, the gate passes although high findings remain open.
    const again = await cli([...args, '--fail-on-new', 'high', '--fail-on', 'critical']);
    assert.equal(again.code, 0, again.stderr);
    const againReport = JSON.parse(readFileSync(file, 'utf8')) as SweepReport;
    assert.equal(againReport.comparison.baseline.sweepId, firstReport.sweepId);
    assert.equal(againReport.comparison.new.total, 0);
    assert.ok(againReport.summary.open.bySeverity.high! >= 1);

    // A new world-open rule appears: the gate trips, naming the baseline.
    await breakHealthy();
    const tripped = await cli([...args, '--fail-on-new', 'high']);
    assert.equal(tripped.code, 1);
    assert.match(tripped.stderr, new RegExp(`fail-on-new high: 1 new finding\\(s\\) at or above high since sweep ${againReport.sweepId}`));

    // Fixed in between: the table names it as resolved.
    await fixWorldOpen(account.problems[0]!.resourceId);
    const table = await cli(['sweep', '--dry-run', '--previous', file]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /Since sweep \S+ \(.+\): 0 new \(none\) · 1 resolved · \d+ still open/);
    assert.match(table.stdout, /✔ resolved {2}high {5}world-open: .*0\.0\.0\.0\/0.*\(no longer found\)/);

    // An unreadable previous report (the HTML one, say): said, and every open finding counts as new.
    writeFileSync(file, '<!doctype html>');
    const bad = await cli(['sweep', '--dry-run', '--format', 'json', '--previous', file, '--fail-on-new', 'high']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /previous report: not JSON/);
    assert.equal((JSON.parse(bad.stdout) as SweepReport).comparison.baseline.status, 'unreadable');
  });
});
