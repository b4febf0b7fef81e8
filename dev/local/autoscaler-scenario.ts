import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateNodegroupCommand, EKSClient, type Taint } from '@aws-sdk/client-eks';
import type { AsgTag } from '../../shared/types/index.ts';
import type { MotoServer } from './moto.ts';
import { seedClients, type SeededCluster } from './scenario.ts';

/** Uncounted clients for seeding and for reading what a test or the demo wants to show. */
export function asgSeedClients(moto: MotoServer, region = 'us-east-1') {
  const { config } = seedClients(moto, region);
  return { autoscaling: new AutoScalingClient(config), eks: new EKSClient(config) };
}

const LAUNCH_CONFIGURATION = 'eks-guardrails-local-nodes';

async function ensureLaunchConfiguration(autoscaling: AutoScalingClient): Promise<void> {
  // Hardened as node-imds-hardening wants (IMDSv2 only, hop limit 1): only the clusters seeded with that problem show it.
  await autoscaling.send(new CreateLaunchConfigurationCommand({
    LaunchConfigurationName: LAUNCH_CONFIGURATION, ImageId: 'ami-12c6146b', InstanceType: 'm5.large',
    MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' },
  }))
    .catch((err: Error) => { if (!/already exists/i.test(err.message)) throw err; });
}

/** The tags EKS writes on a managed node group's ASG: cluster, node group, and cluster-autoscaler auto-discovery. */
export function eksNodegroupAsgTags(clusterName: string, nodegroup: string): Record<string, string> {
  return {
    'eks:cluster-name': clusterName,
    'eks:nodegroup-name': nodegroup,
    [`kubernetes.io/cluster/${clusterName}`]: 'owned',
    'k8s.io/cluster-autoscaler/enabled': 'true',
    [`k8s.io/cluster-autoscaler/${clusterName}`]: 'owned',
  };
}

export interface ManagedNodegroupSeed {
  name: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  minSize?: number;
  maxSize?: number;
  diskSize?: number;
  /** Tags beyond those EKS writes (to fill the 50-tag budget, or to simulate a person's tags). */
  extraAsgTags?: Record<string, string>;
  /** Leave out the ASG (EKS has not created it yet). */
  withoutAsg?: boolean;
}

/** A managed node group as EKS leaves it: the node group, and its ASG `eks-<ng>-<uuid>` with EKS's tags and no template tags. */
export async function seedManagedNodegroup(moto: MotoServer, cluster: SeededCluster, seed: ManagedNodegroupSeed): Promise<{ asgName: string }> {
  const { eks } = asgSeedClients(moto);
  await eks.send(new CreateNodegroupCommand({
    clusterName: cluster.clusterName,
    nodegroupName: seed.name,
    nodeRole: `arn:aws:iam::123456789012:role/${cluster.clusterName}-node-role`,
    subnets: cluster.subnetIds,
    scalingConfig: { minSize: seed.minSize ?? 0, maxSize: seed.maxSize ?? 10, desiredSize: seed.minSize ?? 0 },
    labels: seed.labels,
    taints: seed.taints,
    diskSize: seed.diskSize,
  }));
  const asgName = `eks-${seed.name}-${crypto.randomUUID()}`;
  await moto.patchNodegroup(cluster.clusterName, seed.name, { autoScalingGroups: [asgName] });
  if (!seed.withoutAsg) {
    await createAsg(moto, asgName, cluster, seed.minSize ?? 0, seed.maxSize ?? 10, { ...eksNodegroupAsgTags(cluster.clusterName, seed.name), ...seed.extraAsgTags });
  }
  return { asgName };
}

/** Creates an ASG with tags (PropagateAtLaunch=true, as most tools write them). */
export async function createAsg(moto: MotoServer, name: string, cluster: Pick<SeededCluster, 'subnetIds'>, minSize: number, maxSize: number, tags: Record<string, string>): Promise<void> {
  const { autoscaling } = asgSeedClients(moto);
  await ensureLaunchConfiguration(autoscaling);
  await autoscaling.send(new CreateAutoScalingGroupCommand({
    AutoScalingGroupName: name,
    LaunchConfigurationName: LAUNCH_CONFIGURATION,
    MinSize: minSize,
    MaxSize: maxSize,
    DesiredCapacity: minSize,
    VPCZoneIdentifier: cluster.subnetIds.join(','),
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true, ResourceId: name, ResourceType: 'auto-scaling-group' })),
  }));
}

/** A self-managed node group ASG (CloudFormation/eksctl style): the cluster tag only, no discovery tags. */
export async function seedSelfManagedAsg(moto: MotoServer, cluster: SeededCluster, name: string, opts: { minSize?: number; tags?: Record<string, string> } = {}): Promise<string> {
  await createAsg(moto, name, cluster, opts.minSize ?? 0, 5, { [`kubernetes.io/cluster/${cluster.clusterName}`]: 'owned', Name: `${cluster.clusterName}-${name}-Node`, ...opts.tags });
  return name;
}

/** Every tag of an ASG, read with an uncounted client. */
export async function asgTags(moto: MotoServer, name: string): Promise<AsgTag[]> {
  const { autoscaling } = asgSeedClients(moto);
  const out = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  return (out.AutoScalingGroups?.[0]?.Tags ?? []).map((t) => ({ key: t.Key!, value: t.Value ?? '', propagateAtLaunch: t.PropagateAtLaunch ?? false }))
    .sort((a, b) => a.key.localeCompare(b.key));
}
