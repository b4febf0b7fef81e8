import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../../shared/capabilities/config.ts';
import { loadSample } from '../../../../dev/local/samples.ts';
import { Pacer } from '../../../../shared/notify/pacer.ts';
import { ManualClock } from '../../../support/clock.ts';
import { parseNotifyEvent } from '../../../../shared/notify/schema.ts';
import { parseRetryAfter } from '../../../../shared/notify/slack.ts';
import { parseWebhook } from '../../../../shared/notify/webhook.ts';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:slack-AbCdEf';
const HOOK = 'https://hooks.slack.com/services/TEXAMPLE/BEXAMPLE/not-a-real-token';

describe('webhook secret value', () => {
  it('accepts the URL itself or JSON with url / webhookUrl / webhook_url', () => {
    for (const value of [HOOK, ` ${HOOK}\n`, JSON.stringify({ url: HOOK }), JSON.stringify({ webhookUrl: HOOK }), JSON.stringify({ webhook_url: HOOK })]) {
      assert.equal(parseWebhook(value, ARN).href, HOOK);
    }
  });

  it('refuses anything else without repeating the value', () => {
    for (const value of ['not a url', 'http://hooks.slack.com/services/T/B/plain-http-secret', '{"token":"abc-secret"}', '{broken-secret']) {
      assert.throws(() => parseWebhook(value, ARN), (err: Error & { code: string }) => {
        assert.equal(err.code, 'InvalidSecret');
        assert.ok(err.message.includes(ARN));
        assert.ok(!err.message.includes('secret"') && !err.message.includes('plain-http-secret') && !err.message.includes('abc-secret') && !err.message.includes('broken-secret'));
        return true;
      });
    }
  });

  it('allows plain http only to loopback (the local sink)', () => {
    assert.equal(parseWebhook('http://127.0.0.1:8080/services/x', ARN).port, '8080');
    assert.equal(parseWebhook('http://localhost:8080/x', ARN).hostname, 'localhost');
  });
});

describe('Retry-After', () => {
  it('reads seconds (also fractional) and HTTP dates; missing or unreadable is 1 s', () => {
    assert.equal(parseRetryAfter('30'), 30_000);
    assert.equal(parseRetryAfter('0.25'), 250);
    assert.equal(parseRetryAfter(null), 1000);
    assert.equal(parseRetryAfter('soon'), 1000);
    const now = Date.parse('2026-11-24T08:00:00Z');
    assert.equal(parseRetryAfter('Tue, 24 Nov 2026 08:00:05 GMT', now), 5000);
  });
});

describe('Pacer', () => {
  it('spaces posts one interval after the previous one finished, starting from the container start', () => {
    let t = 1000;
    const pacer = new Pacer(1000, { now: () => t, sleep: async () => undefined });
    assert.equal(pacer.waitMs(), 1000, 'a fresh container waits one interval');
    t = 2500;
    assert.equal(pacer.waitMs(), 0);
    pacer.posted();
    t = 2700;
    assert.equal(pacer.waitMs(), 800);
    t = 4000;
    assert.equal(pacer.waitMs(), 0);
  });

  it('turn() sleeps on its clock for exactly the wait, and not at all when none is due', async () => {
    const clock = new ManualClock(5000);
    const pacer = new Pacer(1000, clock);
    await pacer.turn();
    pacer.posted();
    await clock.sleep(300); // the next event arrives 300 ms later
    await pacer.turn();
    pacer.posted();
    await clock.sleep(1500);
    await pacer.turn();
    assert.deepEqual(clock.sleeps, [1000, 300, 700, 1500]);
  });
});

describe('notify configuration', () => {
  it('defaults: medium, 1 s between posts; bad values fail loudly', () => {
    const c = loadConfig({}).notify!;
    assert.equal(c.minSeverity, 'medium');
    assert.equal(c.intervalMs, 1000);
    assert.equal(loadConfig({ GUARDRAILS_NOTIFY_MIN_SEVERITY: 'HIGH' }).notify!.minSeverity, 'high');
    assert.throws(() => loadConfig({ GUARDRAILS_NOTIFY_MIN_SEVERITY: 'urgent' }), /GUARDRAILS_NOTIFY_MIN_SEVERITY/);
    assert.throws(() => loadConfig({ GUARDRAILS_SLACK_INTERVAL_MS: '-5' }), /GUARDRAILS_SLACK_INTERVAL_MS/);
  });
});

describe('event validation', () => {
  it('names what is wrong, by path', () => {
    assert.throws(() => parseNotifyEvent({ hello: 'world' }), (err: Error & { code: string; details: { issues: { path: string }[] } }) => {
      assert.equal(err.code, 'InvalidEvent');
      assert.deepEqual(err.details.issues.map((i) => i.path).sort(), ['detail', 'detail-type', 'id', 'source']);
      return true;
    });
    const wrongType = { ...loadSample('notify/remediation-applied.json'), 'detail-type': 'AWS API Call via CloudTrail' };
    assert.throws(() => parseNotifyEvent(wrongType), /does not handle detail-type "AWS API Call via CloudTrail"/);
    const sweep = loadSample('notify/sweep-completed.json') as { detail: Record<string, unknown> };
    sweep.detail.schemaVersion = '2.0';
    assert.throws(() => parseNotifyEvent(sweep), (err: Error & { details: { issues: { path: string }[] } }) => err.details.issues[0]!.path === 'schemaVersion');
  });

  it('keeps fields added later by producers (the contract grows with optional fields)', () => {
    const event = loadSample('notify/sweep-completed.json') as { detail: Record<string, unknown> };
    event.detail.newOptionalField = 42;
    const parsed = parseNotifyEvent(event);
    assert.equal((parsed.detail as unknown as Record<string, unknown>).newOptionalField, 42);
  });
});
