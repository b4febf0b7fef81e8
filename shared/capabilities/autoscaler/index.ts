import type { Capability } from '../../types/index.ts';
import { autoscalerDiscoveryTags } from './autoscaler-discovery-tags.ts';
import { autoscalerNodeTemplateTags } from './autoscaler-node-template-tags.ts';
import { autoScalingGroups, nodegroups } from './facets.ts';
import { AUTOSCALER_CHECKS } from './names.ts';
import { autoScalingGroupsPrefetcher } from './prefetch.ts';

/** Tags node group ASGs so cluster-autoscaler discovers them and can scale them from zero (docs/autoscaler.md). */
export const autoscalerCapability: Capability = {
  name: 'autoscaler',
  checks: [autoscalerDiscoveryTags, autoscalerNodeTemplateTags],
  facets: [
    { name: 'nodegroups', load: nodegroups },
    // After node groups: a managed ASG stripped of its cluster tags is found through its node group.
    { name: 'autoScalingGroups', load: autoScalingGroups },
  ],
  prefetchers: [autoScalingGroupsPrefetcher],
  routes: {
    'auto-scaling-group-changed': AUTOSCALER_CHECKS,
    'nodegroup-changed': AUTOSCALER_CHECKS,
    'cluster-created': AUTOSCALER_CHECKS,
  },
};
