import { DeleteTagsCommand } from '@aws-sdk/client-auto-scaling';
import { callLog } from '../../../shared/aws/calls.ts';
import { advertisedTemplate, CA_ENABLED_KEY } from '../../../shared/capabilities/autoscaler/autoscaler-tags.ts';
import { asgSeedClients, asgTags, seedManagedNodegroup, seedSelfManagedAsg } from '../../local/autoscaler-scenario.ts';
import { loadSample } from '../../local/samples.ts';
import { seedCluster } from '../../local/scenario.ts';
import { asSqsEvent } from '../lambda-context.ts';
import { invokeFunction } from '../invoke.ts';
import { heading, item, step, style, withStdoutOnStderr } from '../output.ts';
import type { DemoContext } from './context.ts';
import type { DemoScenario } from './scenario.ts';

type RunResult = { results?: { findings: { title: string; severity: string }[]; actions: { status: string; action: { summary: string } }[] }[] };

/** The autoscaler story: node group ASGs get cluster-autoscaler's discovery and node-template tags, and keep them. */
export const autoscalerScenario: DemoScenario = {
  title: 'Cluster-autoscaler tags (scale from zero)',
  async run(ctx: DemoContext) {
    heading('Cluster-autoscaler discovery + node-template tags');
    const cluster = await seedCluster(ctx.moto, 'ml', { vpcCidr: '10.20.0.0/16' });
    const { asgName: gpu } = await seedManagedNodegroup(ctx.moto, cluster, {
      name: 'gpu', labels: { role: 'gpu' }, taints: [{ key: 'nvidia.com/gpu', effect: 'NO_SCHEDULE' }], minSize: 0, diskSize: 100,
    });
    const legacy = await seedSelfManagedAsg(ctx.moto, cluster, 'ml-legacy-workers', { minSize: 0 });
    step(`cluster ${style.bold('ml')}: managed node group ${style.bold('gpu')} (label role=gpu, taint nvidia.com/gpu:NO_SCHEDULE without a value, 100 GiB disk, minSize 0) and a self-managed ASG ${style.bold(legacy)}`);
    await show(ctx, gpu, 'gpu ASG');
    await show(ctx, legacy, 'legacy ASG');
    item('problem', style.yellow('EKS copies nothing to the ASG; cluster-autoscaler 1.36 reads the label from the EKS API, but not a taint without a value nor the disk size'));

    step('CloudTrail delivers CreateNodegroup (→ on-cluster-event) and a person\'s UpdateAutoScalingGroup on the legacy ASG (→ on-asg-event, via its queue)');
    callLog.reset();
    const runs = await ctx.deliver([
      loadSample('on-cluster-event/create-nodegroup.json', { clusterName: 'ml' }),
      loadSample('on-asg-event/update-asg-min-zero.json', { asgName: legacy }),
    ]);
    for (const run of runs) {
      item('rule', `${run.routed.ruleName} → ${style.bold(run.routed.functionName)}`);
      if (run.error) item('error', style.red(run.error));
      for (const r of (run.result as RunResult)?.results ?? []) {
        for (const f of r.findings) item('found', `[${f.severity}] ${f.title}`);
        for (const a of r.actions) item(a.status, a.action.summary);
      }
    }
    item('AWS calls', `${callLog.all().length} (${Object.entries(callLog.summary()).map(([k, v]) => `${k}×${v}`).join(', ')})`);
    await show(ctx, gpu, 'gpu ASG');
    await show(ctx, legacy, 'legacy ASG');

    step(`${style.yellow('PlatformAdmin/john.roe')} deletes the taint template tag from the gpu ASG…`);
    await asgSeedClients(ctx.moto).autoscaling.send(new DeleteTagsCommand({ Tags: [{ ResourceId: gpu, ResourceType: 'auto-scaling-group', Key: 'k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu' }] }));
    const restore = await ctx.deliver([loadSample('on-asg-event/delete-tags.json', { asgName: gpu })]);
    for (const run of restore) {
      for (const r of (run.result as { results?: (NonNullable<RunResult['results']>[number] & { trigger: { apiCall?: string; actor?: string } })[] })?.results ?? []) {
        for (const a of r.actions) item(a.status, `${a.action.summary}`);
        item('reported', `trigger ${r.trigger.apiCall} by ${style.yellow(r.trigger.actor ?? 'unknown')}`);
      }
    }
    await show(ctx, gpu, 'gpu ASG');

    step(`${style.yellow('PlatformAdmin/john.roe')} deletes ${CA_ENABLED_KEY} from the legacy ASG, to take it out of cluster-autoscaler's hands…`);
    await asgSeedClients(ctx.moto).autoscaling.send(new DeleteTagsCommand({ Tags: [{ ResourceId: legacy, ResourceType: 'auto-scaling-group', Key: CA_ENABLED_KEY }] }));
    const optOut = loadSample('on-asg-event/delete-tags.json', { asgName: legacy }) as { detail: { requestParameters: { tags: { key: string }[] } } };
    optOut.detail.requestParameters.tags[0]!.key = CA_ENABLED_KEY;
    for (const run of await ctx.deliver([optOut as unknown as Record<string, unknown>])) {
      for (const r of (run.result as RunResult)?.results ?? []) {
        for (const a of r.actions) item(a.status, a.action.summary);
      }
    }
    item('decision', style.green('recorded on the ASG, never re-added (not on this event, not on launches, not in sweeps)'));
    await show(ctx, legacy, 'legacy ASG');

    step('a scale-out: 40 instance launches over both ASGs within seconds, coalesced by the queue into one batch (npm run bench drives 500)');
    const burst = Array.from({ length: 40 }, (_, i) => loadSample('on-asg-event/instance-launch.json', { asgName: i % 2 ? gpu : legacy, id: `demo-launch-${i}` }));
    const routed = (await ctx.router.route(burst)).filter((r) => r.functionName === 'on-asg-event');
    callLog.reset();
    await withStdoutOnStderr(() => invokeFunction('on-asg-event', asSqsEvent(routed.map((r) => r.event), 'AsgEventQueue')));
    item('burst', `${routed.length} events → 1 invocation → ${callLog.all().length} AWS call(s), ${callLog.count({ mutating: true })} writes (${Object.entries(callLog.summary()).map(([k, v]) => `${k}×${v}`).join(', ') || 'none'})`);
    await show(ctx, legacy, 'legacy ASG');

    step('our own CreateOrUpdateTags comes back through CloudTrail…');
    const echo = await ctx.router.route([loadSample('unmatched/own-create-or-update-tags.json', { asgName: gpu })]);
    item('routed', echo.length === 0 ? style.green('to no function: the rule pattern drops our own role') : style.red(`${echo.length} invocation(s)`));

    const published = await ctx.published();
    step(`published on the project's bus (${published.length} event${published.length === 1 ? '' : 's'}):`);
    for (const e of published) item(e['detail-type'], `${String(e.detail.title)} — by ${String((e.detail.trigger as { actor?: string }).actor ?? 'an Auto Scaling event')}`);
  },
};

/** The discovery tags an ASG carries and the node template cluster-autoscaler reads from it. */
async function show(ctx: DemoContext, asgName: string, label: string): Promise<void> {
  const tags = await asgTags(ctx.moto, asgName);
  const map = Object.fromEntries(tags.map((t) => [t.key, t.value]));
  const discovery = CA_ENABLED_KEY in map && Object.keys(map).some((k) => k === 'k8s.io/cluster-autoscaler/ml') ? style.green('discoverable') : style.red('not discoverable');
  const t = advertisedTemplate(tags);
  const template = [
    ...Object.entries(t.labels).map(([k, v]) => `label ${k}=${v}`),
    ...t.taints.map((x) => `taint ${x}`),
    ...Object.entries(t.resources).map(([k, v]) => `${k} ${v}`),
  ];
  item(label, `${discovery}; CA node template: ${template.length ? template.join(', ') : style.dim('(nothing)')}`);
}
