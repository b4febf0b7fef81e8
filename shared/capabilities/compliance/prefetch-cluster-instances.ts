/**
 * nlb-preflight's instances in a sweep: importing the loader's module registers it (event handlers never
 * import it), and one listing per tag form, by page, finds every node of every cluster in scope.
 */
import { describeClusterInstances } from '../../aws/ec2-instances.ts';
import './cluster-instances-facets.ts';
import type { ClusterInstancesHints } from '../../types/index.ts';
import { registerPrefetcher } from '../../engine/prefetch.ts';
import { restoreScopeRulesQuota, scopeRulesQuota } from '../nlb-headroom/scope-quota.ts';

registerPrefetcher(['clusterInstances'], {
  name: 'cluster-instances',
  async run({ clusterNames, hints }) {
    const hint: ClusterInstancesHints = { clusterInstances: await describeClusterInstances(clusterNames) };
    Object.assign((hints.extra ??= {}), hint);
    // Once per scope (shared with nlb-rule-headroom's prefetcher), or every cluster would ask for it.
    await scopeRulesQuota(hints);
  },
  restore: restoreScopeRulesQuota,
});
