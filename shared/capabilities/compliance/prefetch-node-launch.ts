/**
 * node-imds-hardening's facet in a sweep: importing node-launch-facets registers its loader (event handlers
 * never import it), and the launch settings of every prefetched ASG are read once — one
 * DescribeLaunchTemplateVersions per distinct template, one DescribeLaunchConfigurations per 50 names.
 */
import { prefetchNodeLaunchSettings } from './node-launch-facets.ts';
import { registerPrefetcher } from '../../engine/prefetch.ts';

registerPrefetcher(['nodeLaunchSettings'], {
  name: 'node-launch-settings',
  after: ['auto-scaling-groups'],
  async run({ hints }) {
    if (!hints.autoScalingGroups) return;
    Object.assign((hints.extra ??= {}), await prefetchNodeLaunchSettings(hints.autoScalingGroups));
  },
});
