import { CreateSecurityGroupCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import type { MotoServer } from './moto.ts';
import { seedClients, type SeededCluster } from './scenario.ts';

/**
 * A node security group as eksctl or Terraform make one beside EKS's cluster SG; `tagged` gives it the
 * cloud provider's `kubernetes.io/cluster/<name>` tag too (the mistake nlb-preflight finds).
 */
export async function seedNodeSecurityGroup(moto: MotoServer, cluster: Pick<SeededCluster, 'clusterName' | 'vpcId'>, tagged: boolean, region = 'us-east-1'): Promise<string> {
  const { ec2 } = seedClients(moto, region);
  const out = await ec2.send(new CreateSecurityGroupCommand({
    GroupName: `${cluster.clusterName}-node`, Description: 'node security group', VpcId: cluster.vpcId,
    TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'Name', Value: `${cluster.clusterName}-node` }, ...(tagged ? [{ Key: `kubernetes.io/cluster/${cluster.clusterName}`, Value: 'owned' }] : [])] }],
  }));
  return out.GroupId!;
}

/** Running nodes of the cluster, tagged as EKS tags managed nodes, with the given security groups. */
export async function seedNodes(moto: MotoServer, cluster: Pick<SeededCluster, 'clusterName' | 'subnetIds'>, count: number, groupIds: string[], region = 'us-east-1'): Promise<string[]> {
  const { ec2 } = seedClients(moto, region);
  const out = await ec2.send(new RunInstancesCommand({
    ImageId: 'ami-12c6146b', InstanceType: 'm6i.large', MinCount: count, MaxCount: count, SubnetId: cluster.subnetIds[0], SecurityGroupIds: groupIds,
    TagSpecifications: [{ ResourceType: 'instance', Tags: [
      { Key: `kubernetes.io/cluster/${cluster.clusterName}`, Value: 'owned' }, { Key: 'aws:eks:cluster-name', Value: cluster.clusterName },
    ] }],
  }));
  return (out.Instances ?? []).map((i) => i.InstanceId!);
}
