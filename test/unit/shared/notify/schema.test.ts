import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSample } from '../../../../dev/local/samples.ts';
import { parseNotifyEvent } from '../../../../shared/notify/schema.ts';

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
