/**
 * NLB rule headroom numbers: AWS calls and wall time per look on the issue's 60-rule group (42 stale
 * rules of two deleted NLBs), with 1 and with 401 load balancers (and 0 and 401 target groups) in the
 * region. Targets: load balancer and target group lookups grow with pages (400 per page), not with
 * rules; one revoke call per group; no call on a group below the threshold beyond the foundation's 2 reads.
 */
import { CreateLoadBalancerCommand, CreateTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { loadSample } from '../local/samples.ts';
import { backdateMarks, seedNearFullGroup } from '../local/nlb-scenario.ts';
import { onLocalAccount } from './support/local-account.ts';

export default function nlbHeadroomBench(): Promise<void> {
  return onLocalAccount({ GUARDRAILS_CHECK_MODES: 'nlb-rule-headroom=enforce', GUARDRAILS_EVENT_BUS: undefined }, async (moto) => {
    const { containerCaches } = await import('../../shared/state/cache.ts');
    const { callLog } = await import('../../shared/aws/calls.ts');
    const { handler } = await import('../../functions/on-sg-event/handler.ts');
    const { lambdaContext } = await import('../cli/lambda-context.ts');

    for (const extraLoadBalancers of [0, 400]) {
      await moto.reset();
      containerCaches.clear(); // a cold container: fresh clients, the quota read again
      const seeded = await seedNearFullGroup(moto, 'bench');
      for (let i = 0; i < extraLoadBalancers; i++) {
        await seeded.elbv2.send(new CreateLoadBalancerCommand({ Name: `bench-${i}`, Type: 'network', Subnets: seeded.subnetIds }));
      }
      // Target groups on ports none of the group's rules open (they protect nothing here, they only add pages).
      for (let i = 0; i < (extraLoadBalancers > 0 ? 401 : 0); i++) {
        await seeded.elbv2.send(new CreateTargetGroupCommand({ Name: `bench-tg-${i}`, Protocol: 'TCP', Port: 20000 + i, VpcId: seeded.vpcId, TargetType: 'instance' }));
      }
      const event = loadSample('on-sg-event/authorize-rules-limit-exceeded.json', { groupId: seeded.groupId });
      const look = async (label: string) => {
        callLog.reset();
        const t = performance.now();
        await handler(event, lambdaContext('on-sg-event'));
        const ms = performance.now() - t;
        const reads = callLog.count({ mutating: false });
        console.log(`${String(extraLoadBalancers + 1).padStart(4)} LBs ${String(extraLoadBalancers > 0 ? 401 : 0).padStart(3)} TGs  ${label.padEnd(26)} ${String(callLog.all().length).padStart(2)} calls (${reads} reads, ${callLog.all().length - reads} writes) ${ms.toFixed(0).padStart(5)} ms   [${Object.entries(callLog.summary()).map(([k, v]) => `${k}×${v}`).join(', ')}]`);
      };
      await look('first look (marks 42)');
      await look('inside the grace period');
      await backdateMarks(moto, seeded.groupId, 660);
      await look('second look (revokes 42)');
      await look('after the trim (forced)');
    }
  });
}
