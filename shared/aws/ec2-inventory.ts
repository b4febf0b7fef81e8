import { paginateDescribeSubnets, paginateDescribeVolumes, type Filter, type Volume } from '@aws-sdk/client-ec2';
import type { EbsVolume } from '../types/index.ts';
import { ec2Client, tagRecord } from './ec2.ts';

/** Volumes matching filters, all pages (always filtered: unfiltered describes sit in the small throttle bucket). */
export async function describeVolumes(filters: Filter[]): Promise<EbsVolume[]> {
  const volumes: EbsVolume[] = [];
  for await (const page of paginateDescribeVolumes({ client: ec2Client() }, { Filters: filters, MaxResults: 500 })) {
    for (const v of page.Volumes ?? []) if (v.VolumeId) volumes.push(toEbsVolume(v));
  }
  return volumes;
}

/**
 * Subnet id → AZ for a list of ids, in chunks of 200 per call (the `subnet-id` filter, unlike `SubnetIds`,
 * does not fail the whole call when one subnet was deleted).
 */
export async function describeSubnetAzs(subnetIds: readonly string[]): Promise<Map<string, string>> {
  const azs = new Map<string, string>();
  const ids = [...new Set(subnetIds)];
  for (let i = 0; i < ids.length; i += 200) {
    for await (const page of paginateDescribeSubnets({ client: ec2Client() }, { Filters: [{ Name: 'subnet-id', Values: ids.slice(i, i + 200) }], MaxResults: 1000 })) {
      for (const s of page.Subnets ?? []) if (s.SubnetId && s.AvailabilityZone) azs.set(s.SubnetId, s.AvailabilityZone);
    }
  }
  return azs;
}

/** Every subnet of the region → its AZ, in pages of 1000 (a sweep reads them once for all clusters). */
export async function describeAllSubnetAzs(): Promise<Map<string, string>> {
  const azs = new Map<string, string>();
  for await (const page of paginateDescribeSubnets({ client: ec2Client() }, { MaxResults: 1000 })) {
    for (const s of page.Subnets ?? []) if (s.SubnetId && s.AvailabilityZone) azs.set(s.SubnetId, s.AvailabilityZone);
  }
  return azs;
}

function toEbsVolume(v: Volume): EbsVolume {
  return {
    volumeId: v.VolumeId!,
    availabilityZone: v.AvailabilityZone ?? 'unknown',
    state: v.State,
    tags: tagRecord(v.Tags),
  };
}
