import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { logger } from '../../shared/lambda/logger.ts';
import { SlackSink } from '../../dev/local/slack-sink.ts';
import { message, section } from '../../shared/notify/blocks.ts';
import { postToSlack, SlackDeliveryError } from '../../shared/notify/slack.ts';
import { ManualClock } from '../support/clock.ts';

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
    // The first answer never comes in time (held far past the request's timeout); the retry is answered at once.
    sink.respond({ status: 200, delayMs: 60_000 });
    const clock = new ManualClock();
    const r = await postToSlack(new URL(sink.url), msg, { remainingMs: plenty, timeoutMs: 2000, backoffMs: 50, clock });
    assert.equal(r.attempts, 2);
    assert.equal(sink.requests.length, 2);
    assert.deepEqual(clock.sleeps, [50], 'one backoff before the retry');
    assert.equal(r.waitedMs, 50);
  });

  it('5xx on every attempt: a retryable failure naming the status, after maxAttempts with doubling backoff', async () => {
    sink.respond(...Array(4).fill({ status: 503, body: 'service_unavailable' }));
    const clock = new ManualClock();
    await assert.rejects(postToSlack(new URL(sink.url), msg, { remainingMs: plenty, backoffMs: 20, maxAttempts: 4, clock }), (err: SlackDeliveryError) => {
      assert.equal(err.code, 'SlackUnavailable');
      assert.equal(err.retryable, true);
      assert.match(err.message, /HTTP 503 4 times/);
      assertNoUrl(err, sink.url);
      return true;
    });
    assert.equal(sink.requests.length, 4);
    assert.deepEqual(clock.sleeps, [20, 40, 80], 'doubling backoff between the four attempts, none after the last');
  });

  it('backoff never runs past the invocation: with little time left it fails (retryable) at once', async () => {
    sink.respond({ status: 500 });
    const clock = new ManualClock();
    await assert.rejects(postToSlack(new URL(sink.url), msg, { remainingMs: () => 7000, timeoutMs: 5000, backoffMs: 2000, marginMs: 1000, clock }), (err: SlackDeliveryError) => err.retryable && err.code === 'SlackUnavailable');
    assert.deepEqual(clock.sleeps, [], 'no backoff that would run past the invocation');
    assert.equal(sink.requests.length, 1);
  });

  it('an unreachable webhook fails with the network reason, not the address', async () => {
    const closed = await SlackSink.start('/services/T/B/unreachable-secret');
    const url = closed.url;
    await closed.stop();
    await assert.rejects(postToSlack(new URL(url), msg, { remainingMs: plenty, backoffMs: 10, maxAttempts: 2, clock: new ManualClock() }), (err: SlackDeliveryError) => {
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
