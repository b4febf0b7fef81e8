import type { AccessEntriesFacet, AccessEntryState, Check, CheckOutcome, ClusterSnapshot, Finding, GuardrailsConfig } from '../../types/index.ts';
import { EXTRA_ACCESS_ENTRIES } from '../../types/index.ts';
import { allowlisted } from '../../config/cluster-admin-allowlist.ts';

import { CLUSTER_ACCESS_POSTURE } from './names.ts';

const POLICY_PREFIX = 'arn:aws:eks::aws:cluster-access-policy/';
export const CLUSTER_ADMIN_POLICY = `${POLICY_PREFIX}AmazonEKSClusterAdminPolicy`;
export const ADMIN_POLICY = `${POLICY_PREFIX}AmazonEKSAdminPolicy`;

/**
 * EKS makes the creator's entry while the cluster is CREATING; people can add entries only once it is ACTIVE,
 * which takes minutes. An admin association this close to CreateCluster is the bootstrap one.
 * https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html
 */
export const CREATOR_WINDOW_MS = 120_000;

/** AmazonEKSClusterAdminPolicy at any scope, AmazonEKSAdminPolicy cluster-wide (https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html). */
export function adminPolicies(entry: AccessEntryState): string[] {
  return entry.policies
    .filter((p) => p.policyArn === CLUSTER_ADMIN_POLICY || (p.policyArn === ADMIN_POLICY && p.scopeType === 'cluster'))
    .map((p) => p.policyArn.slice(POLICY_PREFIX.length));
}

/** The access entry EKS created for the cluster creator: cluster-admin, associated with the cluster's creation. */
export function creatorEntry(snapshot: ClusterSnapshot, entries: readonly AccessEntryState[]): AccessEntryState | undefined {
  const created = snapshot.cluster.createdAt ? Date.parse(snapshot.cluster.createdAt) : NaN;
  if (Number.isNaN(created)) return undefined;
  const near = entries.filter((e) => e.policies.some((p) => p.policyArn === CLUSTER_ADMIN_POLICY && p.associatedAt
    && Math.abs(Date.parse(p.associatedAt) - created) <= CREATOR_WINDOW_MS));
  return near.length === 1 ? near[0] : undefined;
}

const MIGRATION = 'Move to access entries: `aws eks update-cluster-config --name <cluster> --access-config authenticationMode=API_AND_CONFIG_MAP` '
  + '(one-way; aws-auth keeps working), create an access entry for each aws-auth mapping (`aws eks create-access-entry`, '
  + '`aws eks associate-access-policy`), check access, then switch to `authenticationMode=API`. '
  + 'https://docs.aws.amazon.com/eks/latest/userguide/migrating-access-entries.html';

/**
 * Who can administer the cluster (https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html), and
 * whether one bad edit of the aws-auth ConfigMap can lock everyone out. Report only: access is a person's decision.
 */
