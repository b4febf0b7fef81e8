import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asSqsEvent, lambdaContext } from '../../dev/cli/lambda-context.ts';
import { logger } from '../../shared/lambda/logger.ts';
import { loadSample } from '../../dev/local/samples.ts';
import { seedNotify } from '../../dev/local/notify-setup.ts';
import { SlackSink } from '../../dev/local/slack-sink.ts';
import { slackPacing } from '../../shared/notify/slack-pacing.ts';
import { handler } from '../../functions/notify/handler.ts';
import { useMoto, withEnv } from '../support/moto.ts';
import { ManualClock } from '../support/clock.ts';

/**
 * 200 repairs in a burst: every one reaches Slack, no two posts closer than the pacing interval.
 * The notifier runs on a manual clock (sleeps return at once and move it), and the sink stamps requests
 * with that clock: the production interval (1 s), measured exactly, in a fraction of a second of real time.
 */
const INTERVAL_MS = 1000;
const env = useMoto();
let sink: SlackSink;
before(async () => { sink = await SlackSink.start(); logger.setLogLevel('SILENT'); });
after(async () => { await sink.stop(); });

describe('a burst of 200 repairs', () => {
  it('reaches Slack completely, in order, paced at no more than one post per interval (with a 429 on the way)', async () => {
    const { secretArn, table } = await seedNotify(env.moto, sink.url);
    const clock = new ManualClock();
    slackPacing.useClock(clock);
    sink.now = () => clock.now();
    const base = loadSample('notify/remediation-applied.json') as { id: string; detail: { findingId: string } };
    const events = Array.from({ length: 200 }, (_, i) => ({ ...base, id: `burst-${String(i).padStart(3, '0')}`, detail: { ...base.detail, findingId: `finding-${i}` } }));
    sink.respond(...Array(50).fill({ status: 200, body: 'ok' }), { status: 429, headers: { 'retry-after': '2' } });

    await withEnv({ SLACK_WEBHOOK_SECRET_ARN: secretArn, GUARDRAILS_IDEMPOTENCY_TABLE: table }, async () => {
      // As the FIFO queue delivers them: batches of 10, one invocation at a time.
      for (let i = 0; i < events.length; i += 10) {
        const out = await handler(asSqsEvent(events.slice(i, i + 10), 'notify-queue'), lambdaContext('notify')) as { batchItemFailures: unknown[] };
        assert.deepEqual(out.batchItemFailures, []);
      }
    });

    const ok = sink.requests.filter((r) => r.status === 200);
    assert.equal(ok.length, 200, 'every event posted once');
    assert.deepEqual(ok.map((r) => (r.body as { blocks: { elements?: { text: string }[] }[] }).blocks.at(-1)!.elements![0]!.text.match(/burst-\d+/)![0]), events.map((e) => e.id), 'in order');
    const gaps = sink.requests.slice(1).map((r, i) => r.at - sink.requests[i]!.at);
    const minGap = Math.min(...gaps);
    const rate = (sink.requests.length - 1) / ((sink.requests.at(-1)!.at - sink.requests[0]!.at) / INTERVAL_MS);
    assert.ok(minGap >= INTERVAL_MS, `closest posts ${minGap} ms apart`);
    assert.ok(rate <= 1, `${rate.toFixed(2)} posts per interval`);
    // The 429 (after the 50th post) was waited out for its Retry-After, on top of the pacing.
    assert.equal(clock.sleeps.filter((ms) => ms === 2000).length, 1);
    console.log(`# burst: 200 posts (+1 429) over ${((sink.requests.at(-1)!.at - sink.requests[0]!.at) / 1000).toFixed(1)} s of clock time; interval ${INTERVAL_MS} ms; closest gap ${minGap} ms; ${rate.toFixed(2)} posts per interval`);
  });
});
