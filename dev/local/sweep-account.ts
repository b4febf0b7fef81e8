import { AuthorizeSecurityGroupIngressCommand, RevokeSecurityGroupEgressCommand } from '@aws-sdk/client-ec2';
import type { Severity } from '../../shared/types/index.ts';
import type { MotoServer } from './moto.ts';
import { CLUSTER_WIDE_ADMIN_ROLE, EXTRA_ADMIN_ROLE, seedComplianceCluster, type ComplianceProblem } from './compliance-scenario.ts';
import { seedManagedNodegroup, seedSelfManagedAsg } from './autoscaler-scenario.ts';
import { backdateMarks, seedNearFullGroup } from './nlb-scenario.ts';
import { seedClients, type ClusterSeedOptions } from './scenario.ts';
import { seedZeroGroups } from './zero-scenario.ts';
import { seedNodeSecurityGroup, seedNodes } from './nlb-preflight-scenario.ts';

/** One kind of problem a sweep must name: which cluster has it, the finding id it expects, and whether a fix exists. */
export interface SeededProblem {
  cluster: string;
  check: string;
  /** The finding id, or its prefix when it ends with a rule id moto generates. */
  findingId: string;
  resourceId: string;
  severity: Severity;
  /** Fixed by an enforcing sweep (with the options the caller set). */
  remediable: boolean;
  /** Fixed only on a later enforcing sweep, once the check's grace period has passed (the first one marks). */
  afterGrace?: boolean;
}

export interface ProblemAccount {
  healthy: string[];
  problems: SeededProblem[];
  exempt: { cluster: string; findingId: string };
  /** Clusters seeded by another capability's helper: they may carry findings beyond their problem. */
  noisy: string[];
  /** Moves the grace-period marks back in time, as if the first look was `seconds` ago. */
  passGracePeriod(seconds: number): Promise<void>;
}

/**
 * A local account with one cluster per kind of problem the registered checks know, a healthy cluster and an
 * exempt one — for the sweep's integration test, its demo and docs. Each capability adds its problem here.
 */
export interface ProblemAccountOptions {
  region?: string;
  /** Seed only these problem clusters (by name); default all. The healthy and exempt clusters are always there. */
  only?: readonly string[];
}