export const clusterAccessPosture: Check = {
  name: CLUSTER_ACCESS_POSTURE,
  description: 'Authentication mode uses EKS access entries; the creator\'s bootstrap admin is gone; cluster-admin access entries are allow-listed.',
  defaultMode: 'report',
  facets: ['accessEntries'],
  triggers: ['sweep'],
  run(snapshot: ClusterSnapshot, config: GuardrailsConfig): CheckOutcome {
    const { cluster } = snapshot;
    const mode = cluster.authenticationMode;
    if (!mode) return { findings: [], actions: [] };
    const resource = { type: 'cluster' as const, id: cluster.name, arn: cluster.arn };
    const findings: Finding[] = [];
    const bootstrap = cluster.bootstrapClusterCreatorAdminPermissions === true;

    if (mode === 'CONFIG_MAP') {
      findings.push({
        id: `${CLUSTER_ACCESS_POSTURE}:${cluster.name}:config-map`, check: CLUSTER_ACCESS_POSTURE, severity: 'medium', resource,
        title: `Cluster ${cluster.name} authenticates only through the aws-auth ConfigMap: one bad edit can lock everyone out`,
        evidence: { authenticationMode: mode, bootstrapClusterCreatorAdminPermissions: cluster.bootstrapClusterCreatorAdminPermissions },
        fixHint: MIGRATION,
      });
      if (bootstrap) {
        findings.push({
          id: `${CLUSTER_ACCESS_POSTURE}:${cluster.name}:creator-admin`, check: CLUSTER_ACCESS_POSTURE, severity: 'medium', resource,
          title: `The IAM principal that created cluster ${cluster.name} is a hidden cluster admin (bootstrapClusterCreatorAdminPermissions is true; CONFIG_MAP shows it nowhere)`,
          evidence: { bootstrapClusterCreatorAdminPermissions: true, creatorPrincipalArn: null, authenticationMode: mode },
          fixHint: 'CloudTrail\'s CreateCluster event names the creator. After moving to API_AND_CONFIG_MAP, EKS shows the creator as an access entry; delete it (`aws eks delete-access-entry`) when that principal should not stay admin. Create new clusters with bootstrapClusterCreatorAdminPermissions=false.',
        });
      }
      return { findings, actions: [] };
    }

    const facet = snapshot.extra[EXTRA_ACCESS_ENTRIES] as AccessEntriesFacet | undefined;
    if (!facet || facet.ok === 'skipped') return { findings, actions: [] };
    if (facet.ok === false) {
      findings.push({
        id: `${CLUSTER_ACCESS_POSTURE}:${cluster.name}:not-checked`, check: CLUSTER_ACCESS_POSTURE, severity: 'low', resource,
        title: `Could not list the access entries of cluster ${cluster.name} (${facet.errorCode})`,
        evidence: { authenticationMode: mode, errorCode: facet.errorCode },
        fixHint: 'Grant the sweep role eks:ListAccessEntries and eks:ListAssociatedAccessPolicies (template.yaml, infra/member-role.yaml).',
      });
      return { findings, actions: [] };
    }

    const allowlist = config.compliance?.clusterAdminAllowlist ?? [];
    const creator = bootstrap ? creatorEntry(snapshot, facet.entries) : undefined;
    if (creator && !allowlisted(creator.principalArn, allowlist)) {
      findings.push({
        id: `${CLUSTER_ACCESS_POSTURE}:${cluster.name}:creator-admin`, check: CLUSTER_ACCESS_POSTURE, severity: 'medium', resource,
        title: `${creator.principalArn}, which created cluster ${cluster.name}, is still its cluster admin (bootstrapClusterCreatorAdminPermissions)`,
        evidence: { bootstrapClusterCreatorAdminPermissions: true, creatorPrincipalArn: creator.principalArn, policies: adminPolicies(creator), authenticationMode: mode },
        fixHint: `If ${creator.principalArn} should not stay admin, grant the people who should an access entry, then \`aws eks delete-access-entry --cluster-name ${cluster.name} --principal-arn ${creator.principalArn}\`; or add it to GUARDRAILS_CLUSTER_ADMIN_ALLOWLIST (ClusterAdminAllowlist). Create new clusters with bootstrapClusterCreatorAdminPermissions=false.`,
      });
    }
    for (const entry of facet.entries) {
      if (entry === creator) continue;
      const policies = adminPolicies(entry);
      if (policies.length === 0 || allowlisted(entry.principalArn, allowlist)) continue;
      findings.push({
        id: `${CLUSTER_ACCESS_POSTURE}:${cluster.name}:admin:${entry.principalArn}`, check: CLUSTER_ACCESS_POSTURE, severity: 'medium', resource,
        title: `${entry.principalArn} is cluster admin of ${cluster.name} (${policies.join(', ')}) and not on the allow-list`,
        evidence: { principalArn: entry.principalArn, policies: entry.policies.filter((p) => policies.includes(p.policyArn.slice(POLICY_PREFIX.length))), authenticationMode: mode },
        fixHint: `Narrow it (AmazonEKSEditPolicy / AmazonEKSViewPolicy, or a namespace scope: \`aws eks associate-access-policy --access-scope type=namespace,namespaces=…\`), or, when it is meant to be admin, add ${entry.principalArn} to GUARDRAILS_CLUSTER_ADMIN_ALLOWLIST (ClusterAdminAllowlist).`,
      });
    }
    return { findings, actions: [] };
  },
};
