import { CreateNodegroupCommand, type AMITypes, type Taint } from '@aws-sdk/client-eks';
import type { MotoServer } from './moto.ts';
import { asgSeedClients, createAsg, eksNodegroupAsgTags } from './autoscaler-scenario.ts';
import type { SeededCluster } from './scenario.ts';

const T = 'k8s.io/cluster-autoscaler/node-template/';
const MARKER = 'eks-guardrails/node-template-keys';

interface ZeroGroup {
  name: string;
  amiType?: AMITypes;
  instanceTypes?: string[];
  labels?: Record<string, string>;
  taints?: Taint[];
  /** No disk size in DescribeNodegroup (it comes from a launch template, as real EKS reports it). */
  launchTemplateDisk?: boolean;
  /** ASG tags a person wrote, beyond EKS's. */
  asgTags?: Record<string, string>;
}

/**
 * The scale-from-zero groups (minimum 0) of the readiness check, each with the one thing cluster-autoscaler gets
 * wrong about it — or, `healthy`, its twin that advertises it. The ASGs already carry what the node-template tag
 * writer would add for cluster-autoscaler 1.36 (ephemeral-storage from the disk size, its record), so only the
 * readiness findings (and, for the eksctl-style taint tag, the writer's "left alone" conflict) show.
 */
export function zeroGroups(healthy: boolean): ZeroGroup[] {
  return [
    { name: 'windows', amiType: 'WINDOWS_CORE_2022_x86_64', asgTags: healthy ? { [`${T}label/kubernetes.io/os`]: 'windows' } : {} },
    { name: 'inferentia', instanceTypes: ['inf2.xlarge'], asgTags: healthy ? { [`${T}resources/aws.amazon.com/neuron`]: '1' } : {} },
    { name: 'lt-disk', launchTemplateDisk: true, asgTags: healthy ? { [`${T}resources/ephemeral-storage`]: '100Gi' } : {} },
    // eksctl writes taint tags without ":<Effect>" (eksctl#7543); cluster-autoscaler drops them.
    { name: 'dedicated', taints: [{ key: 'dedicated', effect: 'NO_SCHEDULE' }], asgTags: { [`${T}taint/dedicated`]: healthy ? ':NoSchedule' : 'NoSchedule' } },
    { name: 'batch', labels: { role: 'batch' }, asgTags: healthy ? {} : { [`${T}label/role`]: 'web' } },
  ];
}

/** Seeds zeroGroups(healthy) as managed node groups in the cluster's first subnet (us-east-1); returns each group's ASG name. */
export async function seedZeroGroups(moto: MotoServer, cluster: SeededCluster, healthy: boolean, nodeRoleArn: string): Promise<Record<string, string>> {
  const { eks } = asgSeedClients(moto);
  const subnet = cluster.subnetIds[0]!;
  const asgs: Record<string, string> = {};
  for (const g of zeroGroups(healthy)) {
    await eks.send(new CreateNodegroupCommand({
      clusterName: cluster.clusterName, nodegroupName: g.name, nodeRole: nodeRoleArn, subnets: [subnet],
      scalingConfig: { minSize: 0, maxSize: 10, desiredSize: 0 }, amiType: g.amiType, instanceTypes: g.instanceTypes ?? ['m6i.large'],
      labels: g.labels, taints: g.taints, diskSize: g.launchTemplateDisk ? undefined : 80,
    }));
    const asgName = `eks-${g.name}-${crypto.randomUUID()}`;
    await moto.patchNodegroup(cluster.clusterName, g.name, { autoScalingGroups: [asgName], ...(g.launchTemplateDisk ? { diskSize: null } : {}) });
    const written: Record<string, string> = g.launchTemplateDisk ? {} : { [`${T}resources/ephemeral-storage`]: '80Gi' };
    await createAsg(moto, asgName, { subnetIds: [subnet] }, 0, 10, {
      ...eksNodegroupAsgTags(cluster.clusterName, g.name), ...written, [MARKER]: g.launchTemplateDisk ? '' : 'r/ephemeral-storage', ...g.asgTags,
    });
    asgs[g.name] = asgName;
  }
  return asgs;
}