export async function seedProblemAccount(moto: MotoServer, options: ProblemAccountOptions = {}): Promise<ProblemAccount> {
  const region = options.region ?? 'us-east-1';
  const { ec2 } = seedClients(moto, region);
  let seq = 0;
  // Every cluster passes every check except the problem it is named after.
  const cluster = (name: string, problems: ComplianceProblem[] = [], opts: ClusterSeedOptions = {}) =>
    seedComplianceCluster(moto, name, problems, { region, vpcCidr: `10.${10 + seq++}.0.0/16`, ...opts });
  const sgProblem = (c: Seeded, name: string, detail: string, severity: Severity, remediable: boolean): SeededProblem =>
    ({ cluster: name, check: 'cluster-sg-baseline', findingId: `cluster-sg-baseline:${c.clusterSecurityGroupId}:${detail}`, resourceId: c.clusterSecurityGroupId, severity, remediable });

  const seeders: Record<string, () => Promise<SeededProblem[]>> = {
    'no-self-rule': async () => [sgProblem(await cluster('no-self-rule', [], { withoutSelfRule: true }), 'no-self-rule', 'self-ingress', 'high', true)],
    'world-open': async () => {
      const c = await cluster('world-open');
      await ec2.send(new AuthorizeSecurityGroupIngressCommand({
        GroupId: c.clusterSecurityGroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh for debugging' }] }],
      }));
      return [sgProblem(c, 'world-open', 'world-open:', 'high', false)];
    },
    'no-egress': async () => {
      const c = await cluster('no-egress');
      await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: c.clusterSecurityGroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
      // Fixed only with GUARDRAILS_ENFORCE_EGRESS=true.
      return [sgProblem(c, 'no-egress', 'egress', 'medium', true)];
    },
    // nlb-rule-headroom: a cluster SG at its 60-rule quota with deleted NLBs' rules; marked on the
    // first enforcing sweep, revoked on one after the grace period (GUARDRAILS_CHECK_MODES=nlb-rule-headroom=enforce).
    'nlb-full': async () => {
      const g = await seedNearFullGroup(moto, 'nlb-full');
      graceGroups.push(g.groupId);
      noisy.push('nlb-full');
      return [{ cluster: 'nlb-full', check: 'nlb-rule-headroom', findingId: `nlb-rule-headroom:${g.groupId}:stale`, resourceId: g.groupId, severity: 'high', remediable: true, afterGrace: true }];
    },
    // Autoscaler tags: a managed node group's ASG without node-template tags, and a self-managed ASG
    // without discovery tags (its scale-from-zero advice is report-only). Single-AZ groups: no multi-AZ advice.
    'asg-template': async () => {
      const c = await cluster('asg-template');
      const { asgName } = await seedManagedNodegroup(moto, { ...c, subnetIds: [c.subnetIds[0]!] }, {
        name: 'gpu-us-east-1a', labels: { workload: 'gpu' }, taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }],
      });
      return [{ cluster: 'asg-template', check: 'autoscaler-node-template-tags', findingId: `autoscaler-node-template-tags:${asgName}`, resourceId: asgName, severity: 'medium', remediable: true }];
    },
    'asg-discovery': async () => {
      const c = await cluster('asg-discovery');
      const asg = await seedSelfManagedAsg(moto, { ...c, subnetIds: [c.subnetIds[0]!] }, 'legacy-nodes');
      return [
        { cluster: 'asg-discovery', check: 'autoscaler-discovery-tags', findingId: `autoscaler-discovery-tags:${asg}`, resourceId: asg, severity: 'medium', remediable: true },
        { cluster: 'asg-discovery', check: 'autoscaler-node-template-tags', findingId: `autoscaler-node-template-tags:${asg}:self-managed-scale-from-zero`, resourceId: asg, severity: 'medium', remediable: false },
      ];
    },
    // scale-from-zero-readiness: groups at minimum 0 that cluster-autoscaler 1.36 misjudges, one problem
    // each (zero-scenario.ts); the person's eksctl-style taint tag is also the tag writer's "left alone" conflict.
    'scale-from-zero': async () => {
      const c = await cluster('scale-from-zero');
      const asgs = await seedZeroGroups(moto, c, false, c.nodeRoleArn);
      const z = (group: string, detail: string, severity: Severity): SeededProblem =>
        ({ cluster: 'scale-from-zero', check: 'scale-from-zero-readiness', findingId: `scale-from-zero-readiness:${asgs[group]}:${detail}`, resourceId: asgs[group]!, severity, remediable: false });
      return [
        z('windows', 'windows', 'medium'), z('inferentia', 'neuron', 'medium'), z('lt-disk', 'ephemeral-storage', 'low'),
        z('dedicated', 'valueless-taint:dedicated', 'medium'), z('batch', 'label-overridden:role', 'low'),
        { cluster: 'scale-from-zero', check: 'autoscaler-node-template-tags', findingId: `autoscaler-node-template-tags:${asgs.dedicated}:conflict:k8s.io/cluster-autoscaler/node-template/taint/dedicated`, resourceId: asgs.dedicated!, severity: 'low', remediable: false },
      ];
    },
    // nlb-preflight: nodes carrying EKS's cluster SG and a node SG that is tagged for the cluster too.
    'nlb-tags': async () => {
      const c = await cluster('nlb-tags');
      const nodeGroup = await seedNodeSecurityGroup(moto, c, true, region);
      await seedNodes(moto, c, 2, [c.clusterSecurityGroupId, nodeGroup], region);
      return [{ cluster: 'nlb-tags', check: 'nlb-preflight', findingId: 'nlb-preflight:nlb-tags:multiple-tagged-groups', resourceId: 'nlb-tags', severity: 'high', remediable: false }];
    },
    ...Object.fromEntries(COMPLIANCE.map((c) => [c.cluster, async () => {
      const seeded = await cluster(c.cluster, [c.problem]);
      return c.findings.map((f) => ({ cluster: c.cluster, check: f.check, findingId: f.findingId(seeded), resourceId: f.resourceId(seeded), severity: f.severity, remediable: f.remediable }));
    }])),
  };

  const healthy = await cluster('healthy');
  const problems: SeededProblem[] = [];
  const graceGroups: string[] = [];
  const noisy: string[] = [];
  for (const [name, seed] of Object.entries(seeders)) if (!options.only || options.only.includes(name)) problems.push(...(await seed()));
  const exempt = await cluster('exempt', [], { withoutSelfRule: true, clusterTags: { 'eks-guardrails/exempt': 'true' } });
  return {
    healthy: [healthy.clusterName], problems, noisy,
    exempt: { cluster: 'exempt', findingId: `cluster-sg-baseline:${exempt.clusterSecurityGroupId}:self-ingress` },
    async passGracePeriod(seconds) {
      for (const id of graceGroups) await backdateMarks(moto, id, seconds);
    },
  };
}

