/**
 * A scale-out of 500 nodes over 5 ASGs (two clusters) emits 500 "EC2 Instance Launch Successful" events in a
 * minute. They go through the template's own rules (LocalRouter on moto), then through the SQS batching the
 * template configures for on-asg-event (batch size, batching window, max concurrency), into the real handler.
 * Counted: AWS calls the product makes. Target: ≤ 3 calls per distinct ASG per burst, zero writes when the
 * tags are already right.
 */
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { callLog } from '../../shared/aws/calls.ts';
import { containerCaches } from '../../shared/state/cache.ts';
import { asSqsEvent, lambdaContext } from '../cli/lambda-context.ts';
import { asgSeedClients, asgTags, seedManagedNodegroup, seedSelfManagedAsg } from '../local/autoscaler-scenario.ts';
import { DeleteTagsCommand } from '@aws-sdk/client-auto-scaling';
import { MotoServer } from '../local/moto.ts';
import { LocalRouter, type RoutedEvent } from '../local/router.ts';
import { loadSample } from '../local/samples.ts';
import { seedClients, seedCluster } from '../local/scenario.ts';
import { loadTemplate, selfRoleArns, type TemplateDocument } from '../local/template.ts';
import { onLocalAccount } from './support/local-account.ts';

const EVENTS = 500;
const BURST_SECONDS = 60;

interface Batching { batchSize: number; windowSeconds: number; concurrency: number }

