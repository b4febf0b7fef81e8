import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { getObjectText } from '../../../shared/aws/s3.ts';
import { loadConfig } from '../../../shared/capabilities/config.ts';
import { withEnv } from '../../local/env.ts';
import { seedClients } from '../../local/scenario.ts';
import { CLUSTER_POLICIES, NODE_POLICIES, seedRole } from '../../local/compliance-scenario.ts';
import type { SweepReport } from '../../../shared/sweep/model.ts';
import { seedProblemAccount } from '../../local/sweep-account.ts';
import { renderHtml } from '../../../shared/sweep/render-html.ts';
import { renderTable } from '../../../shared/sweep/render-table.ts';
import { runSweep } from '../../../shared/sweep/run-sweep.ts';
import type { SweepOutcome } from '../../../shared/sweep/fanout.ts';
import { invokeFunction } from '../invoke.ts';
import { heading, item, step, style, withStdoutOnStderr } from '../output.ts';
import type { DemoContext } from './context.ts';
import type { DemoScenario } from './scenario.ts';

/** The sweep story, the demo's last but one: a sweep of the whole local account — plan, scheduled fix, report. */
export const sweepScenario: DemoScenario = {
  title: 'Scheduled compliance sweep',
  async run(ctx: DemoContext) {
    heading('Scheduled compliance sweep — every cluster, every check');
    const account = await seedProblemAccount(ctx.moto, { only: ['no-self-rule', 'world-open', 'asg-template', 'logging-off', 'public-api', 'node-role', 'aws-auth-only', 'creator-admin', 'extra-admins', 'scale-from-zero', 'node-imds', 'nlb-tags'] });
    // The earlier stories' clusters (demo, ml, shop) name IAM roles their scenarios never created: give them the
    // roles EKS needs, so the sweep's iam-role-policies findings are the seeded problem's, not the demo's set-up.
    for (const cluster of ['demo', 'ml', 'shop']) await seedRole(ctx.moto, `${cluster}-cluster-role`, CLUSTER_POLICIES, 'eks.amazonaws.com');
    await seedRole(ctx.moto, 'ml-node-role', NODE_POLICIES);
    const drifted = [...new Set(account.problems.map((p) => p.cluster))];
    step(`the account also holds ${drifted.length + 2} more clusters: ${drifted.map((c) => style.bold(c)).join(', ')} each with one problem, ${style.bold('healthy')}, and ${style.bold(account.exempt.cluster)} (exempt by tag)`);

    step(`an operator previews it from a laptop: ${style.bold('npx eks-guardrails sweep --dry-run')}`);
    const plan = await withStdoutOnStderr(() => runSweep({ config: { ...loadConfig(), mode: 'dry-run' } }));
    console.log(indent(renderTable(plan, style, { fixHints: false, minSeverity: 'medium' })));
    item('AWS calls', `${plan.calls.total}, ${plan.calls.mutating} writes to the account: one account-wide read per inventory, then DescribeCluster, ListNodegroups and DescribeNodegroup per cluster and node group`);

    // The stack's report bucket: each scheduled sweep uploads its report there and compares itself with the last one.
    const bucket = 'eks-guardrails-demo-sweep-bucket';
    await new S3Client({ region: 'us-east-1', endpoint: ctx.moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, forcePathStyle: true })
      .send(new CreateBucketCommand({ Bucket: bucket }));
    const scheduled = () => withEnv({ GUARDRAILS_SWEEP_BUCKET: bucket, GUARDRAILS_SWEEP_UPLOAD_REPORTS: 'true' },
      () => withStdoutOnStderr(() => invokeFunction('sweep', { phase: 'start', source: 'eks-guardrails.schedule' }))) as Promise<SweepOutcome>;
    const reportOf = async (outcome: SweepOutcome): Promise<SweepReport | undefined> => {
      const url = outcome.status === 'completed' ? outcome.delivery.uploaded.find((u) => u.endsWith('.json')) : undefined;
      return url ? JSON.parse(await getObjectText(bucket, url.slice(`s3://${bucket}/`.length))) as SweepReport : undefined;
    };

    step('EventBridge Scheduler invokes the sweep function (enforce; report-only checks stay report-only)');
    const outcome = await scheduled();
    if (outcome.status === 'completed') item('sweep', `${outcome.clusters} clusters, ${style.green(`${outcome.fixed} fixed`)}, ${outcome.open} still open`);
    const first = await reportOf(outcome);
    if (first) item('remembered', `report uploaded, s3://${bucket}/reports/latest.json points at it — ${first.comparison.baseline.reason ?? first.comparison.baseline.status}`);
    for (const e of (await ctx.published()).filter((x) => x['detail-type'] === 'Sweep Completed')) {
      const counts = e.detail.counts as { bySeverity: Record<string, number>; fixed: number };
      item('published', `Sweep Completed — open by severity ${JSON.stringify(counts.bySeverity)}, fixed ${counts.fixed} (notify posts it to Slack)`);
    }

    const worldOpen = account.problems.find((p) => p.cluster === 'world-open');
    if (worldOpen) {
      step(`a person removes the ssh-from-anywhere rule of ${style.bold('world-open')} by hand (a finding no fix can safely make)`);
      await seedClients(ctx.moto, 'us-east-1').ec2.send(new RevokeSecurityGroupIngressCommand({
        GroupId: worldOpen.resourceId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }));
    }

    step('the next scheduled sweep remembers the last one: what is new, what was resolved, what is left');
    const next = await scheduled();
    const after = await reportOf(next);
    for (const e of (await ctx.published()).filter((x) => x['detail-type'] === 'Sweep Completed')) {
      const changes = e.detail.changes as { new: number; resolved: number; stillOpen: number } | undefined;
      if (changes) item('published', `Sweep Completed — ${changes.new} new, ${changes.resolved} resolved, ${changes.stillOpen} still open (the Slack digest leads with them)`);
    }
    if (!after) return;
    // The first sweep's table listed every finding: this one says only what changed, so each finding shows once.
    console.log(indent(renderTable(after, style, { changesOnly: true })));
    // The tables above stop at medium: scale-from-zero-readiness's low findings (cluster-autoscaler's view of groups at zero nodes) are shown here, once.
    const zeroLow = after.clusters.find((c) => c.name === 'scale-from-zero')?.findings.filter((x) => x.check === 'scale-from-zero-readiness' && x.severity === 'low') ?? [];
    if (zeroLow.length > 0) step(`below the tables' threshold, what cluster-autoscaler ${loadConfig().clusterAutoscalerVersion} also gets wrong about ${style.bold('scale-from-zero')}'s groups at zero nodes (report only):`);
    for (const f of zeroLow) item(f.severity, f.title);
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