type Seeded = Awaited<ReturnType<typeof seedComplianceCluster>>;

/** The compliance checks' problems (docs/compliance-checks.md): one cluster each. Logging is fixed only when its check is set to enforce. */
const COMPLIANCE: { cluster: string; problem: ComplianceProblem; findings: { check: string; severity: Severity; remediable: boolean; findingId: (c: Seeded) => string; resourceId: (c: Seeded) => string }[] }[] = [
  { cluster: 'logging-off', problem: 'logging', findings: [{ check: 'control-plane-logging', severity: 'high', remediable: true, findingId: (c) => `control-plane-logging:${c.clusterName}`, resourceId: (c) => c.clusterName }] },
  { cluster: 'public-api', problem: 'public-endpoint', findings: [{ check: 'public-endpoint', severity: 'high', remediable: false, findingId: (c) => `public-endpoint:${c.clusterName}`, resourceId: (c) => c.clusterName }] },
  { cluster: 'old-version', problem: 'old-version', findings: [{ check: 'kubernetes-version-support', severity: 'critical', remediable: false, findingId: (c) => `kubernetes-version-support:${c.clusterName}`, resourceId: (c) => c.clusterName }] },
  { cluster: 'no-kms', problem: 'no-secrets-encryption', findings: [{ check: 'secrets-encryption', severity: 'medium', remediable: false, findingId: (c) => `secrets-encryption:${c.clusterName}`, resourceId: (c) => c.clusterName }] },
  { cluster: 'node-role', problem: 'node-role-policies', findings: [
    { check: 'iam-role-policies', severity: 'low', remediable: false, findingId: (c) => `iam-role-policies:${roleName(c)}:cni`, resourceId: roleName },
    { check: 'iam-role-policies', severity: 'medium', remediable: false, findingId: (c) => `iam-role-policies:${roleName(c)}:registry`, resourceId: roleName },
  ] },
  { cluster: 'node-imds', problem: 'node-imds', findings: [{ check: 'node-imds-hardening', severity: 'high', remediable: false, findingId: (c) => `node-imds-hardening:${c.clusterName}/general-us-east-1a`, resourceId: (c) => `${c.clusterName}/general-us-east-1a` }] },
  { cluster: 'ebs-multi-az', problem: 'multi-az-ebs', findings: [{ check: 'multi-az-ebs', severity: 'medium', remediable: false, findingId: (c) => `multi-az-ebs:${c.clusterName}/general`, resourceId: (c) => `${c.clusterName}/general` }] },
  // cluster-access-posture: aws-auth only; the creator still admin; cluster admins nobody allow-listed.
  { cluster: 'aws-auth-only', problem: 'config-map-auth', findings: [access('config-map', 'medium')] },
  { cluster: 'creator-admin', problem: 'creator-admin', findings: [access('creator-admin', 'medium')] },
  { cluster: 'extra-admins', problem: 'extra-cluster-admins', findings: [access(`admin:${EXTRA_ADMIN_ROLE}`, 'medium'), access(`admin:${CLUSTER_WIDE_ADMIN_ROLE}`, 'medium')] },
];

function access(detail: string, severity: Severity) {
  return { check: 'cluster-access-posture', severity, remediable: false, findingId: (c: Seeded) => `cluster-access-posture:${c.clusterName}:${detail}`, resourceId: (c: Seeded) => c.clusterName };
}

function roleName(c: Seeded): string {
  return c.nodeRoleArn.split('/').pop()!;
}

/**
 * Findings every cluster may carry whatever is seeded: the version check's advisory that a current version's
 * standard support ends within its warning window (it depends on today's date against the calendar).
 */
export function isBackgroundFinding(f: { check: string; severity: Severity }, cluster: string): boolean {
  return f.check === 'kubernetes-version-support' && f.severity === 'low' && cluster !== 'old-version';
}
