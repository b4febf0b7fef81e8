/**
 * The compliance checks' facets in a sweep: importing compliance-facets registers their loaders (the event
 * handlers never import them, so their bundles stay without the IAM client), and one account-wide prefetch
 * fills the hints those loaders read — volumes, version calendar, role policies, subnet AZs.
 */
import { prefetchComplianceHints } from './facets.ts';
import { registerPrefetcher } from '../../engine/prefetch.ts';

registerPrefetcher(['iamRoles', 'ebsVolumes', 'clusterVersions'], {
  name: 'compliance',
  async run({ hints }) {
    // Merged into the one `extra` object every cluster of the scope shares: the loaders cache into it too.
    Object.assign((hints.extra ??= {}), await prefetchComplianceHints());
  },
});
