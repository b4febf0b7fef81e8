import { CreateVolumeCommand } from '@aws-sdk/client-ec2';
import { AssociateAccessPolicyCommand, CreateAccessEntryCommand, CreateNodegroupCommand, type Taint } from '@aws-sdk/client-eks';
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { MOTO_ACCOUNT, type MotoServer } from './moto.ts';
import { seedClients, seedCluster, type ClusterSeedOptions, type SeededCluster } from './scenario.ts';
import { HARDENED_IMDS, OPEN_IMDS, seedLaunchTemplate } from './node-launch-scenario.ts';

export const NODE_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryPullOnly'];
export const CLUSTER_POLICIES = ['AmazonEKSClusterPolicy'];
const ALL_POLICIES = [...new Set([...NODE_POLICIES, ...CLUSTER_POLICIES, 'AmazonEC2ContainerRegistryReadOnly'])];

/** A role with the named AWS managed policies attached (moto needs them loaded first). */
export async function seedRole(moto: MotoServer, roleName: string, policies: readonly string[], service = 'ec2.amazonaws.com'): Promise<string> {
  const iam = new IAMClient(seedClients(moto).config);
  await moto.loadAwsManagedPolicies(ALL_POLICIES);
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
  const role = await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trust }));
  for (const p of policies) await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: `arn:aws:iam::aws:policy/${p}` }));
  return role.Role!.Arn!;
}

export interface NodegroupSeed {
  subnets: string[];
  nodeRole: string;
  instanceTypes?: string[];
  labels?: Record<string, string>;
  taints?: Taint[];
  /** The node group's own launch template (id and version). */
  launchTemplate?: { id: string; version: string };
}

export async function seedNodegroup(moto: MotoServer, clusterName: string, name: string, ng: NodegroupSeed): Promise<void> {
  const { eks } = seedClients(moto);
  await eks.send(new CreateNodegroupCommand({
    clusterName, nodegroupName: name, subnets: ng.subnets, nodeRole: ng.nodeRole,
    instanceTypes: ng.instanceTypes ?? ['m6i.large'], labels: ng.labels, taints: ng.taints,
    scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 1 },
    launchTemplate: ng.launchTemplate,
  }));
}

/** An EBS volume as the CSI driver (run with --k8s-tag-cluster-id) creates it for a PVC. */
export async function seedPvcVolume(moto: MotoServer, clusterName: string, availabilityZone: string, pvc = 'data-0'): Promise<string> {
  const { ec2 } = seedClients(moto);
  const out = await ec2.send(new CreateVolumeCommand({
    AvailabilityZone: availabilityZone, Size: 10, VolumeType: 'gp3',
    TagSpecifications: [{
      ResourceType: 'volume',
      Tags: Object.entries({
        'ebs.csi.aws.com/cluster': 'true', [`kubernetes.io/cluster/${clusterName}`]: 'owned', KubernetesCluster: clusterName,
        'kubernetes.io/created-for/pvc/name': pvc, 'kubernetes.io/created-for/pvc/namespace': 'default',
      }).map(([Key, Value]) => ({ Key, Value })),
    }],
  }));
  return out.VolumeId!;
}

const ACCESS_POLICY = (name: string) => `arn:aws:eks::aws:cluster-access-policy/${name}`;

/** An access entry with its access policies, made with the real SDK against the emulated EKS API. */
export async function seedAccessEntry(moto: MotoServer, clusterName: string, principalArn: string, policies: { policy: string; namespaces?: string[] }[], region = 'us-east-1'): Promise<void> {
  const { eks } = seedClients(moto, region);
  await eks.send(new CreateAccessEntryCommand({ clusterName, principalArn }));
  for (const p of policies) {
    await eks.send(new AssociateAccessPolicyCommand({
      clusterName, principalArn, policyArn: ACCESS_POLICY(p.policy),
      accessScope: p.namespaces ? { type: 'namespace', namespaces: p.namespaces } : { type: 'cluster' },
    }));
  }
}

/** The principal moto's EKS names as every cluster's creator (the caller of CreateCluster). */
export const MOTO_CREATOR = `arn:aws:iam::${MOTO_ACCOUNT}:user/moto`;
export const EXTRA_ADMIN_ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/ops-admin`;
export const NAMESPACE_ADMIN_ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/team-a-admin`;
export const CLUSTER_WIDE_ADMIN_ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/dev-lead`;
export const VIEWER_ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/readonly`;

