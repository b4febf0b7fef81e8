import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadSample } from '../../../../dev/local/samples.ts';
import { LIMITS, type SlackMessage } from '../../../../shared/notify/blocks.ts';
import { renderMessage } from '../../../../shared/notify/render.ts';
import { parseNotifyEvent } from '../../../../shared/notify/schema.ts';
import { previewMessage } from '../../../../shared/notify/plain.ts';

const FIXTURES = new URL('../../../fixtures/slack/', import.meta.url);

/** Reviewed Block Kit JSON per event kind. UPDATE_FIXTURES=1 rewrites them (then review the diff). */
function fixture(name: string, actual: SlackMessage): SlackMessage {
  const file = new URL(`${name}.json`, FIXTURES);
  if (process.env.UPDATE_FIXTURES === '1') writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  return JSON.parse(readFileSync(file, 'utf8')) as SlackMessage;
}

function assertWithinLimits(msg: SlackMessage): void {
  assert.ok(msg.blocks.length <= LIMITS.blocks, `${msg.blocks.length} blocks`);
  for (const b of msg.blocks) {
    if (b.type === 'header') assert.ok(b.text.text.length <= LIMITS.header);
    if (b.type === 'section') {
      if (b.text) assert.ok(b.text.text.length <= LIMITS.sectionText, `section of ${b.text.text.length} chars`);
      for (const f of b.fields ?? []) assert.ok(f.text.length <= LIMITS.field);
      assert.ok((b.fields ?? []).length <= LIMITS.fields);
    }
  }
}

const KINDS = [
  ['remediation-applied', 'applied'],
  ['remediation-planned', 'planned'],
  ['remediation-failed', 'failed'],
  ['finding-high', 'finding'],
  ['sweep-completed', 'sweep'],
] as const;

describe('Slack messages per event kind (Block Kit fixtures)', () => {
  for (const [name, kind] of KINDS) {
    it(`${name} renders exactly the reviewed fixture`, () => {
      const event = parseNotifyEvent(loadSample(`notify/${name}.json`));
      assert.equal(event.kind, kind);
      const msg = renderMessage(event);
      assert.deepEqual(msg, fixture(name, msg));
      assertWithinLimits(msg);
    });
  }

  it('a repair says what changed, why, who, the mode and how to opt out', () => {
    const text = previewMessage(renderMessage(parseNotifyEvent(loadSample('notify/remediation-applied.json'))));
    assert.match(text, /^🔧 Repaired · prod · 123456789012 · us-east-1/);
    assert.match(text, /before: selfRule: absent/);
    assert.match(text, /after: {2}selfRule: all traffic from sg-0123456789abcdef0/);
    assert.match(text, /ec2:RevokeSecurityGroupIngress` by arn:aws:iam::123456789012:role\/PlatformAdmin at 2026-11-24T08:14:51Z/);
    assert.match(text, /Mode: enforce \(applied\)/);
    assert.match(text, /eks-guardrails\/exempt=cluster-sg-baseline/);
    assert.match(text, /\[Open security-group in the AWS console\] https:\/\/us-east-1\.console\.aws\.amazon\.com\/ec2\/home\?region=us-east-1#SecurityGroup:groupId=sg-0123456789abcdef0/);
  });

  it('a dry-run plan says "would" and that nothing changed', () => {
    const text = previewMessage(renderMessage(parseNotifyEvent(loadSample('notify/remediation-planned.json'))));
    assert.match(text, /^📝 Would repair \(dry-run\)/);
    assert.match(text, /What would change \(nothing was changed\)/);
    assert.match(text, /dry-run \(would apply\)/);
  });
});

describe('Block Kit limits', () => {
  it('a sweep with 400 checks and 60 top findings stays within limits and says how many were left out', () => {
    const event = loadSample('notify/sweep-completed.json') as { detail: Record<string, any> };
    const byCheck: Record<string, Record<string, number>> = {};
    for (let i = 0; i < 400; i++) byCheck[`check-with-a-rather-long-name-${String(i).padStart(3, '0')}`] = { high: 1, low: i % 3 };
    event.detail.counts.byCheck = byCheck;
    const top = event.detail.topFindings[0];
    event.detail.topFindings = Array.from({ length: 60 }, (_, i) => ({ ...top, id: `f${i}`, title: `${'A very long finding title '.repeat(8)}${i}` }));
    const msg = renderMessage(parseNotifyEvent(event));
    assertWithinLimits(msg);
    const sections = msg.blocks.filter((b) => b.type === 'section' && b.text).map((b) => (b as { text: { text: string } }).text.text);
    const checks = sections.find((s) => s.startsWith('*By check*'))!;
    const shown = checks.split('\n').filter((l) => l.startsWith('• ')).length;
    assert.ok(shown > 10 && shown < 400, `${shown} checks shown`);
    assert.ok(checks.endsWith(`…and ${400 - shown} more`), checks.slice(-40));
    const topText = sections.find((s) => s.startsWith('*Top findings*'))!;
    const topShown = topText.split('\n').filter((l) => l.startsWith('• ')).length;
    assert.ok(topShown >= 1 && topShown <= 10, `${topShown} top findings shown`);
    // The count is of every open finding left out, not of the top list's rest.
    const open = Object.values(event.detail.counts.bySeverity as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.ok(topText.endsWith(`…and ${Math.max(open, 60) - topShown} more`), topText.slice(-40));
  });

  it('a remediation with 300 actions and huge titles stays within limits', () => {
    const event = loadSample('notify/remediation-applied.json') as { detail: Record<string, any> };
    const action = event.detail.actions[0];
    event.detail.actions = Array.from({ length: 300 }, (_, i) => ({ ...action, summary: `${action.summary} #${i}`, before: { rules: Array(50).fill('tcp 443 from 10.0.0.0/8') } }));
    event.detail.title = 'x'.repeat(5000);
    event.detail.cluster.name = 'c'.repeat(200);
    const msg = renderMessage(parseNotifyEvent(event));
    assertWithinLimits(msg);
    const changes = msg.blocks.find((b) => b.type === 'section' && b.text?.text.startsWith('*What changed*')) as { text: { text: string } };
    assert.match(changes.text.text, /…and \d+ more$/);
  });

  it('escapes Slack control characters coming from event data', () => {
    const event = loadSample('notify/finding-high.json') as { detail: Record<string, any> };
    event.detail.title = 'rule <!channel> & <https://evil.example|click>';
    const msg = renderMessage(parseNotifyEvent(event));
    const all = JSON.stringify(msg);
    assert.ok(!all.includes('<!channel>'));
    assert.ok(all.includes('&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;'));
  });
});
