/**
 * cluster-access-posture's AWS calls per cluster, by number of access entries (EKS has no account-wide or
 * batched read of entries or their policies, so this is the check's floor): ListAccessEntries per page of
 * 100 entries, plus one ListAssociatedAccessPolicies per entry; none for a CONFIG_MAP cluster. And the event
 * path: a CloudTrail-triggered reconcile of the same cluster makes none of them.
 */
import { onLocalAccount } from './support/local-account.ts';

const SIZES = [0, 2, 10, 150];

export default function clusterAccessBench(): Promise<void> {
  return onLocalAccount({}, async (moto) => {
    const { callLog, loadConfig, REGISTRY, EVENT_REGISTRY, narrowRegistry, reconcile } = await import('./support/engine.ts');
    const { seedAccessEntry, seedComplianceCluster } = await import('../local/compliance-scenario.ts');
    const config = loadConfig({ GUARDRAILS_MODE: 'dry-run' });
    const registry = narrowRegistry(REGISTRY, (c) => c.name === 'cluster-access-posture');

    const cm = await seedComplianceCluster(moto, 'cm', ['config-map-auth'], { vpcCidr: '10.200.0.0/16' });
    const measured: [string, number][] = [[cm.clusterName, 0]];
    for (const [i, n] of SIZES.filter((n) => n > 0).entries()) {
      const name = `entries-${n}`;
      await seedComplianceCluster(moto, name, [], { vpcCidr: `10.${201 + i}.0.0/16` }); // a viewer and a namespace admin
      for (let e = 2; e < n; e++) await seedAccessEntry(moto, name, `arn:aws:iam::123456789012:role/team-${e}`, [{ policy: 'AmazonEKSViewPolicy' }]);
      measured.push([name, n]);
    }
    console.log('entries  ListAccessEntries  ListAssociatedAccessPolicies  calls/cluster (besides DescribeCluster)  event path');
    for (const [clusterName, n] of measured) {
      callLog.reset();
      await reconcile({ clusterName, trigger: { kind: 'schedule' } }, config, { registry });
      const list = callLog.count({ operation: 'ListAccessEntries' });
      const policies = callLog.count({ operation: 'ListAssociatedAccessPolicies' });
      const other = callLog.all().length - list - policies - callLog.count({ operation: 'DescribeCluster' });
      callLog.reset();
      await reconcile({ clusterName, trigger: { kind: 'cloudtrail' } }, config, { registry: EVENT_REGISTRY });
      const onEvent = callLog.count({ operation: 'ListAccessEntries' }) + callLog.count({ operation: 'ListAssociatedAccessPolicies' });
      const label = n === 0 ? '0 (CONFIG_MAP)' : String(n);
      console.log(`${label.padEnd(15)}  ${String(list).padStart(17)}  ${String(policies).padStart(28)}  ${String(list + policies + other).padStart(40)}  ${onEvent} access calls`);
    }
    console.log('target: ceil(entries/100) + entries per API-mode cluster, 0 for CONFIG_MAP, 0 on events');
  });
}
