/**
 * nlb-rule-headroom's facets in a sweep: rule ids by lists of group ids (only for groups whose inbound
 * usage may reach the threshold — the same cheap gate its loader applies, so the hint covers every group
 * the loader will ask for) and the region's load balancers and target groups, each listed once by page.
 */
import { describeSecurityGroupRules } from '../../aws/ec2.ts';
import { countRules, ingressUsage, mayReachThreshold } from './nlb-rules.ts';
import { LOAD_BALANCERS_HINT, lookUpLoadBalancers } from './facets.ts';
import type { Prefetcher } from '../../types/index.ts';
import { restoreScopeRulesQuota, scopeRulesQuota } from './scope-quota.ts';

export const securityGroupRulesPrefetcher: Prefetcher = {
  name: 'security-group-rules',
  facets: ['securityGroupRuleIds'],
  after: ['security-groups'],
  async run({ config, hints }) {
    // The rules quota is cached per container; a sweep moves from account to account (scope-quota.ts).
    restoreScopeRulesQuota(hints);
    const groups = (hints.securityGroups ?? []).filter((g) => {
      const ingress = g.rules.filter((r) => r.direction === 'ingress');
      return ingress.some((r) => r.prefixListId) || mayReachThreshold(ingressUsage(countRules(ingress)), config.nlb.thresholdPercent);
    });
    hints.securityGroupRules = await describeSecurityGroupRules(groups.map((g) => g.groupId));
    // Warm the quota cache once, or every cluster reconciled concurrently would ask for it.
    if (groups.length > 0) await scopeRulesQuota(hints);
  },
  // A fan-out batch may follow another account's batch in the same container.
  restore: restoreScopeRulesQuota,
};

export const loadBalancersPrefetcher: Prefetcher = {
  name: 'load-balancers',
  facets: ['loadBalancers'],
  async run({ hints }) {
    // A permanent failure is kept as the reason the trimmer deletes nothing; a transient one throws (loaders list per cluster).
    (hints.extra ??= {})[LOAD_BALANCERS_HINT] = await lookUpLoadBalancers();
  },
};
