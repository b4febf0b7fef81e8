import { heading, style } from '../output.ts';
import { DemoContext } from './context.ts';
import type { DemoScenario } from './scenario.ts';
import { sgRepairScenario } from './sg-repair.ts';
import { autoscalerScenario } from './autoscaler.ts';
import { nlbHeadroomScenario } from './nlb-headroom.ts';
import { sweepScenario } from './sweep-story.ts';
import { slackScenario } from './slack.ts';

/** The demo's stories, in order. */
const SCENARIOS: readonly DemoScenario[] = [
  sgRepairScenario,
  autoscalerScenario,
  nlbHeadroomScenario,
  sweepScenario, // before the Slack scenario: it sweeps the account the others left behind
  // Last: it posts what every scenario above published.
  slackScenario,
];

export async function runDemo(_args: string[]): Promise<number> {
  heading('eks-guardrails demo — a local, emulated AWS account (moto); no real AWS is called');
  const ctx = await DemoContext.start();
  try {
    const started = performance.now();
    for (const scenario of SCENARIOS) await scenario.run(ctx);
    console.log(`\n${style.green('✔')} demo finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    await ctx.stop();
  }
}
