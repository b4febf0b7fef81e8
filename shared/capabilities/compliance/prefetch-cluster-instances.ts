/**
 * nlb-preflight's instances in a sweep: one listing per tag form, by page, finds every node of every cluster
 * in scope.
 */
import { describeClusterInstances } from '../../aws/ec2-instances.ts';
import type { ClusterInstancesHints, Prefetcher } from '../../types/index.ts';
import { restoreScopeRulesQuota, scopeRulesQuota } from '../nlb-headroom/scope-quota.ts';

export const clusterInstancesPrefetcher: Prefetcher = {
  name: 'cluster-instances',
  facets: ['clusterInstances'],
  async run({ clusterNames, hints }) {
    const hint: ClusterInstancesHints = { clusterInstances: await describeClusterInstances(clusterNames) };
    Object.assign((hints.extra ??= {}), hint);
    // Once per scope (shared with nlb-rule-headroom's prefetcher), or every cluster would ask for it.
    await scopeRulesQuota(hints);
  },
  restore: restoreScopeRulesQuota,
};
