import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asSqsEvent, lambdaContext } from '../../shared/cli/lambda-context.ts';
import { logger } from '../../shared/lambda/logger.ts';
import { loadSample } from '../../shared/local/samples.ts';
import { seedNotify } from '../../shared/local/notify-setup.ts';
import { SlackSink } from '../../shared/local/slack-sink.ts';
import { resetPacer } from '../../shared/notify/flow.ts';
import { handler } from '../../functions/notify/handler.ts';
import { useMoto, withEnv } from '../support/moto.ts';

/**
 * 200 repairs in a burst: every one reaches Slack, no two posts closer than the pacing interval.
 * The interval is scaled down (20 ms instead of ~1 s) so the test takes seconds, not minutes;
 * the code path is the same, only the number differs.
 */
const INTERVAL_MS = 20;
const env = useMoto({ GUARDRAILS_SLACK_INTERVAL_MS: String(INTERVAL_MS) });
let sink: SlackSink;
before(async () => { sink = await SlackSink.start(); logger.setLogLevel('SILENT'); });
after(async () => { await sink.stop(); });

describe('a burst of 200 repairs', () => {
  it('reaches Slack completely, in order, paced at no more than one post per interval (with a 429 on the way)', async () => {
    const { secretArn, table } = await seedNotify(env.moto, sink.url);
    resetPacer();
    const base = loadSample('notify/remediation-applied.json') as { id: string; detail: { findingId: string } };
    const events = Array.from({ length: 200 }, (_, i) => ({ ...base, id: `burst-${String(i).padStart(3, '0')}`, detail: { ...base.detail, findingId: `finding-${i}` } }));
    sink.respond(...Array(50).fill({ status: 200, body: 'ok' }), { status: 429, headers: { 'retry-after': '0.2' } });

    const started = performance.now();
    await withEnv({ SLACK_WEBHOOK_SECRET_ARN: secretArn, GUARDRAILS_IDEMPOTENCY_TABLE: table }, async () => {
      // As the FIFO queue delivers them: batches of 10, one invocation at a time.
      for (let i = 0; i < events.length; i += 10) {
        const out = await handler(asSqsEvent(events.slice(i, i + 10), 'notify-queue'), lambdaContext('notify')) as { batchItemFailures: unknown[] };
        assert.deepEqual(out.batchItemFailures, []);
      }
    });
    const elapsed = performance.now() - started;

    const ok = sink.requests.filter((r) => r.status === 200);
    assert.equal(ok.length, 200, 'every event posted once');
    assert.deepEqual(ok.map((r) => (r.body as { blocks: { elements?: { text: string }[] }[] }).blocks.at(-1)!.elements![0]!.text.match(/burst-\d+/)![0]), events.map((e) => e.id), 'in order');
    const gaps = sink.requests.slice(1).map((r, i) => r.at - sink.requests[i]!.at);
    const minGap = Math.min(...gaps);
    const rate = (sink.requests.length - 1) / ((sink.requests.at(-1)!.at - sink.requests[0]!.at) / INTERVAL_MS);
    // Loopback jitter is well under a few ms; the pacer spaces the *sends* by the interval.
    assert.ok(minGap >= INTERVAL_MS * 0.75, `closest posts ${minGap.toFixed(1)} ms apart`);
    assert.ok(rate <= 1, `${rate.toFixed(2)} posts per interval`);
    console.log(`# burst: 200 posts (+1 429) in ${elapsed.toFixed(0)} ms; interval ${INTERVAL_MS} ms; closest gap ${minGap.toFixed(1)} ms; ${rate.toFixed(2)} posts per interval`);
  });
});
