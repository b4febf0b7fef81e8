import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/load.ts';
import { seedProblemAccount } from '../../local/sweep-account.ts';
import { renderHtml } from '../../sweep/render-html.ts';
import { renderTable } from '../../sweep/render-table.ts';
import { runSweep } from '../../sweep/sweep.ts';
import type { SweepOutcome } from '../../sweep/fanout.ts';
import { invokeFunction } from '../invoke.ts';
import { heading, item, step, style, withStdoutOnStderr } from '../output.ts';
import type { DemoContext } from './context.ts';
import type { DemoScenario } from './scenario.ts';

/** Issue 6's story, the demo's last: a sweep of the whole local account — plan, scheduled fix, report. */
export const sweepScenario: DemoScenario = {
  title: 'Scheduled compliance sweep',
  async run(ctx: DemoContext) {
    heading('Scheduled compliance sweep — every cluster, every check');
    const account = await seedProblemAccount(ctx.moto, { only: ['no-self-rule', 'world-open', 'asg-template', 'logging-off', 'public-api', 'node-role', 'node-imds', 'nlb-tags'] });
    const drifted = [...new Set(account.problems.map((p) => p.cluster))];
    step(`the account also holds ${drifted.length + 2} more clusters: ${drifted.map((c) => style.bold(c)).join(', ')} each with one problem, ${style.bold('healthy')}, and ${style.bold(account.exempt.cluster)} (exempt by tag)`);

    step(`an operator previews it from a laptop: ${style.bold('npx eks-guardrails sweep --dry-run')}`);
    const plan = await withStdoutOnStderr(() => runSweep({ config: { ...loadConfig(), mode: 'dry-run' } }));
    console.log(indent(renderTable(plan, style, { fixHints: false, minSeverity: 'medium' })));
    item('AWS calls', `${plan.calls.total}, ${plan.calls.mutating} writes to the account: one account-wide read per inventory, then DescribeCluster, ListNodegroups and DescribeNodegroup per cluster and node group`);

    step('EventBridge Scheduler invokes the sweep function (enforce; report-only checks stay report-only)');
    const outcome = (await withStdoutOnStderr(() => invokeFunction('sweep', { phase: 'start', source: 'eks-guardrails.schedule' }))) as SweepOutcome;
    if (outcome.status === 'completed') item('sweep', `${outcome.clusters} clusters, ${style.green(`${outcome.fixed} fixed`)}, ${outcome.open} still open`);
    const completed = (await ctx.published()).filter((e) => e['detail-type'] === 'Sweep Completed');
    for (const e of completed) {
      const counts = e.detail.counts as { bySeverity: Record<string, number>; fixed: number };
      item('published', `Sweep Completed — open by severity ${JSON.stringify(counts.bySeverity)}, fixed ${counts.fixed} (notify posts it to Slack)`);
    }

    step('the next sweep shows what is left: findings no fix can safely make');
    const after = await withStdoutOnStderr(() => runSweep({ config: { ...loadConfig(), mode: 'dry-run' } }));
    console.log(indent(renderTable(after, style, { fixHints: false, minSeverity: 'medium' })));
    const dir = join(tmpdir(), 'eks-guardrails-demo');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `sweep-${after.sweepId}.html`);
    writeFileSync(file, renderHtml(after));
    item('HTML report', `${style.bold(file)} (open it in a browser)`);
  },
};

function indent(text: string): string {
  return text.trimEnd().split('\n').map((l) => `    ${l}`).join('\n');
}
