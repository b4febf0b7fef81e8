/**
 * Foundation numbers: bundle size and import time per function, and AWS calls per cluster-SG repair and per
 * no-op event. Targets: a repair ≤ 3 AWS calls, a no-op ≤ 2 reads (publishing to our own bus counted apart).
 */
import { spawnSync } from 'node:child_process';
import { RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { buildAll } from '../../scripts/build.ts';
import { loadSample } from '../local/samples.ts';
import { seedClients, seedCluster } from '../local/scenario.ts';
import { onLocalAccount } from './support/local-account.ts';

const RUNS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Wall time of a fresh `node` process running `code`, median of RUNS. */
function nodeStartMs(code: string): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { stdio: 'ignore', env: { ...process.env, AWS_REGION: 'us-east-1' } });
    if (r.status !== 0) throw new Error(`node -e failed: ${code}`);
    times.push(performance.now() - t);
  }
  return median(times);
}

export default async function foundationBench(): Promise<void> {
  const bundles = await buildAll();
  const bare = nodeStartMs('');
  console.log(`bare node start: ${bare.toFixed(1)} ms (median of ${RUNS})`);
  console.log('function            bundle KiB   import ms (over bare start)');
  for (const b of bundles) {
    const withImport = nodeStartMs(`await import(${JSON.stringify(b.file)})`);
    console.log(`${b.name.padEnd(18)} ${(b.bytes / 1024).toFixed(1).padStart(10)}   ${(withImport - bare).toFixed(1).padStart(8)}  (×${(withImport / bare).toFixed(2)} of bare)`);
  }

  await onLocalAccount({ GUARDRAILS_EVENT_BUS: 'bench-bus' }, async (moto) => {
    const { callLog } = await import('../../shared/aws/calls.ts');
    const { handler } = await import('../../functions/on-sg-event/handler.ts');
    const { lambdaContext } = await import('../cli/lambda-context.ts');
    const { EventBridgeClient, CreateEventBusCommand } = await import('@aws-sdk/client-eventbridge');
    await new EventBridgeClient(seedClients(moto).config).send(new CreateEventBusCommand({ Name: 'bench-bus' }));
    const cluster = await seedCluster(moto, 'bench');
    const groupId = cluster.clusterSecurityGroupId;
    const event = loadSample('on-sg-event/revoke-self-rule.json', { groupId });
    await seedClients(moto).ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId }] }] }));

    const measure = async (label: string, target: string) => {
      callLog.reset();
      await handler(event, lambdaContext('on-sg-event'));
      const resource = callLog.all().filter((c) => c.service !== 'EventBridge');
      const reads = resource.filter((c) => !c.mutating).length;
      const writes = resource.length - reads;
      console.log(`${label.padEnd(22)} ${resource.length} AWS calls (${reads} reads, ${writes} writes) + ${callLog.count({ service: 'EventBridge' })} PutEvents   target ${target}   [${Object.entries(callLog.summary()).map(([k, v]) => `${k}×${v}`).join(', ')}]`);
    };
    await measure('repair (self rule)', '≤ 3');
    await measure('no-op (already right)', '≤ 2 reads');
  });
}
