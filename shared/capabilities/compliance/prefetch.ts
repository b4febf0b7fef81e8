/**
 * The compliance checks' facets in a sweep: one account-wide prefetch fills the hints their loaders read —
 * volumes, version calendar, role policies, subnet AZs.
 */
import { prefetchComplianceHints } from './facets.ts';
import type { Prefetcher } from '../../types/index.ts';

export const compliancePrefetcher: Prefetcher = {
  name: 'compliance',
  facets: ['iamRoles', 'ebsVolumes', 'clusterVersions'],
  async run({ hints }) {
    // Merged into the one `extra` object every cluster of the scope shares: the loaders cache into it too.
    Object.assign((hints.extra ??= {}), await prefetchComplianceHints());
  },
};
