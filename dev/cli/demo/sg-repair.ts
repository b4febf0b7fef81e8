import { DescribeSecurityGroupsCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { callLog } from '../../../shared/aws/calls.ts';
import { describeRule } from '../../../shared/engine/sg-rules.ts';
import { fromIpPermission } from '../../../shared/aws/ec2.ts';
import { loadSample } from '../../local/samples.ts';
import { seedClients, seedCluster } from '../../local/scenario.ts';
import { heading, item, step, style } from '../output.ts';
import type { DemoContext } from './context.ts';
import type { DemoScenario } from './scenario.ts';

/** The cluster SG repair story: someone removes the cluster SG's self rule; we put it back within one event. */
export const sgRepairScenario: DemoScenario = {
  title: 'Cluster security group repair',
  async run(ctx: DemoContext) {
    heading('Cluster security group repair');
    const cluster = await seedCluster(ctx.moto, 'demo');
    const { ec2 } = seedClients(ctx.moto);
    const groupId = cluster.clusterSecurityGroupId;
    step(`cluster ${style.bold(cluster.clusterName)} is ACTIVE; its cluster security group is ${groupId}`);
    await showRules(ctx, groupId, 'rules now');

    step(`${style.yellow('PlatformAdmin/jane.doe')} revokes the inbound all-traffic rule from itself (new nodes can no longer join)`);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId }] }] }));
    await showRules(ctx, groupId, 'rules now');

    step('CloudTrail delivers RevokeSecurityGroupIngress to EventBridge; the template\'s rules route it');
    callLog.reset();
    const runs = await ctx.deliver([loadSample('on-sg-event/revoke-self-rule.json', { groupId, clusterName: cluster.clusterName })]);
    for (const run of runs) {
      item('rule', `${run.routed.ruleName} → ${style.bold(run.routed.functionName)}`);
      if (run.error) item('error', style.red(run.error));
      for (const r of (run.result as { results?: { findings: { title: string; severity: string }[]; actions: { status: string; action: { summary: string } }[] }[] })?.results ?? []) {
        for (const f of r.findings) item('found', `[${f.severity}] ${f.title}`);
        for (const a of r.actions) item(a.status, `${a.action.summary}`);
      }
    }
    item('AWS calls', `${callLog.all().length} (${Object.entries(callLog.summary()).map(([k, v]) => `${k}×${v}`).join(', ')})`);
    await showRules(ctx, groupId, 'rules after');

    step('our own AuthorizeSecurityGroupIngress comes back through CloudTrail…');
    const echo = await ctx.deliver([loadSample('unmatched/own-authorize.json', { groupId })]);
    item('routed', echo.length === 0 ? style.green('to no function: the rule pattern drops our own role') : style.red(`${echo.length} invocation(s)`));

    step('…and a replay of the original event is a no-op (level-triggered):');
    callLog.reset();
    const replay = await ctx.deliver([loadSample('on-sg-event/revoke-self-rule.json', { groupId })]);
    const writes = callLog.count({ mutating: true });
    item('replay', `${replay.length} invocation, ${callLog.count({ mutating: false })} reads, ${writes} writes`);

    const published = await ctx.published();
    step(`published on the project's bus (${published.length} event${published.length === 1 ? '' : 's'}):`);
    for (const e of published) item(e['detail-type'], `${String(e.detail.title)} — trigger ${String((e.detail.trigger as { apiCall?: string }).apiCall)} by ${String((e.detail.trigger as { actor?: string }).actor)}`);
  },
};

async function showRules(ctx: DemoContext, groupId: string, label: string): Promise<void> {
  const { ec2 } = seedClients(ctx.moto);
  const sg = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
  const rules = [...(sg.IpPermissions ?? []).flatMap((p) => fromIpPermission(p, 'ingress')), ...(sg.IpPermissionsEgress ?? []).flatMap((p) => fromIpPermission(p, 'egress'))];
  item(label, rules.map(describeRule).join('; ') || '(none)');
}
