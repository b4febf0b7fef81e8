/**
 * What node-imds-hardening and nlb-preflight add to a sweep: AWS calls for N clusters (2 managed node groups
 * with their own launch template each, a self-managed ASG on a shared launch configuration, 2 nodes), with the
 * sweep's account-wide prefetches and without hints; and the calls they add to an event (target: 0).
 */
import type { ObserveHints } from '../../shared/types/index.ts';
import { onLocalAccount } from './support/local-account.ts';

const CLUSTERS = Number(process.env.BENCH_NODE_CLUSTERS ?? 10);
const ADDED = ['DescribeLaunchTemplateVersions', 'DescribeLaunchConfigurations', 'DescribeInstances', 'GetServiceQuota'];

export default function nodeChecksBench(): Promise<void> {
  return onLocalAccount({}, async (moto) => {
    const { callLog, loadConfig, REGISTRY, EVENT_REGISTRY, narrowRegistry, reconcile } = await import('./support/engine.ts');
    const { prefetch } = await import('../../shared/engine/prefetch.ts');
    const { seedComplianceCluster } = await import('../local/compliance-scenario.ts');
    const { seedSelfManagedAsg } = await import('../local/autoscaler-scenario.ts');
    const { seedNodes } = await import('../local/nlb-preflight-scenario.ts');
    const names = Array.from({ length: CLUSTERS }, (_, i) => `n${String(i).padStart(3, '0')}`);
    for (const [i, name] of names.entries()) {
      const c = await seedComplianceCluster(moto, name, i % 2 === 0 ? ['node-imds'] : [], { vpcCidr: `10.${i}.0.0/16` });
      await seedSelfManagedAsg(moto, c, `${name}-legacy`);
      await seedNodes(moto, c, 2, [c.clusterSecurityGroupId]);
    }
    const registry = narrowRegistry(REGISTRY, (c) => c.name === 'node-imds-hardening' || c.name === 'nlb-preflight');
    const config = loadConfig({ GUARDRAILS_MODE: 'dry-run' });
    const facets = new Set(registry.checks.flatMap((c) => c.facets));
    const added = () => ADDED.map((op) => `${op}×${callLog.count({ operation: op })}`).join(', ');

    const run = async (label: string, withPrefetch: boolean) => {
      callLog.reset();
      // One `extra` object shared by every cluster, as the sweep passes it (the loaders cache into it).
      const hints: ObserveHints = { extra: {} };
      if (withPrefetch) await prefetch(facets, registry.prefetchers, { clusterNames: names, config, hints });
      let findings = 0;
      for (const clusterName of names) findings += (await reconcile({ clusterName, trigger: { kind: 'schedule' } }, config, { hints, registry })).findings.length;
      const total = ADDED.reduce((n, op) => n + callLog.count({ operation: op }), 0);
      console.log(`${label.padEnd(22)} ${String(total).padStart(3)} added calls for ${CLUSTERS} clusters (${(total / CLUSTERS).toFixed(2)} per cluster)  ${findings} findings  mutating ${callLog.count({ mutating: true })}`);
      console.log(`  ${added()}`);
    };
    console.log(`${CLUSTERS} clusters (half with an IMDSv1 node template), each with 2 managed node groups, a self-managed ASG on one shared launch configuration, 2 nodes`);
    await run('sweep (prefetch)', true);
    // Still one shared cache: a launch configuration used by every cluster is read once; the quota is cached per container.
    await run('no prefetch', false);

    callLog.reset();
    for (const clusterName of names) await reconcile({ clusterName, trigger: { kind: 'cloudtrail' } }, config, { registry: EVENT_REGISTRY });
    console.log(`event path (every event check)  ${ADDED.map((op) => callLog.count({ operation: op })).reduce((a, b) => a + b, 0)} of the added calls (target 0)`);
    console.log(`  ${added()}`);
  });
}
