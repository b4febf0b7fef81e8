import type { AutoScalingGroupState, NodegroupState } from '../../shared/types/index.ts';

/** The prefix of cluster-autoscaler's node-template tags. */
export const NODE_TEMPLATE = 'k8s.io/cluster-autoscaler/node-template/';

/** An ASG with these tags, at `minSize` (desired = min), in one zone. */
export function asgState(name: string, tags: Record<string, string>, { minSize = 0, propagateAtLaunch = false } = {}): AutoScalingGroupState {
  return {
    name, minSize, maxSize: 5, desiredCapacity: minSize, availabilityZones: ['us-east-1a'],
    tags: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch })),
  };
}

/** Managed node group `work` of cluster prod (m6i.large, 80 GiB, AL2023, on-demand), whose ASG is eks-work-1. */
export function workNodegroup(fields: Partial<NodegroupState> = {}): NodegroupState {
  return {
    name: 'work', clusterName: 'prod', status: 'ACTIVE', labels: {}, taints: [], instanceTypes: ['m6i.large'], subnets: [],
    autoScalingGroupNames: ['eks-work-1'], diskSize: 80, amiType: 'AL2023_x86_64_STANDARD', capacityType: 'ON_DEMAND', tags: {}, ...fields,
  };
}

/** The tags EKS and a discovery-tagged setup leave on node group work's ASG. */
export const WORK_ASG_TAGS = { 'eks:cluster-name': 'prod', 'eks:nodegroup-name': 'work', 'kubernetes.io/cluster/prod': 'owned', 'k8s.io/cluster-autoscaler/enabled': 'true', 'k8s.io/cluster-autoscaler/prod': 'owned' };

/** The opt-out scenarios' node group `gpu` (label role=gpu), whose ASG EKS created. */
export function gpuNodegroup(asgName: string, extra: Partial<NodegroupState> = {}): NodegroupState {
  return { name: 'gpu', clusterName: 'prod', status: 'ACTIVE', labels: { role: 'gpu' }, taints: [], instanceTypes: [], subnets: [], autoScalingGroupNames: [asgName], ...extra };
}

/** The tags EKS puts on node group gpu's ASG. */
export const GPU_ASG_TAGS = { 'eks:cluster-name': 'prod', 'eks:nodegroup-name': 'gpu', 'kubernetes.io/cluster/prod': 'owned' };
