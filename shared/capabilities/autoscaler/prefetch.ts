/**
 * The autoscaler checks' ASG facet in a sweep: every ASG tied to a cluster in scope by tag, listed with tag
 * filters in pages of 100 (not one lookup per cluster) — the hint the autoScalingGroups loader filters.
 */
import { prefetchClusterAutoScalingGroups } from '../../aws/autoscaling.ts';
import type { Prefetcher } from '../../types/index.ts';

export const autoScalingGroupsPrefetcher: Prefetcher = {
  name: 'auto-scaling-groups',
  facets: ['autoScalingGroups'],
  async run({ clusterNames, hints }) {
    hints.autoScalingGroups = await prefetchClusterAutoScalingGroups(clusterNames);
  },
};
