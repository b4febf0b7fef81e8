import { paginateDescribeClusterVersions } from '@aws-sdk/client-eks';
import type { ClusterVersionInfo } from '../types/index.ts';
import { eksClient } from './eks.ts';

/** Every EKS Kubernetes version with its support dates (DescribeClusterVersions, all pages, includeAll). */
export async function describeClusterVersions(): Promise<ClusterVersionInfo[]> {
  const versions: ClusterVersionInfo[] = [];
  for await (const page of paginateDescribeClusterVersions({ client: eksClient() }, { includeAll: true, maxResults: 100 })) {
    for (const v of page.clusterVersions ?? []) {
      if (!v.clusterVersion) continue;
      versions.push({
        version: v.clusterVersion,
        status: v.versionStatus ?? v.status?.toUpperCase().replace(/-/g, '_'),
        releaseDate: iso(v.releaseDate),
        endOfStandardSupport: iso(v.endOfStandardSupportDate),
        endOfExtendedSupport: iso(v.endOfExtendedSupportDate),
      });
    }
  }
  return versions;
}

function iso(d: Date | undefined): string | undefined {
  return d && !Number.isNaN(d.getTime()) ? d.toISOString().slice(0, 10) : undefined;
}
