import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { logger } from '../../shared/lambda/logger.ts';
import { SlackSink } from '../../shared/local/slack-sink.ts';
import { message, section } from '../../shared/notify/blocks.ts';
import { postToSlack, SlackDeliveryError } from '../../shared/notify/slack.ts';

/** The sender alone, against a loopback sink: timeouts, exhausted retries, an unreachable host. */
let sink: SlackSink;
before(async () => { sink = await SlackSink.start(); logger.setLogLevel('SILENT'); });
after(async () => { await sink.stop(); });
beforeEach(() => sink.reset());

const msg = message('hello', [section('hello')]);
const plenty = () => 30_000;

function assertNoUrl(err: unknown, url: string): void {
  const e = err as SlackDeliveryError;
  for (const text of [e.message, JSON.stringify(e.toJSON()), String(e.stack)]) {
    assert.ok(!text.includes(new URL(url).pathname), 'webhook path leaked');
  }
}

describe('postToSlack', () => {
  it('a timeout is retried with backoff, then the post succeeds', async () => {
    sink.respond({ status: 200, delayMs: 1000 });
    const r = await postToSlack(new URL(sink.url), msg, { remainingMs: plenty, timeoutMs: 200, backoffMs: 50 });
    assert.equal(r.attempts, 2);
    assert.equal(sink.requests.length, 2);
    assert.ok(sink.requests[1]!.at - sink.requests[0]!.at >= 240, 'timeout + backoff before the retry');
  });

  it('5xx on every attempt: a retryable failure naming the status, after maxAttempts with doubling backoff', async () => {
    sink.respond(...Array(4).fill({ status: 503, body: 'service_unavailable' }));
    await assert.rejects(postToSlack(new URL(sink.url), msg, { remainingMs: plenty, backoffMs: 20, maxAttempts: 4 }), (err: SlackDeliveryError) => {
      assert.equal(err.code, 'SlackUnavailable');
      assert.equal(err.retryable, true);
      assert.match(err.message, /HTTP 503 4 times/);
      assertNoUrl(err, sink.url);
      return true;
    });
    const gaps = sink.requests.slice(1).map((r, i) => r.at - sink.requests[i]!.at);
    assert.ok(gaps[0]! >= 19 && gaps[1]! >= 39 && gaps[2]! >= 79, `backoff gaps ${gaps.map((g) => g.toFixed(0)).join(', ')}`);
  });

  it('backoff never runs past the invocation: with little time left it fails (retryable) at once', async () => {
    sink.respond({ status: 500 });
    const started = performance.now();
    await assert.rejects(postToSlack(new URL(sink.url), msg, { remainingMs: () => 7000, timeoutMs: 5000, backoffMs: 2000, marginMs: 1000 }), (err: SlackDeliveryError) => err.retryable && err.code === 'SlackUnavailable');
    assert.ok(performance.now() - started < 1000);
    assert.equal(sink.requests.length, 1);
  });

  it('an unreachable webhook fails with the network reason, not the address', async () => {
    const closed = await SlackSink.start('/services/T/B/unreachable-secret');
    const url = closed.url;
    await closed.stop();
    await assert.rejects(postToSlack(new URL(url), msg, { remainingMs: plenty, backoffMs: 10, maxAttempts: 2 }), (err: SlackDeliveryError) => {
      assert.equal(err.code, 'SlackUnavailable');
      assert.match(err.message, /ECONNREFUSED/);
      assert.ok(!err.message.includes('unreachable-secret') && !err.message.includes(new URL(url).port));
      return true;
    });
  });

  it('403 invalid_token: not retryable, names status and Slack\'s code', async () => {
    sink.respond({ status: 403, body: 'invalid_token' });
    await assert.rejects(postToSlack(new URL(sink.url), msg, { remainingMs: plenty }), (err: SlackDeliveryError) => {
      assert.equal(err.retryable, false);
      assert.equal(err.status, 403);
      assert.match(err.message, /HTTP 403 \(invalid_token\)/);
      assertNoUrl(err, sink.url);
      return true;
    });
    assert.equal(sink.requests.length, 1);
  });
});
