import type { Capability } from '../../types/index.ts';
import { clusterTaggedSecurityGroups, loadBalancers, securityGroupRuleIds } from './facets.ts';
import { NLB_RULE_HEADROOM } from './names.ts';
import { nlbRuleHeadroom } from './nlb-rule-headroom.ts';
import { loadBalancersPrefetcher, securityGroupRulesPrefetcher } from './prefetch.ts';

/** Trims stale NLB rules from node security groups before the rules quota is hit (docs/nlb-headroom.md). */
export const nlbHeadroomCapability: Capability = {
  name: 'nlb-headroom',
  checks: [nlbRuleHeadroom],
  facets: [
    { name: 'clusterTaggedSecurityGroups', load: clusterTaggedSecurityGroups },
    { name: 'securityGroupRuleIds', load: securityGroupRuleIds },
    { name: 'loadBalancers', load: loadBalancers },
  ],
  prefetchers: [securityGroupRulesPrefetcher, loadBalancersPrefetcher],
  routes: {
    'security-group-changed': [NLB_RULE_HEADROOM],
    'security-group-full': [NLB_RULE_HEADROOM],
    'load-balancer-deleted': [NLB_RULE_HEADROOM],
    'cluster-created': [NLB_RULE_HEADROOM],
  },
};