/** The SQS event source of on-asg-event, as template.yaml configures it. */
function batchingOf(template: TemplateDocument): Batching {
  for (const resource of Object.values(template.Resources)) {
    const entry = ((resource.Metadata?.BuildProperties as { EntryPoints?: string[] } | undefined)?.EntryPoints ?? [])[0];
    if (entry !== 'functions/on-asg-event/handler.ts') continue;
    for (const ev of Object.values((resource.Properties?.Events ?? {}) as Record<string, { Type: string; Properties: Record<string, unknown> }>)) {
      if (ev.Type !== 'SQS') continue;
      return {
        batchSize: Number(ev.Properties.BatchSize ?? 10),
        windowSeconds: Number(ev.Properties.MaximumBatchingWindowInSeconds ?? 0),
        concurrency: Number((ev.Properties.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency ?? 5),
      };
    }
  }
  throw new Error('template.yaml: on-asg-event has no SQS event source');
}

/**
 * Pessimistic model of Lambda's SQS pollers: records arriving over the burst are spread round-robin over
 * `concurrency` pollers; each poller closes a batch when it is full or its window has elapsed. Each poller
 * is its own container (its own launch cache).
 */
function toBatches(events: RoutedEvent[], b: Batching): RoutedEvent[][][] {
  const perPoller: RoutedEvent[][][] = Array.from({ length: b.concurrency }, () => []);
  const open: { start: number; records: RoutedEvent[] }[] = Array.from({ length: b.concurrency }, () => ({ start: -1, records: [] }));
  events.forEach((e, i) => {
    const at = (i * BURST_SECONDS) / events.length;
    const p = i % b.concurrency;
    const batch = open[p]!;
    if (batch.records.length > 0 && (batch.records.length >= b.batchSize || at - batch.start >= b.windowSeconds)) {
      perPoller[p]!.push(batch.records);
      open[p] = { start: at, records: [] };
    }
    if (open[p]!.records.length === 0) open[p]!.start = at;
    open[p]!.records.push(e);
  });
  open.forEach((batch, p) => { if (batch.records.length > 0) perPoller[p]!.push(batch.records); });
  return perPoller;
}

export default function autoscalerBurst(): Promise<void> {
  const template = loadTemplate();
  return onLocalAccount({
    GUARDRAILS_MODE: 'enforce',
    GUARDRAILS_EVENT_BUS: 'eks-guardrails-bus',
    GUARDRAILS_SELF_ROLE_ARN: selfRoleArns(template).join(','),
  }, async (moto) => {
    const { logger } = await import('../../shared/lambda/logger.ts');
    logger.setLogLevel('SILENT');
    const { handler } = await import('../../functions/on-asg-event/handler.ts');
    await new EventBridgeClient(seedClients(moto).config).send(new CreateEventBusCommand({ Name: 'eks-guardrails-bus' }));

    // Two clusters, five ASGs: four managed node groups (labels, a taint, minSize 0) and one self-managed group.
    const a = await seedCluster(moto, 'burst-a', { vpcCidr: '10.1.0.0/16' });
    const b = await seedCluster(moto, 'burst-b', { vpcCidr: '10.2.0.0/16' });
    const asgs: string[] = [];
    for (const [cluster, name] of [[a, 'gpu'], [a, 'cpu'], [a, 'spot'], [b, 'general']] as const) {
      asgs.push((await seedManagedNodegroup(moto, cluster, {
        name, labels: { role: name, team: 'ml' }, taints: name === 'gpu' ? [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }] : [], minSize: 0, diskSize: 80,
      })).asgName);
    }
    asgs.push(await seedSelfManagedAsg(moto, a, 'burst-a-legacy-workers', { minSize: 1 }));

    const router = await LocalRouter.fromTemplate(moto, { template });
    const batching = batchingOf(template);
    const events = Array.from({ length: EVENTS }, (_, i) => loadSample('on-asg-event/instance-launch.json', { asgName: asgs[i % asgs.length]!, id: `burst-${i}` }));

    const runBurst = async (label: string, cold: boolean, racing = false) => {
      const routed = (await router.route(events)).filter((r) => r.functionName === 'on-asg-event');
      const pollers = toBatches(routed, batching);
      callLog.reset();
      const started = performance.now();
      let invocations = 0;
      let failures = 0;
      const invoke = async (batch: RoutedEvent[]) => {
        const out = (await handler(asSqsEvent(batch.map((r) => r.event), 'AsgEventQueue'), lambdaContext('on-asg-event'))) as { batchItemFailures: unknown[] };
        failures += out.batchItemFailures.length;
        invocations++;
      };
      if (racing) {
        // Worst case: both containers start their first batch at the same moment (neither sees the other's writes).
        containerCaches.clear();
        await Promise.all(pollers.map((batches) => invoke(batches[0]!)));
        for (const batches of pollers) for (const batch of batches.slice(1)) await invoke(batch);
      } else {
        for (const batches of pollers) {
          if (cold) containerCaches.clear(); // each poller is a fresh container
          for (const batch of batches) await invoke(batch);
        }
      }
      const ms = performance.now() - started;
      const total = callLog.all().length;
      const product = callLog.count({ service: 'AutoScaling' }) + callLog.count({ service: 'EKS' });
      const writes = callLog.count({ service: 'AutoScaling', mutating: true });
      console.log(`${label}`);
      console.log(`  ${EVENTS} launch events → ${routed.length} routed to on-asg-event → ${invocations} invocations on ${pollers.length} containers (batch ≤ ${batching.batchSize}, window ${batching.windowSeconds} s), ${failures} failed records, ${ms.toFixed(0)} ms`);
      console.log(`  AWS calls: ${total} (${Object.entries(callLog.summary()).map(([k, v]) => `${k}×${v}`).join(', ') || 'none'})`);
      console.log(`  per distinct ASG: ${(product / asgs.length).toFixed(2)} AutoScaling+EKS calls (${(total / asgs.length).toFixed(2)} with result publishing) — target ≤ 3; writes ${writes}`);
      return { product, writes };
    };

    const first = await runBurst('burst 1 — fresh ASGs (tags missing), cold containers:', true);
    // The same burst again on fresh ASGs, racing: both containers' first batches at once.
    for (const name of asgs) await untagForBench(moto, name);
    await runBurst('burst 1b — fresh ASGs again, both containers racing on their first batch (worst case):', true, true);
    const second = await runBurst('burst 2 — tags already right, cold containers:', true);
    const third = await runBurst('burst 3 — tags already right, warm containers (launch cache):', false);

    // Baseline: the same burst without coalescing (one invocation per event, as a plain EventBridge → Lambda rule would).
    const routed = (await router.route(events)).filter((r) => r.functionName === 'on-asg-event');
    callLog.reset();
    for (const r of routed) {
      containerCaches.clear();
      await handler(asSqsEvent([r.event], 'AsgEventQueue'), lambdaContext('on-asg-event'));
    }
    console.log(`baseline — tags right, no batching (one cold invocation per event, as a plain EventBridge → Lambda rule): ${callLog.all().length} AWS calls (${(callLog.all().length / asgs.length).toFixed(0)} per ASG)`);

    const gpu = await asgTags(moto, asgs[0]!);
    console.log(`gpu ASG now carries ${gpu.length} tags; node-template: ${gpu.filter((t) => t.key.startsWith('k8s.io/cluster-autoscaler/node-template/')).map((t) => `${t.key.replace('k8s.io/cluster-autoscaler/node-template/', '')}=${t.value}`).join(', ')}`);
    const ok = first.product / asgs.length <= 3 && second.product / asgs.length <= 3 && second.writes === 0 && third.product === 0;
    console.log(`result: ${ok ? 'PASS' : 'FAIL'} (≤ 3 calls per ASG per burst; zero writes when right)`);
    if (!ok) process.exitCode = 1;
  });
}

/** Puts an ASG back as it was before eks-guardrails saw it (our tags removed; EKS's discovery tags kept on managed ones). */
async function untagForBench(moto: MotoServer, name: string): Promise<void> {
  const tags = await asgTags(moto, name);
  const managed = tags.some((t) => t.key === 'eks:nodegroup-name');
  const ours = tags.filter((t) => t.key.startsWith('k8s.io/cluster-autoscaler/node-template/') || t.key.startsWith('eks-guardrails/') ||
    (!managed && t.key.startsWith('k8s.io/cluster-autoscaler/')));
  if (ours.length === 0) return;
  await asgSeedClients(moto).autoscaling.send(new DeleteTagsCommand({ Tags: ours.map((t) => ({ ResourceId: name, ResourceType: 'auto-scaling-group', Key: t.key })) }));
}
