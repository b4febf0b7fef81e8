import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
