import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRetryAfter } from '../../../../shared/notify/slack.ts';

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
