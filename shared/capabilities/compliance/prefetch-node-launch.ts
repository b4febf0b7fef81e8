/**
 * node-imds-hardening's facet in a sweep: the launch settings of every prefetched ASG are read once — one
 * DescribeLaunchTemplateVersions per distinct template, one DescribeLaunchConfigurations per 50 names.
 */
import { prefetchNodeLaunchSettings } from './node-launch-facets.ts';
import type { Prefetcher } from '../../types/index.ts';

export const nodeLaunchSettingsPrefetcher: Prefetcher = {
  name: 'node-launch-settings',
  facets: ['nodeLaunchSettings'],
  after: ['auto-scaling-groups'],
  async run({ hints }) {
    if (!hints.autoScalingGroups) return;
    Object.assign((hints.extra ??= {}), await prefetchNodeLaunchSettings(hints.autoScalingGroups));
  },
};
