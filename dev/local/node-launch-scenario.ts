import { CreateAutoScalingGroupCommand, CreateLaunchConfigurationCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, type LaunchTemplateInstanceMetadataOptionsRequest } from '@aws-sdk/client-ec2';
import { asgSeedClients } from './autoscaler-scenario.ts';
import type { MotoServer } from './moto.ts';
import { seedClients, type SeededCluster } from './scenario.ts';

/** What node-imds-hardening passes: IMDSv2 only, the token stops at the node. */
export const HARDENED_IMDS: LaunchTemplateInstanceMetadataOptionsRequest = { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' };
/** What it reports: IMDSv1 allowed and a token reachable from pods. */
export const OPEN_IMDS: LaunchTemplateInstanceMetadataOptionsRequest = { HttpTokens: 'optional', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled' };

/** A launch template for nodes with these metadata options; returns its id. */
export async function seedLaunchTemplate(moto: MotoServer, name: string, imds: LaunchTemplateInstanceMetadataOptionsRequest | undefined, region = 'us-east-1'): Promise<string> {
  const { ec2 } = seedClients(moto, region);
  const out = await ec2.send(new CreateLaunchTemplateCommand({
    LaunchTemplateName: name,
    LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 'm6i.large', ...(imds ? { MetadataOptions: imds } : {}) },
  }));
  return out.LaunchTemplate!.LaunchTemplateId!;
}

/**
 * A self-managed node group of the old kind: an ASG on a launch configuration that sets no metadata options
 * (so its instances allow IMDSv1), tagged for the cluster as the cloud provider expects.
 */
export async function seedLaunchConfigurationNodes(moto: MotoServer, cluster: Pick<SeededCluster, 'clusterName' | 'subnetIds'>, name: string, region = 'us-east-1'): Promise<string> {
  const { autoscaling } = asgSeedClients(moto, region);
  await autoscaling.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: `${name}-lc`, ImageId: 'ami-12c6146b', InstanceType: 'm5.large' }));
  await autoscaling.send(new CreateAutoScalingGroupCommand({
    AutoScalingGroupName: name, LaunchConfigurationName: `${name}-lc`, MinSize: 0, MaxSize: 3, DesiredCapacity: 0,
    VPCZoneIdentifier: cluster.subnetIds.join(','),
    Tags: [{ Key: `kubernetes.io/cluster/${cluster.clusterName}`, Value: 'owned', PropagateAtLaunch: true, ResourceId: name, ResourceType: 'auto-scaling-group' }],
  }));
  return name;
}
