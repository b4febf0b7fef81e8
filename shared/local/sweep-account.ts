import { AuthorizeSecurityGroupIngressCommand, RevokeSecurityGroupEgressCommand } from '@aws-sdk/client-ec2';
import type { Severity } from '../types/index.ts';
import type { MotoServer } from './moto.ts';
import { seedClients, seedCluster } from './scenario.ts';

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
  const healthy = await seedCluster(moto, 'healthy', { region, vpcCidr: '10.10.0.0/16' });

  const noSelf = await seedCluster(moto, 'no-self-rule', { region, vpcCidr: '10.11.0.0/16', withoutSelfRule: true });

  const open = await seedCluster(moto, 'world-open', { region, vpcCidr: '10.12.0.0/16' });
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({
    GroupId: open.clusterSecurityGroupId,
    IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh for debugging' }] }],
  }));

  const noEgress = await seedCluster(moto, 'no-egress', { region, vpcCidr: '10.13.0.0/16' });
  await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: noEgress.clusterSecurityGroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));

  const exempt = await seedCluster(moto, 'exempt', { region, vpcCidr: '10.14.0.0/16', withoutSelfRule: true, clusterTags: { 'eks-guardrails/exempt': 'true' } });

  return {
    healthy: [healthy.clusterName],
    problems: [
      { cluster: 'no-self-rule', check: 'cluster-sg-baseline', findingId: `cluster-sg-baseline:${noSelf.clusterSecurityGroupId}:self-ingress`, resourceId: noSelf.clusterSecurityGroupId, severity: 'high', remediable: true },
      { cluster: 'world-open', check: 'cluster-sg-baseline', findingId: `cluster-sg-baseline:${open.clusterSecurityGroupId}:world-open:`, resourceId: open.clusterSecurityGroupId, severity: 'high', remediable: false },
      { cluster: 'no-egress', check: 'cluster-sg-baseline', findingId: `cluster-sg-baseline:${noEgress.clusterSecurityGroupId}:egress`, resourceId: noEgress.clusterSecurityGroupId, severity: 'medium', remediable: true },
    ],
    exempt: { cluster: 'exempt', findingId: `cluster-sg-baseline:${exempt.clusterSecurityGroupId}:self-ingress` },
  };
}
