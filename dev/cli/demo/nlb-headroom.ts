import { AuthorizeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { callLog } from '../../../shared/aws/calls.ts';
import { STALE_SINCE_TAG, parseNlbDescription } from '../../../shared/capabilities/nlb-headroom/nlb-rules.ts';
import { loadSample } from '../../local/samples.ts';
import { seedClients } from '../../local/scenario.ts';
import { DEAD_NLB, DEAD_NLB_2, LIVE_NLB, groupRules, newServiceRules, seedNearFullGroup } from '../../local/nlb-scenario.ts';
import { heading, item, step, style } from '../output.ts';
import type { DemoContext } from './context.ts';
import type { DemoScenario } from './scenario.ts';

/** The demo cannot wait ten minutes: the grace period is shortened, and both looks are shown. */
const DEMO_GRACE_SECONDS = 2;

/** The NLB headroom story: a cluster SG full of a deleted NLB's rules; the next LoadBalancer Service fails until we trim. */
export const nlbHeadroomScenario: DemoScenario = {
  title: 'NLB rule headroom',
  async run(ctx: DemoContext) {
    heading('NLB rule headroom — trimming rules of deleted NLBs before the group is full');
    const saved = { modes: process.env.GUARDRAILS_CHECK_MODES, grace: process.env.GUARDRAILS_NLB_GRACE_SECONDS };
    process.env.GUARDRAILS_CHECK_MODES = 'nlb-rule-headroom=enforce';
    process.env.GUARDRAILS_NLB_GRACE_SECONDS = String(DEMO_GRACE_SECONDS);
    try {
      const seeded = await seedNearFullGroup(ctx.moto, 'shop');
      const { groupId } = seeded;
      step(`cluster ${style.bold('shop')}: its cluster SG ${groupId} holds the rules of live NLB ${LIVE_NLB.slice(0, 9)}… and of deleted NLBs ${DEAD_NLB.slice(0, 9)}…, ${DEAD_NLB_2.slice(0, 9)}…`);
      await showHeadroom(ctx, groupId, 'headroom now');

      step(`a new ${style.bold('type: LoadBalancer')} Service: the cloud provider adds its rules…`);
      item('result', style.red(await tryNewService(ctx, groupId)));

      step('CloudTrail delivers the failed AuthorizeSecurityGroupIngress (RulesPerSecurityGroupLimitExceeded) — first look:');
      await deliver(ctx, groupId);
      const marked = (await groupRules(ctx.moto, groupId)).filter((r) => r.Tags?.some((t) => t.Key === STALE_SINCE_TAG)).length;
      item('grace', `${marked} rules marked ${STALE_SINCE_TAG}; none deleted (an NLB being created may not be listed yet)`);
      await showHeadroom(ctx, groupId, 'headroom now');

      step(`${DEMO_GRACE_SECONDS}s later (GUARDRAILS_NLB_GRACE_SECONDS=${DEMO_GRACE_SECONDS} for the demo; default 600) the provider retries, fails again — second look:`);
      await new Promise((r) => setTimeout(r, DEMO_GRACE_SECONDS * 1000 + 200));
      await deliver(ctx, groupId);
      await showHeadroom(ctx, groupId, 'headroom after');

      step('the Service\'s next retry:');
      const second = await tryNewService(ctx, groupId);
      item('result', second === 'fits' ? style.green('its client and health rules fit') : style.red(second));
      await ctx.published();
    } finally {
      restore('GUARDRAILS_CHECK_MODES', saved.modes);
      restore('GUARDRAILS_NLB_GRACE_SECONDS', saved.grace);
    }
  },
};

async function deliver(ctx: DemoContext, groupId: string): Promise<void> {
  callLog.reset();
  const runs = await ctx.deliver([loadSample('on-sg-event/authorize-rules-limit-exceeded.json', { groupId })]);
  for (const run of runs) {
    item('rule', `${run.routed.ruleName} → ${style.bold(run.routed.functionName)}`);
    if (run.error) item('error', style.red(run.error));
    type R = { results?: { findings: { id: string; title: string; severity: string; evidence: Record<string, unknown> }[]; actions: { status: string; action: { summary: string } }[] }[] };
    for (const r of (run.result as R)?.results ?? []) {
      for (const f of r.findings.filter((x) => x.id.startsWith('nlb-rule-headroom'))) item('found', `[${f.severity}] ${f.title}`);
      for (const a of r.actions) item(a.status, a.action.summary);
    }
  }
  item('AWS calls', `${callLog.all().length} (${Object.entries(callLog.summary()).map(([k, v]) => `${k}×${v}`).join(', ')})`);
}

async function showHeadroom(ctx: DemoContext, groupId: string, label: string): Promise<void> {
  const ingress = (await groupRules(ctx.moto, groupId)).filter((r) => !r.IsEgress);
  const byLb: Record<string, number> = {};
  for (const r of ingress) {
    const lb = parseNlbDescription(r.Description)?.lbName ?? (parseNlbDescription(r.Description) ? 'shared mtu' : 'other');
    byLb[lb] = (byLb[lb] ?? 0) + 1;
  }
  const parts = Object.entries(byLb).map(([k, v]) => `${k.length > 12 ? `${k.slice(0, 9)}…` : k} ${v}`).join(', ');
  item(label, `${ingress.length}/60 inbound rules, ${60 - ingress.length} free (${parts})`);
}

async function tryNewService(ctx: DemoContext, groupId: string): Promise<string> {
  const { ec2 } = seedClients(ctx.moto);
  try {
    for (const p of newServiceRules()) await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [p] }));
    return 'fits';
  } catch (err) {
    return `Error creating load balancer (will retry): ${(err as Error).name}`;
  }
}

function restore(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}
