import type { Check, CheckOutcome, ClusterSnapshot, Finding, IamRolePoliciesFacet, RolePolicies, Severity } from '../../types/index.ts';
import { EXTRA_IAM_ROLE_POLICIES } from '../../types/index.ts';
import { roleNameOf } from '../../arn.ts';

import { IAM_ROLE_POLICIES } from './names.ts';

interface Requirement {
  /** Short name used in finding ids. */
  key: string;
  /** Any of these AWS managed policies satisfies the requirement. */
  anyOf: readonly string[];
  severity: Severity;
  why: string;
}

/**
 * Nodes need the worker policy, the CNI policy and registry read
 * (https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html); the cluster role needs
 * AmazonEKSClusterPolicy (https://docs.aws.amazon.com/eks/latest/userguide/cluster-iam-role.html).
 * AmazonEC2ContainerRegistryPullOnly (2024) is the narrower successor of ReadOnly and satisfies the same need.
 * The CNI policy is often moved to the aws-node service account (IRSA / Pod Identity), as AWS recommends, so
 * its absence is low severity.
 */
export const NODE_ROLE_REQUIREMENTS: readonly Requirement[] = [
  { key: 'worker', anyOf: ['AmazonEKSWorkerNodePolicy'], severity: 'high', why: 'kubelet describes EC2 resources to register the node; without it nodes do not join' },
  { key: 'registry', anyOf: ['AmazonEC2ContainerRegistryReadOnly', 'AmazonEC2ContainerRegistryPullOnly'], severity: 'medium', why: 'kubelet pulls images from ECR (the EKS add-ons included)' },
  { key: 'cni', anyOf: ['AmazonEKS_CNI_Policy'], severity: 'low', why: 'the VPC CNI assigns pod IPs; fine to leave out when aws-node has its own role (IRSA or Pod Identity)' },
];
export const CLUSTER_ROLE_REQUIREMENTS: readonly Requirement[] = [
  { key: 'cluster', anyOf: ['AmazonEKSClusterPolicy'], severity: 'high', why: 'the control plane manages ENIs, load balancers and security groups with it' },
];

/** `arn:<partition>:iam::aws:policy/<Name>` (any partition, any path) → `Name`, for AWS managed policies only. */
function awsManagedName(arn: string): string | undefined {
  const m = /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m?.[1];
}

export const iamRolePolicies: Check = {
  name: IAM_ROLE_POLICIES,
  description: 'Node roles hold the worker, CNI and ECR policies; the cluster role holds AmazonEKSClusterPolicy.',
  defaultMode: 'report',
  facets: ['nodegroups', 'iamRoles'],
  triggers: ['sweep'],
  run(snapshot: ClusterSnapshot): CheckOutcome {
    const facet = snapshot.extra[EXTRA_IAM_ROLE_POLICIES] as IamRolePoliciesFacet | undefined;
    if (!facet) return { findings: [], actions: [] };
    const { cluster } = snapshot;
    const findings: Finding[] = [];

    // Which node groups use each node role (many share one): named in the evidence.
    const nodeRoles = new Map<string, { arn: string; nodegroups: string[] }>();
    for (const ng of snapshot.nodegroups ?? []) {
      if (!ng.nodeRole) continue;
      const entry = nodeRoles.get(roleNameOf(ng.nodeRole)) ?? { arn: ng.nodeRole, nodegroups: [] };
      entry.nodegroups.push(ng.name);
      nodeRoles.set(roleNameOf(ng.nodeRole), entry);
    }
    const roles: { name: string; arn: string; kind: 'cluster' | 'node'; requirements: readonly Requirement[]; nodegroups?: string[] }[] = [];
    if (cluster.roleArn) roles.push({ name: roleNameOf(cluster.roleArn), arn: cluster.roleArn, kind: 'cluster', requirements: CLUSTER_ROLE_REQUIREMENTS });
    for (const [name, { arn, nodegroups }] of nodeRoles) roles.push({ name, arn, kind: 'node', requirements: NODE_ROLE_REQUIREMENTS, nodegroups });

    for (const role of roles) {
      const policies: RolePolicies | undefined = facet[role.name];
      if (!policies) continue;
      const resource = { type: 'iam-role' as const, id: role.name, arn: role.arn };
      const usedBy = role.kind === 'cluster' ? { cluster: cluster.name } : { cluster: cluster.name, nodegroups: role.nodegroups };
      if (!policies.ok) {
        findings.push(policies.missing ? {
          id: `${IAM_ROLE_POLICIES}:${role.name}:missing-role`, check: IAM_ROLE_POLICIES, severity: 'high', resource,
          title: `The ${role.kind} role ${role.name} of cluster ${cluster.name} does not exist`,
          evidence: { role: role.arn, kind: role.kind, usedBy, errorCode: policies.errorCode },
          fixHint: role.kind === 'cluster'
            ? 'Recreate the role with AmazonEKSClusterPolicy and the EKS trust policy; the control plane cannot manage its resources without it.'
            : 'Recreate the node role (trust ec2.amazonaws.com) with the worker, CNI and ECR policies; new nodes cannot join without it.',
        } : {
          id: `${IAM_ROLE_POLICIES}:${role.name}:not-checked`, check: IAM_ROLE_POLICIES, severity: 'low', resource,
          title: `Could not check the policies of ${role.kind} role ${role.name} (${policies.errorCode})`,
          evidence: { role: role.arn, kind: role.kind, usedBy, errorCode: policies.errorCode },
          fixHint: 'Allow iam:ListAttachedRolePolicies on this role to the sweep role (the template grants it in the deployment account; check the member-account role).',
        });
        continue;
      }
      const attached = new Set(policies.policyArns.map(awsManagedName).filter((n): n is string => Boolean(n)));
      for (const req of role.requirements) {
        if (req.anyOf.some((p) => attached.has(p))) continue;
        findings.push({
          id: `${IAM_ROLE_POLICIES}:${role.name}:${req.key}`, check: IAM_ROLE_POLICIES, severity: req.severity, resource,
          title: `The ${role.kind} role ${role.name} of cluster ${cluster.name} lacks ${req.anyOf.join(' or ')}`,
          evidence: { role: role.arn, kind: role.kind, usedBy, required: req.anyOf, attached: policies.policyArns },
          fixHint: `aws iam attach-role-policy --role-name ${role.name} --policy-arn arn:aws:iam::aws:policy/${req.anyOf[req.anyOf.length - 1]} — ${req.why}. If an equivalent customer-managed policy grants it, exempt the cluster from ${IAM_ROLE_POLICIES}.`,
        });
      }
    }
    return { findings, actions: [] };
  },
};