/** Compliance problems a cluster can be seeded with (one per check); none = a compliant cluster. */
export type ComplianceProblem = 'logging' | 'public-endpoint' | 'old-version' | 'no-secrets-encryption' | 'node-role-policies' | 'multi-az-ebs'
  | 'config-map-auth' | 'creator-admin' | 'extra-cluster-admins' | 'node-imds';

/**
 * A cluster that passes every compliance check except the problems named: logging api/audit/authenticator,
 * private endpoint, KMS secrets encryption, roles with their policies, per-AZ alike node groups with an
 * EBS volume. The version is the newest in the calendar unless `old-version` (1.24, past all support).
 */
export async function seedComplianceCluster(moto: MotoServer, name: string, problems: readonly ComplianceProblem[] = [], opts: ClusterSeedOptions = {}): Promise<SeededCluster & { nodeRoleArn: string }> {
  const has = (p: ComplianceProblem) => problems.includes(p);
  await seedRole(moto, `${name}-cluster-role`, CLUSTER_POLICIES, 'eks.amazonaws.com');
  const cluster = await seedCluster(moto, name, {
    ...opts,
    create: {
      version: has('old-version') ? '1.24' : '1.35',
      logging: { clusterLogging: [{ types: has('logging') ? ['api'] : ['api', 'audit', 'authenticator'], enabled: true }] },
      endpointPublicAccess: has('public-endpoint'),
      endpointPrivateAccess: true,
      publicAccessCidrs: has('public-endpoint') ? ['0.0.0.0/0'] : undefined,
      encryptionConfig: has('no-secrets-encryption') ? undefined
        : [{ resources: ['secrets'], provider: { keyArn: `arn:aws:kms:us-east-1:${MOTO_ACCOUNT}:key/00000000-0000-0000-0000-000000000000` } }],
      accessConfig: {
        authenticationMode: has('config-map-auth') ? 'CONFIG_MAP' : 'API',
        bootstrapClusterCreatorAdminPermissions: has('creator-admin'),
      },
      ...opts.create,
    },
  });
  // A real cluster is minutes old before anyone can add an access entry: backdate it (and its creator's entry).
  const region = opts.region ?? 'us-east-1';
  await moto.patchCluster(name, { ageSeconds: 3600 }, region);
  if (!has('config-map-auth')) {
    // Entries that are not cluster admin: a viewer, and an admin confined to one namespace.
    await seedAccessEntry(moto, name, VIEWER_ROLE, [{ policy: 'AmazonEKSViewPolicy' }], region);
    await seedAccessEntry(moto, name, NAMESPACE_ADMIN_ROLE, [{ policy: 'AmazonEKSAdminPolicy', namespaces: ['team-a'] }], region);
  }
  if (has('extra-cluster-admins')) {
    await seedAccessEntry(moto, name, EXTRA_ADMIN_ROLE, [{ policy: 'AmazonEKSClusterAdminPolicy' }], region);
    await seedAccessEntry(moto, name, CLUSTER_WIDE_ADMIN_ROLE, [{ policy: 'AmazonEKSAdminPolicy' }], region);
  }
  const nodeRoleArn = await seedRole(moto, `${name}-node-role`, has('node-role-policies') ? ['AmazonEKSWorkerNodePolicy'] : NODE_POLICIES);
  const [subnetA, subnetB] = cluster.subnetIds as [string, string];
  // Node groups with their own launch template (hardened); `node-imds` gives the 1a group one that allows IMDSv1.
  const hardened = { id: await seedLaunchTemplate(moto, `${name}-nodes`, HARDENED_IMDS, region), version: '1' };
  const open = has('node-imds') ? { id: await seedLaunchTemplate(moto, `${name}-nodes-imdsv1`, OPEN_IMDS, region), version: '1' } : hardened;
  if (has('multi-az-ebs')) {
    await seedNodegroup(moto, name, 'general', { subnets: [subnetA, subnetB], nodeRole: nodeRoleArn, launchTemplate: hardened });
  } else {
    await seedNodegroup(moto, name, 'general-us-east-1a', { subnets: [subnetA], nodeRole: nodeRoleArn, launchTemplate: open });
    await seedNodegroup(moto, name, 'general-us-east-1b', { subnets: [subnetB], nodeRole: nodeRoleArn, launchTemplate: hardened });
  }
  await seedPvcVolume(moto, name, 'us-east-1a');
  return { ...cluster, nodeRoleArn };
}
