import { seedNotify } from '../../local/notify-setup.ts';
import { withEnv } from '../../local/env.ts';
import { SlackSink } from '../../local/slack-sink.ts';
import { previewMessage } from '../../../shared/notify/plain.ts';
import type { SlackMessage } from '../../../shared/notify/blocks.ts';
import { asSqsEvent } from '../lambda-context.ts';
import { invokeFunction } from '../invoke.ts';
import { withStdoutOnStderr, heading, item, step, style } from '../output.ts';
import type { DemoContext } from './context.ts';
import type { DemoScenario } from './scenario.ts';

/** Posts are paced at 1 s in production; a tenth of that keeps the demo short. */
const DEMO_INTERVAL_MS = 100;

/**
 * The notification story, told last: every result the earlier scenarios published on the project's bus went
 * through template.yaml's notify rules into notify's queue; notify turns each into a Slack message,
 * posted here to a local webhook (a loopback HTTP server standing in for hooks.slack.com).
 */
export const slackScenario: DemoScenario = {
  title: 'Slack notifications',
  async run(ctx: DemoContext) {
    heading('Slack notifications');
    const sink = await SlackSink.start();
    try {
      const { secretArn, table } = await seedNotify(ctx.moto, sink.url);
      step(`the webhook URL is a secret in Secrets Manager (${style.dim(secretArn.split(':').at(-1) ?? secretArn)}); posts go to a local stand-in for Slack`);

      const routed = (await ctx.router.drain()).filter((r) => r.functionName === 'notify');
      const rules = [...new Set(routed.map((r) => r.ruleName))].join(', ') || 'none';
      step(`results the demo published on the bus that the template's rules routed to ${style.bold('notify')}: ${routed.length} (rules: ${rules})`);
      if (routed.length === 0) return;

      // The local Slack answers the first post with a rate limit: notify waits as told, then posts.
      sink.respond({ status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' });
      const env = { SLACK_WEBHOOK_SECRET_ARN: secretArn, GUARDRAILS_IDEMPOTENCY_TABLE: table, GUARDRAILS_SLACK_INTERVAL_MS: String(DEMO_INTERVAL_MS) };
      const failures = await withEnv(env, async () => {
        let failed = 0;
        const events = routed.map((r) => r.event);
        // As the FIFO queue delivers them: batches of up to 10, one invocation at a time.
        for (let i = 0; i < events.length; i += 10) {
          try {
            await withStdoutOnStderr(() => invokeFunction('notify', asSqsEvent(events.slice(i, i + 10), 'notify-queue.fifo')));
          } catch (err) {
            failed++;
            item('error', style.red((err as Error).message));
          }
        }
        // EventBridge delivers at least once: a redelivery must not post again.
        await withStdoutOnStderr(() => invokeFunction('notify', events[0]));
        return failed;
      });

      const posted = sink.requests.filter((r) => r.status === 200);
      const throttled = sink.requests.filter((r) => r.status === 429).length;
      const span = posted.length > 1 ? posted.at(-1)!.at - posted[0]!.at : 0;
      item('posted', `${posted.length} message(s) for ${routed.length} event(s) (+1 redelivery, not posted again)${failures ? style.red(`, ${failures} batch(es) failed`) : ''}`);
      item('rate limit', throttled ? 'the local Slack answered the first post 429 (Retry-After: 1); notify waited 1 s and posted it — nothing dropped' : 'no 429 this time');
      if (posted.length > 1) item('pacing', `${DEMO_INTERVAL_MS} ms between posts here (1 s in production): ${posted.length} posts over ${(span / 1000).toFixed(1)} s`);

      // Each kind of message once in full (per check), the rest as their first two lines.
      const seen = new Set<string>();
      for (const r of posted) {
        const msg = r.body as SlackMessage;
        const lines = previewMessage(msg).split('\n');
        const key = `${lines[0]!.split(' · ')[0]} ${lines.find((l) => l.startsWith('Check: ')) ?? ''}`;
        if (seen.has(key)) {
          console.log(`    ${style.dim('┆')} ${style.bold(lines[0]!)} — ${lines[1]}`);
          continue;
        }
        seen.add(key);
        console.log('');
        for (const [n, line] of lines.entries()) console.log(`    ${style.dim('┃')} ${n === 0 ? style.bold(line) : line}`);
      }
    } finally {
      await sink.stop();
    }
  },
};

