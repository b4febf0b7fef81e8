/**
 * Compliance checks' AWS calls in a dry-run sweep of N seeded clusters (2 managed node groups each, an EBS
 * volume, own cluster and node roles): with the account-wide prefetch, with per-role IAM, and without hints.
 * The floor is EKS's per-cluster, per-node-group and per-access-entry calls (DescribeCluster + ListNodegroups +
 * ListAccessEntries, one DescribeNodegroup per group, one ListAssociatedAccessPolicies per access entry);
 * target ≤ 1.2 × floor with the prefetch.
 */
import { onLocalAccount } from './support/local-account.ts';

const CLUSTERS = Number(process.env.BENCH_COMPLIANCE_CLUSTERS ?? 20);

export default function complianceBench(): Promise<void> {
  return onLocalAccount({}, async (moto) => {
    const { callLog, loadConfig, REGISTRY, narrowRegistry, reconcile } = await import('./support/engine.ts');
    const { prefetchComplianceHints } = await import('../../shared/capabilities/compliance/facets.ts');
    const { seedComplianceCluster } = await import('../local/compliance-scenario.ts');
    const names = Array.from({ length: CLUSTERS }, (_, i) => `c${String(i).padStart(3, '0')}`);
    for (const [i, name] of names.entries()) {
      await seedComplianceCluster(moto, name, i % 2 === 0 ? ['multi-az-ebs', 'public-endpoint'] : [], { vpcCidr: `10.${i}.0.0/16` });
    }
    const registry = narrowRegistry(REGISTRY, (c) => c.triggers?.includes('sweep') === true && !c.triggers.includes('event'));
    const config = loadConfig({ GUARDRAILS_MODE: 'dry-run' });
    const nodegroups = CLUSTERS * 2 - Math.ceil(CLUSTERS / 2); // multi-az-ebs clusters have one group
    // cluster-access-posture: ListAccessEntries per cluster and ListAssociatedAccessPolicies per entry (2 each:
    // a viewer and a namespace admin) — per-cluster EKS reads with no account-wide form, so part of the floor.
    const accessEntries = CLUSTERS * 2;
    const floor = CLUSTERS * 2 + nodegroups + CLUSTERS + accessEntries;

    const run = async (label: string, prefetch: (() => Promise<Record<string, unknown>>) | undefined) => {
      callLog.reset();
      const t = performance.now();
      const hints = prefetch ? { extra: await prefetch() } : {};
      let findings = 0;
      for (const clusterName of names) findings += (await reconcile({ clusterName, trigger: { kind: 'schedule' } }, config, { hints, registry })).findings.length;
      const ms = performance.now() - t;
      const calls = callLog.all().length;
      console.log(`${label.padEnd(26)} ${String(calls).padStart(4)} calls  floor ${floor}  ratio ${(calls / floor).toFixed(2)}  ${ms.toFixed(0)} ms  ${findings} findings  mutating ${callLog.count({ mutating: true })}`);
      console.log(`  ${Object.entries(callLog.summary()).map(([k, v]) => `${k}×${v}`).join(', ')}`);
    };
    console.log(`${CLUSTERS} clusters, ${nodegroups} managed node groups, compliance checks only (${registry.checks.map((c) => c.name).join(', ')})`);
    await run('prefetch (account IAM)', () => prefetchComplianceHints());
    await run('prefetch (per-role IAM)', () => prefetchComplianceHints({ iam: 'per-role', subnets: 'per-cluster' }));
    await run('no hints', undefined);
  });
}

