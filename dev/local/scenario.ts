import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateClusterCommand, EKSClient, type CreateClusterCommandInput } from '@aws-sdk/client-eks';
import type { MotoServer } from './moto.ts';

/** Plain SDK clients for seeding: they are not counted, so tests measure only the product's calls. */
export function seedClients(moto: MotoServer, region = 'us-east-1') {
  const config = moto.clientConfig(region);
  return { ec2: new EC2Client(config), eks: new EKSClient(config), config };
}

export interface SeededCluster {
  clusterName: string;
  clusterArn: string;
  vpcId: string;
  subnetIds: string[];
  clusterSecurityGroupId: string;
}

export interface ClusterSeedOptions {
  vpcCidr?: string;
  /** Leave out the inbound all-traffic self rule (a cluster SG that has drifted). */
  withoutSelfRule?: boolean;
  clusterTags?: Record<string, string>;
  securityGroupTags?: Record<string, string>;
  status?: string;
  region?: string;
  /** Extra CreateCluster settings (version, logging, encryption, endpoint access) for compliance scenarios. */
  create?: Pick<CreateClusterCommandInput, 'version' | 'logging' | 'encryptionConfig' | 'accessConfig'> & {
    endpointPublicAccess?: boolean;
    endpointPrivateAccess?: boolean;
    publicAccessCidrs?: string[];
  };
}

/** A cluster as real EKS would leave it: VPC, subnets, the tagged cluster SG with its default rules, the cluster. */
export async function seedCluster(moto: MotoServer, clusterName: string, opts: ClusterSeedOptions = {}): Promise<SeededCluster> {
  const region = opts.region ?? 'us-east-1';
  const { ec2, eks } = seedClients(moto, region);
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: opts.vpcCidr ?? '10.0.0.0/16' }));
  const vpcId = vpc.Vpc!.VpcId!;
  const base = (opts.vpcCidr ?? '10.0.0.0/16').split('.').slice(0, 2).join('.');
  const subnetIds: string[] = [];
  for (const [i, az] of ['a', 'b'].entries()) {
    const s = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `${base}.${i * 16}.0/20`, AvailabilityZone: `${region}${az}` }));
    subnetIds.push(s.Subnet!.SubnetId!);
  }
  const sg = await ec2.send(new CreateSecurityGroupCommand({
    GroupName: `eks-cluster-sg-${clusterName}-${Math.floor(Math.random() * 1e9)}`,
    Description: 'EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.',
    VpcId: vpcId,
    TagSpecifications: [{
      ResourceType: 'security-group',
      Tags: Object.entries({ 'aws:eks:cluster-name': clusterName, [`kubernetes.io/cluster/${clusterName}`]: 'owned', ...opts.securityGroupTags })
        .map(([Key, Value]) => ({ Key, Value })),
    }],
  }));
  const groupId = sg.GroupId!;
  if (!opts.withoutSelfRule) {
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId }] }] }));
  }
  const cluster = await eks.send(new CreateClusterCommand({
    name: clusterName,
    roleArn: `arn:aws:iam::123456789012:role/${clusterName}-cluster-role`,
    resourcesVpcConfig: {
      subnetIds,
      endpointPublicAccess: opts.create?.endpointPublicAccess,
      endpointPrivateAccess: opts.create?.endpointPrivateAccess,
      publicAccessCidrs: opts.create?.publicAccessCidrs,
    },
    tags: opts.clusterTags,
    version: opts.create?.version,
    logging: opts.create?.logging,
    encryptionConfig: opts.create?.encryptionConfig,
    accessConfig: opts.create?.accessConfig,
  }));
  await moto.patchCluster(clusterName, { clusterSecurityGroupId: groupId, vpcId, ...(opts.status ? { status: opts.status } : {}) }, region);
  return { clusterName, clusterArn: cluster.cluster!.arn!, vpcId, subnetIds, clusterSecurityGroupId: groupId };
}
