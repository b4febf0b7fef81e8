import { AutoScalingClient, CreateAutoScalingGroupCommand, CreateLaunchConfigurationCommand } from '@aws-sdk/client-auto-scaling';
import { CreateNodegroupCommand } from '@aws-sdk/client-eks';
import type { MotoServer } from '../../local/moto.ts';
import { eksNodegroupAsgTags } from '../../local/autoscaler-scenario.ts';
import { seedClients } from '../../local/scenario.ts';

export interface BenchNodegroup {
  clusterName: string;
  name: string;
  /** The ASG EKS would create for it (moto's EKS creates none). */
  asgName: string;
  nodeRole: string;
  subnetIds: string[];
  labels?: Record<string, string>;
}

/**
 * The sweep benches' managed node groups: each the node group (min 0, max 10, desired 1, m5.large) and its
 * ASG with the tags EKS writes (cluster, node group, kubernetes.io/cluster, and the cluster-autoscaler
 * discovery tags), all on one launch configuration created here; moto's node group then points at its ASG.
 * Plain, uncounted clients.
 */
export async function nodegroupSeeder(moto: MotoServer): Promise<(ng: BenchNodegroup) => Promise<void>> {
  const { eks, config } = seedClients(moto);
  const autoscaling = new AutoScalingClient(config);
  await autoscaling.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'bench', ImageId: 'ami-12c6146b', InstanceType: 'm5.large' }));
  return async ({ clusterName: name, name: ng, asgName: asg, nodeRole, subnetIds, labels }) => {
    await eks.send(new CreateNodegroupCommand({
      clusterName: name, nodegroupName: ng, nodeRole, subnets: subnetIds,
      scalingConfig: { minSize: 0, maxSize: 10, desiredSize: 1 }, labels, instanceTypes: ['m5.large'],
    }));
    await autoscaling.send(new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: asg, LaunchConfigurationName: 'bench', MinSize: 0, MaxSize: 10, DesiredCapacity: 0, AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      Tags: Object.entries(eksNodegroupAsgTags(name, ng)).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true })),
    }));
    await moto.patchNodegroup(name, ng, { autoScalingGroups: [asg] });
  };
}
