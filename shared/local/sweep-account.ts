import { AuthorizeSecurityGroupIngressCommand, RevokeSecurityGroupEgressCommand } from '@aws-sdk/client-ec2';
import type { Severity } from '../types/index.ts';
import type { MotoServer } from './moto.ts';
import { seedComplianceCluster, type ComplianceProblem } from './compliance-scenario.ts';
import { seedClients, type ClusterSeedOptions } from './scenario.ts';

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
}

export interface ProblemAccount {
  healthy: string[];
  problems: SeededProblem[];
  exempt: { cluster: string; findingId: string };
}

/**
 * A local account with one cluster per kind of problem the registered checks know, a healthy cluster and an
 * exempt one — for the sweep's integration test, its demo and docs. Each capability adds its problem here.
 */
export async function seedProblemAccount(moto: MotoServer, region = 'us-east-1'): Promise<ProblemAccount> {
  const { ec2 } = seedClients(moto, region);
  // Every cluster passes every check except the problem it is named after.
  const cluster = (name: string, problems: ComplianceProblem[] = [], opts: ClusterSeedOptions = {}) =>
    seedComplianceCluster(moto, name, problems, { region, vpcCidr: `10.${10 + seq++}.0.0/16`, ...opts });
  let seq = 0;
  const healthy = await cluster('healthy');

  const noSelf = await cluster('no-self-rule', [], { withoutSelfRule: true });
  const open = await cluster('world-open');
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({
    GroupId: open.clusterSecurityGroupId,
    IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh for debugging' }] }],
  }));
  const noEgress = await cluster('no-egress');
  await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: noEgress.clusterSecurityGroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  const exempt = await cluster('exempt', [], { withoutSelfRule: true, clusterTags: { 'eks-guardrails/exempt': 'true' } });

  const problems: SeededProblem[] = [
    { cluster: 'no-self-rule', check: 'cluster-sg-baseline', findingId: `cluster-sg-baseline:${noSelf.clusterSecurityGroupId}:self-ingress`, resourceId: noSelf.clusterSecurityGroupId, severity: 'high', remediable: true },
    { cluster: 'world-open', check: 'cluster-sg-baseline', findingId: `cluster-sg-baseline:${open.clusterSecurityGroupId}:world-open:`, resourceId: open.clusterSecurityGroupId, severity: 'high', remediable: false },
    { cluster: 'no-egress', check: 'cluster-sg-baseline', findingId: `cluster-sg-baseline:${noEgress.clusterSecurityGroupId}:egress`, resourceId: noEgress.clusterSecurityGroupId, severity: 'medium', remediable: true },
  ];
  for (const c of COMPLIANCE) {
    const seeded = await cluster(c.cluster, [c.problem]);
    for (const f of c.findings) problems.push({ cluster: c.cluster, check: f.check, findingId: f.findingId(seeded), resourceId: f.resourceId(seeded), severity: f.severity, remediable: f.remediable });
  }
  return { healthy: [healthy.clusterName], problems, exempt: { cluster: 'exempt', findingId: `cluster-sg-baseline:${exempt.clusterSecurityGroupId}:self-ingress` } };
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
  { cluster: 'ebs-multi-az', problem: 'multi-az-ebs', findings: [{ check: 'multi-az-ebs', severity: 'medium', remediable: false, findingId: (c) => `multi-az-ebs:${c.clusterName}/general`, resourceId: (c) => `${c.clusterName}/general` }] },
];

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
