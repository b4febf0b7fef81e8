/** Normalised AWS state, as the checks see it. Plain data: no SDK types leak past the adapters. */

export type Direction = 'ingress' | 'egress';

/** One security-group rule as the quota counts it: one CIDR, one referenced group or one prefix list. */
export interface SgRule {
  /** Present when read with DescribeSecurityGroupRules; absent when derived from DescribeSecurityGroups. */
  ruleId?: string;
  direction: Direction;
  /** `-1` for all traffic, otherwise `tcp`, `udp`, `icmp`, `icmpv6` or a protocol number. */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  referencedGroupId?: string;
  prefixListId?: string;
  description?: string;
  /** Tags on the rule itself (DescribeSecurityGroupRules only); the NLB trimmer keeps its grace mark here. */
  tags?: Record<string, string>;
}

export interface SecurityGroupState {
  groupId: string;
  groupName: string;
  vpcId?: string;
  ownerId?: string;
  tags: Record<string, string>;
  rules: SgRule[];
}

/** One ELBv2 target group, as the NLB trimmer needs it (DescribeTargetGroups). */
export interface TargetGroupState {
  name: string;
  /** `TCP`, `UDP`, `TCP_UDP`, `TLS`, `HTTP`, `HTTPS`, `GENEVE`… (absent for Lambda targets). */
  protocol?: string;
  /** The port targets receive traffic on: the NodePort for the cloud provider's instance targets. */
  port?: number;
  /** A port number, or `traffic-port` (the same as `port`). */
  healthCheckPort?: string;
  targetType?: string;
  /** The load balancers that send it traffic; empty when none does. */
  loadBalancerArns: string[];
}

export interface ClusterState {
  name: string;
  arn?: string;
  status: string;
  version?: string;
  vpcId?: string;
  clusterSecurityGroupId?: string;
  securityGroupIds: string[];
  subnetIds: string[];
  roleArn?: string;
  tags: Record<string, string>;
  endpointPublicAccess?: boolean;
  publicAccessCidrs?: string[];
  loggingEnabledTypes?: string[];
  encryptionConfigured?: boolean;
  /** `accessConfig.authenticationMode`: CONFIG_MAP, API_AND_CONFIG_MAP or API (absent when EKS names none). */
  authenticationMode?: string;
  /** `accessConfig.bootstrapClusterCreatorAdminPermissions`, fixed at creation. */
  bootstrapClusterCreatorAdminPermissions?: boolean;
  /** ISO timestamp of CreateCluster. */
  createdAt?: string;
}

export interface VpcState {
  vpcId: string;
  cidrBlocks: string[];
  ipv6CidrBlocks: string[];
}

export interface AsgTag {
  key: string;
  value: string;
  propagateAtLaunch: boolean;
}

/** A launch template as an ASG or node group names it (`version`: a number, `$Default` or `$Latest`). */
export interface LaunchTemplateRef {
  id?: string;
  name?: string;
  version?: string;
}

export interface AutoScalingGroupState {
  name: string;
  arn?: string;
  /** What the group launches from: a launch template, the templates of a mixed-instances policy, or a launch configuration. */
  launchTemplate?: LaunchTemplateRef;
  mixedInstancesLaunchTemplates?: LaunchTemplateRef[];
  launchConfigurationName?: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  availabilityZones: string[];
  tags: AsgTag[];
}

export interface NodegroupState {
  name: string;
  clusterName: string;
  status?: string;
  labels: Record<string, string>;
  taints: { key: string; value?: string; effect: string }[];
  diskSize?: number;
  instanceTypes: string[];
  subnets: string[];
  nodeRole?: string;
  capacityType?: string;
  autoScalingGroupNames: string[];
  minSize?: number;
  /** DescribeNodegroup `health.issues[]` (e.g. `AutoScalingGroupNotFound` when its ASG was deleted). */
  healthIssues?: { code: string; message?: string; resourceIds?: string[] }[];
  /** `AL2_x86_64`, `BOTTLEROCKET_…`, `WINDOWS_CORE_2022_x86_64`…, `CUSTOM` (DescribeNodegroup). */
  amiType?: string;
  /** The node group's own tags (cluster-autoscaler 1.28+ reads its `…/node-template/resources/*` ones). */
  tags?: Record<string, string>;
  /** The node group's Kubernetes version (DescribeNodegroup `version`; cluster-autoscaler labels it `k8sVersion`). */
  version?: string;
  /** The person's own launch template, when the node group was created with one (absent: EKS's own). */
  launchTemplate?: LaunchTemplateRef;
}
