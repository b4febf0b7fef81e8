import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSample } from '../../../../dev/local/samples.ts';
import { previewMessage } from '../../../../shared/notify/plain.ts';
import { renderMessage } from '../../../../shared/notify/render.ts';
import { parseNotifyEvent } from '../../../../shared/notify/schema.ts';

const sample = () => loadSample('notify/sweep-completed.json') as { detail: Record<string, any> };
const text = (event: unknown) => previewMessage(renderMessage(parseNotifyEvent(event)));

describe('sweep digest: what changed since the last sweep', () => {
  it('leads with new and resolved findings, by name, before the totals', () => {
    const t = text(sample());
    assert.match(t, /^📋 Sweep finished: 2 new, 2 resolved · 24 open in 14 clusters/);
    const since = t.indexOf('Since the last sweep');
    assert.ok(since > 0 && since < t.indexOf('Open findings by severity'), 'changes come first');
    assert.match(t, /new 2 {2}· {2}✅ resolved 2 {2}· {2}still open 22/);
    assert.match(t, /Resolved[\s\S]*Cluster payments: API endpoint is public[\s\S]*\(no longer found\)/);
  });

  it('a digest from a producer without changes reads as before', () => {
    const event = sample();
    delete event.detail.changes;
    const t = text(event);
    assert.match(t, /^📋 Sweep finished: 24 open findings in 14 clusters/);
    assert.ok(!t.includes('Since the last sweep'));
  });

  it('no baseline: says why and that every open finding counts as new; off: one quiet line', () => {
    const event = sample();
    event.detail.changes = { ...event.detail.changes, baseline: { status: 'missing', reason: 'first sweep: no previous report' }, new: 24, resolved: 0, stillOpen: 0, newFindings: [], resolvedFindings: [] };
    assert.match(text(event), /No baseline — first sweep: no previous report: all 24 open findings count as new/);
    event.detail.changes.baseline = { status: 'off', reason: 'reports are not uploaded' };
    const off = text(event);
    assert.match(off, /^📋 Sweep finished: 24 open findings/);
    assert.match(off, /Not compared with a previous sweep: reports are not uploaded/);
  });

  it('rejects a malformed changes field rather than saying something false', () => {
    const event = sample();
    event.detail.changes.resolved = -1;
    assert.throws(() => parseNotifyEvent(event), /invalid detail/);
  });
});
