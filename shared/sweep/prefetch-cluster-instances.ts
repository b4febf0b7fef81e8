/**
 * nlb-preflight's instances in a sweep: importing the loader's module registers it (event handlers never
 * import it), and one listing per tag form, by page, finds every node of every cluster in scope.
 */
import { describeClusterInstances } from '../aws/ec2-instances.ts';
import { resetQuotaCache, rulesPerSecurityGroupQuota } from '../aws/service-quotas.ts';
import '../engine/cluster-instances-facets.ts';
import type { ClusterInstancesHints } from '../types/index.ts';
import { registerPrefetcher } from './prefetch.ts';

registerPrefetcher(['clusterInstances'], {
  name: 'cluster-instances',
  async run({ clusterNames, hints }) {
    // The quota is cached per container and the sweep moves from account to account.
    resetQuotaCache();
    const hint: ClusterInstancesHints = { clusterInstances: await describeClusterInstances(clusterNames) };
    Object.assign((hints.extra ??= {}), hint);
    // Warm it once, or every cluster reconciled concurrently would ask for it.
    await rulesPerSecurityGroupQuota();
  },
});
