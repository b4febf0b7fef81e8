import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { invokeFunction } from '../../dev/cli/invoke.ts';
import { asSqsEvent, lambdaContext } from '../../dev/cli/lambda-context.ts';
import { loadSample } from '../../dev/local/samples.ts';
import { seedNotify } from '../../dev/local/notify-setup.ts';
import { SlackSink } from '../../dev/local/slack-sink.ts';
import { logger } from '../../shared/lambda/logger.ts';
import type { NotifyResult } from '../../shared/notify/flow.ts';
import { slackPacing } from '../../shared/notify/slack-pacing.ts';
import { containerCaches } from '../../shared/state/cache.ts';
import { handler } from '../../functions/notify/handler.ts';
import { useMoto, withEnv } from '../support/moto.ts';
import { ManualClock } from '../support/clock.ts';

const env = useMoto({ GUARDRAILS_SLACK_INTERVAL_MS: '20' });
let sink: SlackSink;
before(async () => { sink = await SlackSink.start(); logger.setLogLevel('SILENT'); });
after(async () => { await sink.stop(); });

let notifyEnv: Record<string, string>;
let clock: ManualClock;
beforeEach(async () => {
  sink.reset();
  clock = new ManualClock();
  containerCaches.clear();
  slackPacing.useClock(clock);
  const { secretArn, table } = await seedNotify(env.moto, sink.url);
  notifyEnv = { SLACK_WEBHOOK_SECRET_ARN: secretArn, GUARDRAILS_IDEMPOTENCY_TABLE: table };
});

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}.json`, import.meta.url), 'utf8')) as unknown;

async function sqs() {
  return new SQSClient({ region: 'us-east-1', endpoint: env.moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
}

async function deadLetterQueue(): Promise<{ url: string; read: () => Promise<Record<string, any>[]> }> {
  const client = await sqs();
  const url = (await client.send(new CreateQueueCommand({ QueueName: 'dlq' }))).QueueUrl!;
  return { url, read: async () => ((await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages ?? []).map((m) => JSON.parse(m.Body!)) };
}

/** Everything the function writes (Powertools logs go to stdout/stderr). */
async function captureOutput<T>(fn: () => Promise<T>): Promise<{ result?: T; error?: unknown; output: string }> {
  let output = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const capture = (chunk: unknown) => { output += String(chunk); return true; };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  try {
    return { result: await fn(), output };
  } catch (error) {
    return { error, output };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** `eks-guardrails` in a child process (asynchronously: the sink answers from this one). */
function runCli(args: string[], stdin: string, extraEnv: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('../../bin/eks-guardrails.mjs', import.meta.url)), ...args], { env: { ...process.env, ...extraEnv } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(stdin);
  });
}

async function invoke(event: unknown, extra: Record<string, string> = {}): Promise<NotifyResult> {
  return withEnv({ ...notifyEnv, ...extra }, async () => (await handler(event, lambdaContext('notify'))) as NotifyResult);
}

describe('notify → Slack on a loopback sink, secret and idempotency on moto', () => {
  it('reads the webhook from Secrets Manager and posts each kind exactly as its fixture', async () => {
    for (const name of ['remediation-applied', 'remediation-planned', 'remediation-failed', 'finding-high', 'sweep-completed']) {
      const result = await invoke(loadSample(`notify/${name}.json`));
      assert.equal(result.status, 'posted', name);
    }
    assert.equal(sink.requests.length, 5);
    assert.ok(sink.requests.every((r) => r.path === new URL(sink.url).pathname));
    assert.deepEqual(sink.requests.map((r) => r.body), ['remediation-applied', 'remediation-planned', 'remediation-failed', 'finding-high', 'sweep-completed'].map(fixture));
  });

  it('429 with Retry-After: waits that long, then posts once', async () => {
    sink.respond({ status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' });
    const result = await invoke(loadSample('notify/remediation-applied.json'));
    assert.equal(result.status, 'posted');
    assert.equal(sink.requests.length, 2);
    assert.deepEqual(sink.requests.map((r) => r.status), [429, 200]);
    // The pacer's interval (20 ms here) before the first post, then exactly the Retry-After.
    assert.deepEqual(clock.sleeps, [20, 1000]);
    assert.equal(result.channels?.[0]?.attempts, 2);
    assert.equal(result.channels?.[0]?.waitedMs, 1000);
  });

  it('429 whose Retry-After exceeds the time left fails retryably, so the queue retries the event', async () => {
    sink.respond({ status: 429, headers: { 'retry-after': '120' } });
    await assert.rejects(invoke(loadSample('notify/remediation-applied.json')), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'SlackRateLimited');
      assert.match(err.message, /429/);
      return true;
    });
    assert.equal(sink.requests.length, 1);
    // Right away, the container holds off as Slack asked…
    await assert.rejects(invoke(loadSample('notify/remediation-applied.json')), (err: Error & { code?: string }) => err.code === 'SlackHoldingOff');
    assert.equal(sink.requests.length, 1);
    // …and the redelivery (after the queue's visibility timeout; a fresh container here) posts:
    // the idempotency record was released.
    slackPacing.useClock(new ManualClock());
    const retried = await invoke(loadSample('notify/remediation-applied.json'));
    assert.equal(retried.status, 'posted');
    assert.equal(sink.delivered().length, 1);
  });

  it('after a 429 beyond the invocation, the rest of the batch is not posted into the limit; all are redelivered', async () => {
    sink.respond({ status: 429, headers: { 'retry-after': '120' } });
    const base = loadSample('notify/remediation-applied.json');
    const batch = asSqsEvent([0, 1, 2].map((i) => ({ ...base, id: `held-${i}` })), 'notify-queue.fifo');
    const out = await withEnv(notifyEnv, async () => (await handler(batch, lambdaContext('notify'))) as { batchItemFailures: { itemIdentifier: string }[] });
    assert.deepEqual(out.batchItemFailures.map((f) => f.itemIdentifier), batch.Records.map((r) => r.messageId));
    assert.equal(sink.requests.length, 1, 'only the first event reached Slack');
    // A later invocation after the hold-off (a fresh container here) posts them.
    slackPacing.useClock(new ManualClock());
    const again = await withEnv(notifyEnv, async () => (await handler(batch, lambdaContext('notify'))) as { batchItemFailures: unknown[] });
    assert.deepEqual(again.batchItemFailures, []);
    assert.equal(sink.delivered().length, 3);
  });

  it('500 then success: backs off and posts once', async () => {
    sink.respond({ status: 500, body: 'internal_error' });
    const result = await invoke(loadSample('notify/finding-high.json'));
    assert.equal(result.status, 'posted');
    assert.deepEqual(sink.requests.map((r) => r.status), [500, 200]);
    assert.deepEqual(clock.sleeps, [20, 500], 'the pacer\'s interval, then the first backoff');
  });

  it('404 (revoked webhook): a failure naming the status, never the URL — in the error and in every log line (DEBUG)', async () => {
    sink.respond({ status: 404, body: 'no_service' });
    // The CLI runs the handler as Lambda would, in its own process, with every log level on.
    const { code, output } = await runCli(['invoke', 'notify', '-'], JSON.stringify(loadSample('notify/remediation-applied.json')), {
      ...notifyEnv, POWERTOOLS_LOG_LEVEL: 'DEBUG', GUARDRAILS_SLACK_INTERVAL_MS: '0',
    });
    assert.notEqual(code, 0);
    assert.equal(sink.requests.length, 1, 'the post reached the sink');
    assert.match(output, /SlackRejected/);
    assert.match(output, /HTTP 404 \(no_service\)/);
    assert.match(output, /"level":"DEBUG","message":"slack answered".*"status":404/, 'debug logs were captured');
    assert.ok(!output.includes(new URL(sink.url).pathname), 'webhook path leaked');
    assert.ok(!output.includes('local-webhook-secret-token'), 'webhook token leaked');
    // And in-process, the error object itself.
    sink.respond({ status: 404, body: 'no_service' });
    const err = await invoke(loadSample('notify/finding-high.json')).then(() => undefined, (e: unknown) => e as Error & { code?: string; toJSON: () => unknown });
    assert.equal(err?.code, 'SlackRejected');
    for (const text of [err!.message, JSON.stringify(err!.toJSON()), String(err!.stack)]) {
      assert.ok(!text.includes('local-webhook-secret-token'), 'webhook token leaked');
    }
  });

  it('404 with a dead-letter queue: the event lands there with a structured error, without the URL', async () => {
    const dlq = await deadLetterQueue();
    sink.respond({ status: 404, body: 'no_service' });
    const event = loadSample('notify/remediation-applied.json');
    const { result, output } = await captureOutput(() => invoke(event, { GUARDRAILS_DLQ_URL: dlq.url }));
    assert.equal(result?.status, 'dead-lettered');
    const [message] = await dlq.read();
    assert.equal(message?.error.error, 'SlackRejected');
    assert.equal(message?.error.details.status, 404);
    assert.deepEqual(message?.event, event);
    assert.ok(!JSON.stringify(message).includes('local-webhook-secret-token'));
    assert.ok(!output.includes('local-webhook-secret-token'));
    // Once the webhook is fixed, the dead-letter message replays as it is.
    const replayed = await invoke(message, { GUARDRAILS_DLQ_URL: dlq.url });
    assert.equal(replayed.status, 'posted');
    assert.equal(sink.delivered().length, 1);
  });

  it('a malformed event goes to the dead-letter queue with the zod issues; nothing is posted', async () => {
    const dlq = await deadLetterQueue();
    const event = loadSample('notify/remediation-applied.json') as { detail: Record<string, unknown> };
    delete event.detail.cluster;
    event.detail.severity = 'urgent';
    const result = await invoke(event, { GUARDRAILS_DLQ_URL: dlq.url });
    assert.equal(result.status, 'dead-lettered');
    const [message] = await dlq.read();
    assert.equal(message?.error.error, 'InvalidEvent');
    assert.deepEqual(message?.error.details.issues.map((i: { path: string }) => i.path).sort(), ['cluster', 'severity']);
    assert.equal(sink.requests.length, 0);
  });

  it('a duplicate delivery of one event posts once (durable, keyed on the EventBridge id)', async () => {
    const event = loadSample('notify/remediation-applied.json');
    const first = await invoke(event);
    slackPacing.useClock(new ManualClock()); // a new container: only DynamoDB remembers
    const second = await withEnv(notifyEnv, () => invokeFunction('notify', event)) as { batchItemFailures: unknown[] };
    assert.equal(first.channels?.[0]?.delivered, 'now');
    assert.deepEqual(second.batchItemFailures, []);
    assert.equal(sink.requests.length, 1);
    // Another event id with the same content is another notification.
    await invoke({ ...event, id: 'another-event-id' });
    assert.equal(sink.requests.length, 2);
  });

  it('findings below the severity threshold are not posted; remediations always are', async () => {
    const low = await invoke(loadSample('unmatched/finding-low.json'));
    assert.equal(low.status, 'skipped');
    const lowAllowed = await invoke(loadSample('unmatched/finding-low.json'), { GUARDRAILS_NOTIFY_MIN_SEVERITY: 'low' });
    assert.equal(lowAllowed.status, 'posted');
    const applied = await invoke(loadSample('notify/remediation-applied.json'), { GUARDRAILS_NOTIFY_MIN_SEVERITY: 'critical' });
    assert.equal(applied.status, 'posted');
    assert.equal(sink.requests.length, 2);
  });
});

describe('Amazon Q Developer in chat applications (custom notifications over SNS), on moto', () => {
  async function topicWithQueue() {
    const config = { region: 'us-east-1', endpoint: env.moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    const { SNSClient, CreateTopicCommand, SubscribeCommand } = await import('@aws-sdk/client-sns');
    const { GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
    const sns = new SNSClient(config);
    const client = await sqs();
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'chatbot' }))).TopicArn!;
    const url = (await client.send(new CreateQueueCommand({ QueueName: 'chatbot-channel' }))).QueueUrl!;
    const arn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: arn, Attributes: { RawMessageDelivery: 'true' } }));
    const read = async () => ((await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages ?? []).map((m) => JSON.parse(m.Body!) as Record<string, any>);
    return { topicArn, read };
  }

  it('publishes the custom-notification format, once per event, beside the Slack post', async () => {
    const { topicArn, read } = await topicWithQueue();
    const event = loadSample('notify/remediation-applied.json');
    const first = await invoke(event, { GUARDRAILS_CHATBOT_TOPIC_ARN: topicArn });
    await invoke(event, { GUARDRAILS_CHATBOT_TOPIC_ARN: topicArn });
    assert.deepEqual(first.channels?.map((c) => c.channel), ['slack', 'chatbot']);
    assert.equal(sink.requests.length, 1);
    const published = await read();
    assert.equal(published.length, 1);
    const n = published[0]!;
    assert.equal(n.version, '1.0');
    assert.equal(n.source, 'custom');
    assert.equal(n.content.textType, 'client-markdown');
    assert.equal(n.content.title, '🔧 Repaired · prod · 123456789012 · us-east-1');
    assert.match(n.content.description, /\*\*What changed\*\*/);
    assert.match(n.content.description, /\[prod\]\(https:\/\/us-east-1\.console\.aws\.amazon\.com\/eks\/home\?region=us-east-1#\/clusters\/prod\)/);
    assert.deepEqual(n.content.keywords, ['eks-guardrails', 'prod', 'cluster-sg-baseline', 'high']);
    assert.equal(n.metadata.threadId, '123456789012-us-east-1-prod');
  });

  it('works without Slack at all (Chatbot only)', async () => {
    const { topicArn, read } = await topicWithQueue();
    const result = await invoke(loadSample('notify/sweep-completed.json'), { SLACK_WEBHOOK_SECRET_ARN: '', GUARDRAILS_CHATBOT_TOPIC_ARN: topicArn });
    assert.deepEqual(result.channels?.map((c) => c.channel), ['chatbot']);
    assert.equal(sink.requests.length, 0);
    const [n] = await read();
    assert.match(n!.content.title, /^📋 Sweep finished: 2 new, 2 resolved · 24 open in 14 clusters/);
    assert.deepEqual(n!.content.nextSteps, ['Read the report: https://guardrails-reports.s3.amazonaws.com/2026-11-24/sweep.html']);
  });
});
