import { EKSClient, DescribeClusterCommand, DescribeNodegroupCommand, paginateListClusters, paginateListNodegroups, type Cluster, type Nodegroup } from '@aws-sdk/client-eks';
import type { ClusterState, NodegroupState } from '../types/index.ts';
import { lazyClient } from './client.ts';

export const eksClient = lazyClient('EKS', (config) => new EKSClient(config));
import { classifyError } from './errors.ts';

export async function describeCluster(name: string): Promise<ClusterState | undefined> {
  try {
    const out = await eksClient().send(new DescribeClusterCommand({ name }));
    return out.cluster ? toClusterState(out.cluster) : undefined;
  } catch (err) {
    if (classifyError(err) === 'not-found') return undefined;
    throw err;
  }
}

export async function listClusters(): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListClusters({ client: eksClient() }, { maxResults: 100 })) names.push(...(page.clusters ?? []));
  return names;
}

export async function listNodegroups(clusterName: string): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListNodegroups({ client: eksClient() }, { clusterName, maxResults: 100 })) names.push(...(page.nodegroups ?? []));
  return names;
}

export async function describeNodegroup(clusterName: string, nodegroupName: string): Promise<NodegroupState | undefined> {
  try {
    const out = await eksClient().send(new DescribeNodegroupCommand({ clusterName, nodegroupName }));
    return out.nodegroup ? toNodegroupState(out.nodegroup) : undefined;
  } catch (err) {
    if (classifyError(err) === 'not-found') return undefined;
    throw err;
  }
}

function toClusterState(c: Cluster): ClusterState {
  const vpc = c.resourcesVpcConfig ?? {};
  return {
    name: c.name!,
    arn: c.arn,
    status: c.status ?? 'UNKNOWN',
    version: c.version,
    vpcId: vpc.vpcId,
    clusterSecurityGroupId: vpc.clusterSecurityGroupId,
    securityGroupIds: vpc.securityGroupIds ?? [],
    subnetIds: vpc.subnetIds ?? [],
    roleArn: c.roleArn,
    tags: c.tags ?? {},
    endpointPublicAccess: vpc.endpointPublicAccess,
    publicAccessCidrs: vpc.publicAccessCidrs,
    loggingEnabledTypes: (c.logging?.clusterLogging ?? []).filter((l) => l.enabled).flatMap((l) => l.types ?? []),
    encryptionConfigured: (c.encryptionConfig ?? []).some((e) => (e.resources ?? []).includes('secrets')),
    authenticationMode: c.accessConfig?.authenticationMode,
    bootstrapClusterCreatorAdminPermissions: c.accessConfig?.bootstrapClusterCreatorAdminPermissions,
    createdAt: c.createdAt && !Number.isNaN(c.createdAt.getTime()) ? c.createdAt.toISOString() : undefined,
  };
}

function toNodegroupState(n: Nodegroup): NodegroupState {
  return {
    name: n.nodegroupName!,
    clusterName: n.clusterName!,
    status: n.status,
    labels: n.labels ?? {},
    taints: (n.taints ?? []).map((t) => ({ key: t.key ?? '', value: t.value, effect: t.effect ?? '' })),
    diskSize: n.diskSize,
    instanceTypes: n.instanceTypes ?? [],
    subnets: n.subnets ?? [],
    nodeRole: n.nodeRole,
    capacityType: n.capacityType,
    autoScalingGroupNames: (n.resources?.autoScalingGroups ?? []).map((a) => a.name!).filter(Boolean),
    minSize: n.scalingConfig?.minSize,
    healthIssues: (n.health?.issues ?? []).map((i) => ({ code: i.code ?? 'Unknown', ...(i.message ? { message: i.message } : {}), ...(i.resourceIds ? { resourceIds: i.resourceIds } : {}) })),
    amiType: n.amiType,
    tags: n.tags ?? {},
    version: n.version,
    ...(n.launchTemplate && (n.launchTemplate.id || n.launchTemplate.name)
      ? { launchTemplate: { id: n.launchTemplate.id, name: n.launchTemplate.name, version: n.launchTemplate.version } } : {}),
  };
}
