/**
 * A burst of repairs through notify (moto for the secret and the idempotency table, a loopback Slack):
 *  - 200 events at a scaled interval of 20 ms: every one posted, and posts per interval (target ≤ 1);
 *  - 10 events at the production interval (1 s): posts per second measured in real time (target ≤ 1).
 * 200 events at 1 s would take over 3 minutes; the scaled run exercises the same code.
 */
import { sdkClients } from '../../shared/aws/client.ts';
import { containerCaches } from '../../shared/state/cache.ts';
import { asSqsEvent, lambdaContext } from '../cli/lambda-context.ts';
import { MotoServer } from '../local/moto.ts';
import { seedNotify } from '../local/notify-setup.ts';
import { loadSample } from '../local/samples.ts';
import { SlackSink } from '../local/slack-sink.ts';

export default async function bench(): Promise<void> {
  const moto = await MotoServer.start();
  const sink = await SlackSink.start();
  try {
    Object.assign(process.env, moto.env(), { POWERTOOLS_LOG_LEVEL: 'ERROR' });
    sdkClients.clear();
    const { handler } = await import('../../functions/notify/handler.ts');
    const base = loadSample('notify/remediation-applied.json') as { id: string };

    const run = async (count: number, intervalMs: number, table: string) => {
      const { secretArn } = await seedNotify(moto, sink.url, { secret: `bench-${table}`, table });
      Object.assign(process.env, { SLACK_WEBHOOK_SECRET_ARN: secretArn, GUARDRAILS_IDEMPOTENCY_TABLE: table, GUARDRAILS_SLACK_INTERVAL_MS: String(intervalMs) });
      sink.reset();
      containerCaches.clear(); // each run a cold container: no pacing carried over
      const events = Array.from({ length: count }, (_, i) => ({ ...base, id: `${table}-${i}` }));
      const started = performance.now();
      for (let i = 0; i < events.length; i += 10) {
        await handler(asSqsEvent(events.slice(i, i + 10), 'notify-queue.fifo'), lambdaContext('notify', 120_000));
      }
      const elapsed = performance.now() - started;
      const posts = sink.requests.filter((r) => r.status === 200);
      const gaps = posts.slice(1).map((r, i) => r.at - posts[i]!.at);
      const spanS = (posts.at(-1)!.at - posts[0]!.at) / 1000;
      return { posted: posts.length, elapsed, minGap: Math.min(...gaps), perSecond: (posts.length - 1) / spanS, perInterval: ((posts.length - 1) / spanS) * (intervalMs / 1000) };
    };

    const scaled = await run(200, 20, 'scaled');
    console.log(`200 events, interval 20 ms (scaled): ${scaled.posted}/200 posted in ${(scaled.elapsed / 1000).toFixed(1)} s; closest gap ${scaled.minGap.toFixed(1)} ms; ${scaled.perInterval.toFixed(2)} posts per interval (target ≤ 1)`);
    const real = await run(10, 1000, 'real');
    console.log(`10 events, interval 1 s (production): ${real.posted}/10 posted in ${(real.elapsed / 1000).toFixed(1)} s; closest gap ${real.minGap.toFixed(0)} ms; ${real.perSecond.toFixed(2)} posts/s (target ≤ ~1)`);
    console.log(`→ 200 fixes at 1 s: about ${Math.ceil(200 / real.perSecond / 60 * 10) / 10} minutes to post them all, none dropped`);
  } finally {
    await sink.stop();
    await moto.stop();
  }
}
