import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callLog } from '../../shared/aws/calls.ts';
import { AUTOSCALER_CHECKS } from '../../shared/capabilities/autoscaler/names.ts';
import { REGISTRY } from '../../shared/capabilities/registry.ts';
import { narrowRegistry } from '../../shared/engine/registry.ts';
import { loadConfig } from '../../shared/capabilities/config.ts';
import { prefetchComplianceHints } from '../../shared/capabilities/compliance/facets.ts';
import { reconcile } from '../../shared/engine/reconcile.ts';
import { seedComplianceCluster, seedNodegroup, seedRole } from '../../dev/local/compliance-scenario.ts';
import type { Finding } from '../../shared/types/index.ts';
import { useMoto } from '../support/moto.ts';

const env = useMoto();
const COMPLIANCE = ['control-plane-logging', 'public-endpoint', 'kubernetes-version-support', 'secrets-encryption', 'iam-role-policies', 'multi-az-ebs'];
const dryRun = () => loadConfig({ GUARDRAILS_MODE: 'dry-run' });
const sweep = { kind: 'schedule' as const };

function compliance(findings: Finding[]): Finding[] {
  return findings.filter((f) => COMPLIANCE.includes(f.check));
}

describe('compliance checks on moto', () => {
  it('passes a compliant cluster (each check ran, none found a problem)', async () => {
    await seedComplianceCluster(env.moto, 'good');
    const result = await reconcile({ clusterName: 'good', trigger: sweep }, dryRun(), { registry: REGISTRY });
    for (const name of COMPLIANCE) assert.ok(result.checks.includes(name), `${name} ran`);
    // Kubernetes 1.35 may be near the end of standard support on the day the suite runs: only that may show.
    const findings = compliance(result.findings).filter((f) => f.check !== 'kubernetes-version-support' || f.severity === 'critical');
    assert.deepEqual(findings.map((f) => f.id), []);
  });

  it('names each problem once, by its resource, with a severity and a fix hint, and writes nothing', async () => {
    await seedComplianceCluster(env.moto, 'bad', ['logging', 'public-endpoint', 'old-version', 'no-secrets-encryption', 'node-role-policies', 'multi-az-ebs']);
    callLog.reset();
    const result = await reconcile({ clusterName: 'bad', trigger: sweep }, dryRun(), { registry: REGISTRY });
    const findings = compliance(result.findings);
    assert.deepEqual(findings.map((f) => f.id).sort(), [
      'control-plane-logging:bad',
      'iam-role-policies:bad-node-role:cni',
      'iam-role-policies:bad-node-role:registry',
      'kubernetes-version-support:bad',
      'multi-az-ebs:bad/general',
      'public-endpoint:bad',
      'secrets-encryption:bad',
    ]);
    for (const f of findings) {
      assert.ok(f.fixHint.length > 20, `${f.id} has a fix hint`);
      assert.ok(f.resource.id, `${f.id} names its resource`);
    }
    const version = findings.find((f) => f.check === 'kubernetes-version-support')!;
    assert.equal(version.severity, 'critical');
    // The local account serves DescribeClusterVersions (moto has none) with dates that move with today.
    assert.equal(version.evidence.source, 'api');
    assert.equal(version.evidence.apiError, undefined);
    assert.deepEqual(findings.find((f) => f.check === 'multi-az-ebs')!.evidence.availabilityZones, ['us-east-1a', 'us-east-1b']);
    assert.equal(callLog.count({ mutating: true }), 0);
    // Logging is the one remediable check; in report mode (its default) it is planned, never run.
    assert.deepEqual(result.actions.map((a) => [a.action.kind, a.status]), [['EnableClusterLogging', 'planned']]);
  });

  it('enables control-plane logging only when set to enforce, and the next sweep reports it fixed', async () => {
    await seedComplianceCluster(env.moto, 'logs', ['logging']);
    const enforce = loadConfig({ GUARDRAILS_CHECK_MODES: 'control-plane-logging=enforce' });
    const dry = loadConfig({ GUARDRAILS_MODE: 'dry-run', GUARDRAILS_CHECK_MODES: 'control-plane-logging=enforce' });
    const target = { clusterName: 'logs', checks: ['control-plane-logging'], trigger: sweep };

    callLog.reset();
    const planned = await reconcile(target, dry, { registry: REGISTRY });
    assert.deepEqual(planned.actions.map((a) => [a.status, a.reason]), [['planned', 'dry-run']]);
    assert.equal(callLog.count({ mutating: true }), 0);

    const fixed = await reconcile(target, enforce, { registry: REGISTRY });
    assert.deepEqual(fixed.actions.map((a) => a.status), ['applied']);
    assert.equal(callLog.count({ operation: 'UpdateClusterConfig' }), 1);

    const after = await reconcile(target, enforce, { registry: REGISTRY });
    assert.deepEqual(after.findings, []);
    assert.deepEqual(after.actions, []);
    assert.equal(callLog.count({ operation: 'UpdateClusterConfig' }), 1);
  });

  it('reports per-AZ siblings that differ', async () => {
    const cluster = await seedComplianceCluster(env.moto, 'data');
    await seedNodegroup(env.moto, 'data', 'db-1a', { subnets: [cluster.subnetIds[0]!], nodeRole: cluster.nodeRoleArn, labels: { role: 'db' } });
    await seedNodegroup(env.moto, 'data', 'db-1b', { subnets: [cluster.subnetIds[1]!], nodeRole: cluster.nodeRoleArn, labels: { role: 'db' }, instanceTypes: ['r6i.large'] });
    const result = await reconcile({ clusterName: 'data', checks: ['multi-az-ebs'], trigger: sweep }, dryRun(), { registry: REGISTRY });
    assert.deepEqual(result.findings.map((f) => f.id), ['multi-az-ebs:data:siblings:db']);
  });

  it('says it could not check a role it may not read, without failing the sweep', async () => {
    await seedComplianceCluster(env.moto, 'lost');
    // The cluster's role is gone: IAM answers NoSuchEntity.
    const { IAMClient, DetachRolePolicyCommand, DeleteRoleCommand } = await import('@aws-sdk/client-iam');
    const { seedClients } = await import('../../dev/local/scenario.ts');
    const iam = new IAMClient(seedClients(env.moto).config);
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'lost-cluster-role', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'lost-cluster-role' }));
    const result = await reconcile({ clusterName: 'lost', checks: ['iam-role-policies'], trigger: sweep }, dryRun(), { registry: REGISTRY });
    assert.deepEqual(result.findings.map((f) => [f.id, f.severity]), [['iam-role-policies:lost-cluster-role:missing-role', 'high']]);
  });

  it('keeps compliance checks and their AWS calls off the event path', async () => {
    await seedComplianceCluster(env.moto, 'evt', ['public-endpoint']);
    callLog.reset();
    // The autoscaler checks read node groups on events on purpose (they tag node group ASGs); left out here so
    // ListNodegroups keeps proving that the compliance checks stay off the event path.
    const registry = narrowRegistry(REGISTRY, (c) => !(AUTOSCALER_CHECKS as readonly string[]).includes(c.name));
    const result = await reconcile({ clusterName: 'evt', trigger: { kind: 'cloudtrail' } }, dryRun(), { registry });
    assert.deepEqual(result.checks.filter((c) => COMPLIANCE.includes(c)), []);
    assert.equal(callLog.count({ service: 'IAM' }), 0);
    assert.equal(callLog.count({ operation: 'DescribeVolumes' }), 0);
    assert.equal(callLog.count({ operation: 'ListNodegroups' }), 0);
  });

  for (const iam of ['account', 'per-role'] as const) {
    it(`in a sweep (${iam} IAM prefetch), reads each role, the volumes and the subnets once for all clusters`, async () => {
      const a = await seedComplianceCluster(env.moto, 'a');
      await seedComplianceCluster(env.moto, 'b');
      const shared = await seedRole(env.moto, 'shared-node-role', ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly']);
      await seedNodegroup(env.moto, 'a', 'extra-us-east-1a', { subnets: [a.subnetIds[0]!], nodeRole: shared });
      callLog.reset();
      const hints = { extra: await prefetchComplianceHints({ iam }) };
      for (const clusterName of ['a', 'b']) {
        const result = await reconcile({ clusterName, trigger: sweep }, dryRun(), { registry: REGISTRY, hints });
        assert.equal(compliance(result.findings).filter((f) => f.check !== 'kubernetes-version-support').length, 0, `cluster ${clusterName}`);
      }
      if (iam === 'account') {
        assert.equal(callLog.count({ operation: 'GetAccountAuthorizationDetails' }), 1);
        assert.equal(callLog.count({ operation: 'ListAttachedRolePolicies' }), 0);
      } else {
        // a-cluster, a-node, shared, b-cluster, b-node: each once.
        assert.equal(callLog.count({ operation: 'ListAttachedRolePolicies' }), 5);
      }
      assert.equal(callLog.count({ operation: 'DescribeVolumes' }), 1);
      assert.equal(callLog.count({ operation: 'DescribeClusterVersions' }), 1);
      assert.equal(callLog.count({ operation: 'DescribeSubnets' }), 1);
      assert.equal(callLog.count({ mutating: true }), 0);
    });
  }
});
