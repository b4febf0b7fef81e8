import type { Check, CheckOutcome, ClusterSnapshot } from '../../types/index.ts';

import { PUBLIC_ENDPOINT } from './names.ts';

const WORLD = new Set(['0.0.0.0/0', '::/0']);

/**
 * A public API endpoint open to the whole internet. EKS's default when public access is on and no CIDRs
 * were given is 0.0.0.0/0, so an absent list counts as open.
 */
export const publicEndpoint: Check = {
  name: PUBLIC_ENDPOINT,
  description: 'The cluster API endpoint is not publicly reachable from 0.0.0.0/0 or ::/0.',
  defaultMode: 'report',
  facets: [],
  triggers: ['sweep'],
  run(snapshot: ClusterSnapshot): CheckOutcome {
    const { cluster } = snapshot;
    if (cluster.endpointPublicAccess !== true) return { findings: [], actions: [] };
    const cidrs = cluster.publicAccessCidrs && cluster.publicAccessCidrs.length > 0 ? cluster.publicAccessCidrs : ['0.0.0.0/0'];
    const open = cidrs.filter((c) => WORLD.has(c.trim()));
    if (open.length === 0) return { findings: [], actions: [] };
    return {
      findings: [{
        id: `${PUBLIC_ENDPOINT}:${cluster.name}`,
        check: PUBLIC_ENDPOINT,
        severity: 'high',
        resource: { type: 'cluster', id: cluster.name, arn: cluster.arn },
        title: `Cluster ${cluster.name} API endpoint is public and open to ${open.join(' and ')}`,
        evidence: { endpointPublicAccess: true, publicAccessCidrs: cluster.publicAccessCidrs ?? null, openTo: open },
        fixHint: `Restrict the public endpoint to your networks (aws eks update-cluster-config --name ${cluster.name} --resources-vpc-config publicAccessCidrs=<cidr>,...) or turn it off and use the private endpoint (endpointPublicAccess=false,endpointPrivateAccess=true). Check that nodes and CI still reach the API first.`,
      }],
      actions: [],
    };
  },
};
