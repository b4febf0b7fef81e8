import type { Capability } from '../../types/index.ts';
import { loadAccessEntries } from './access-facets.ts';
import { clusterAccessPosture } from './cluster-access-posture.ts';
import { clusterInstances } from './cluster-instances-facets.ts';
import { controlPlaneLogging } from './control-plane-logging.ts';
import { loadEbsVolumes, loadIamRoles, loadVersions } from './facets.ts';
import { iamRolePolicies } from './iam-role-policies.ts';
import { kubernetesVersionSupport } from './kubernetes-version-support.ts';
import { multiAzEbs } from './multi-az-ebs.ts';
import { nlbPreflight } from './nlb-preflight.ts';
import { nodeImdsHardening } from './node-imds-hardening.ts';
import { nodeLaunchSettings } from './node-launch-facets.ts';
import { compliancePrefetcher } from './prefetch.ts';
import { clusterInstancesPrefetcher } from './prefetch-cluster-instances.ts';
import { nodeLaunchSettingsPrefetcher } from './prefetch-node-launch.ts';
import { publicEndpoint } from './public-endpoint.ts';
import { scaleFromZeroReadiness } from './scale-from-zero-readiness.ts';
import { secretsEncryption } from './secrets-encryption.ts';

/**
 * The sweep's compliance checks (docs/compliance-checks.md): report-only, sweep-only — no event routes, so
 * the event functions never load this folder and their bundles carry neither its checks nor the IAM client.
 * Its loaders read facets of the capabilities before it (node groups, ASGs), which the sweep loads too.
 */
export const complianceCapability: Capability = {
  name: 'compliance',
  checks: [
    controlPlaneLogging, publicEndpoint, kubernetesVersionSupport, secretsEncryption, iamRolePolicies, multiAzEbs,
    clusterAccessPosture, scaleFromZeroReadiness, nodeImdsHardening, nlbPreflight,
  ],
  facets: [
    { name: 'iamRoles', load: loadIamRoles },
    { name: 'ebsVolumes', load: loadEbsVolumes },
    { name: 'clusterVersions', load: loadVersions },
    { name: 'accessEntries', load: loadAccessEntries },
    { name: 'nodeLaunchSettings', load: nodeLaunchSettings },
    { name: 'clusterInstances', load: clusterInstances },
  ],
  prefetchers: [compliancePrefetcher, nodeLaunchSettingsPrefetcher, clusterInstancesPrefetcher],
  routes: {},
};
