import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callLog } from '../../shared/aws/calls.ts';
import { REGISTRY } from '../../shared/capabilities/registry.ts';
import { narrowRegistry } from '../../shared/engine/registry.ts';
import { AUTOSCALER_CHECKS } from '../../shared/capabilities/autoscaler/names.ts';
import { loadConfig } from '../../shared/capabilities/config.ts';
import { reconcile } from '../../shared/engine/reconcile.ts';
import {
  CLUSTER_WIDE_ADMIN_ROLE, EXTRA_ADMIN_ROLE, MOTO_CREATOR, seedAccessEntry, seedComplianceCluster,
} from '../../dev/local/compliance-scenario.ts';
import { useMoto } from '../support/moto.ts';

const env = useMoto();
const CHECK = 'cluster-access-posture';
const sweep = { kind: 'schedule' as const };
const dryRun = (extra: Record<string, string> = {}) => loadConfig({ GUARDRAILS_MODE: 'dry-run', ...extra });
const run = (clusterName: string, config = dryRun()) => reconcile({ clusterName, checks: [CHECK], trigger: sweep }, config, { registry: REGISTRY });

describe('cluster-access-posture on the local account (emulated access entries)', () => {
  it('passes the healthy twin: API mode, no bootstrap admin, only a viewer and a namespace admin', async () => {
    await seedComplianceCluster(env.moto, 'good');
    callLog.reset();
    const result = await run('good');
    assert.ok(result.checks.includes(CHECK));
    assert.deepEqual(result.findings, []);
    // One page of entries, one policy list per entry (2 entries), and nothing written.
    assert.equal(callLog.count({ operation: 'ListAccessEntries' }), 1);
    assert.equal(callLog.count({ operation: 'ListAssociatedAccessPolicies' }), 2);
    assert.equal(callLog.count({ mutating: true }), 0);
  });

  it('finds a cluster that authenticates only through aws-auth, with the migration path, and lists no entries', async () => {
    await seedComplianceCluster(env.moto, 'cm', ['config-map-auth']);
    callLog.reset();
    const result = await run('cm');
    assert.deepEqual(result.findings.map((f) => [f.id, f.severity]), [[`${CHECK}:cm:config-map`, 'medium']]);
    assert.match(result.findings[0]!.fixHint, /authenticationMode=API_AND_CONFIG_MAP/);
    assert.equal(callLog.count({ operation: 'ListAccessEntries' }), 0);
  });

  it('CONFIG_MAP with the bootstrap admin: the creator is a hidden admin, named nowhere', async () => {
    await seedComplianceCluster(env.moto, 'cmb', ['config-map-auth'], { create: { accessConfig: { authenticationMode: 'CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true } } });
    const result = await run('cmb');
    assert.deepEqual(result.findings.map((f) => f.id).sort(), [`${CHECK}:cmb:config-map`, `${CHECK}:cmb:creator-admin`]);
    assert.equal(result.findings.find((f) => f.id.endsWith('creator-admin'))!.evidence.creatorPrincipalArn, null);
  });

  it('names the creator from the access entry EKS made at creation, once', async () => {
    await seedComplianceCluster(env.moto, 'boot', ['creator-admin']);
    const result = await run('boot');
    assert.deepEqual(result.findings.map((f) => [f.id, f.severity]), [[`${CHECK}:boot:creator-admin`, 'medium']]);
    assert.equal(result.findings[0]!.evidence.creatorPrincipalArn, MOTO_CREATOR);
    assert.match(result.findings[0]!.title, /user\/moto/);
  });

  it('a cluster-admin entry added later is not taken for the creator\'s', async () => {
    await seedComplianceCluster(env.moto, 'late', [], { create: { accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true } } });
    // Someone added a cluster admin after the cluster became ACTIVE: a finding of its own, not the creator.
    await seedAccessEntry(env.moto, 'late', EXTRA_ADMIN_ROLE, [{ policy: 'AmazonEKSClusterAdminPolicy' }]);
    const result = await run('late');
    assert.deepEqual(result.findings.map((f) => f.id).sort(), [`${CHECK}:late:admin:${EXTRA_ADMIN_ROLE}`, `${CHECK}:late:creator-admin`]);
    assert.equal(result.findings.find((f) => f.id.endsWith('creator-admin'))!.evidence.creatorPrincipalArn, MOTO_CREATOR);
  });

  it('finds each cluster admin beyond the allow-list, one finding per principal', async () => {
    await seedComplianceCluster(env.moto, 'admins', ['extra-cluster-admins']);
    const result = await run('admins');
    assert.deepEqual(result.findings.map((f) => f.id).sort(), [
      `${CHECK}:admins:admin:${CLUSTER_WIDE_ADMIN_ROLE}`,
      `${CHECK}:admins:admin:${EXTRA_ADMIN_ROLE}`,
    ]);
    const devLead = result.findings.find((f) => f.id.endsWith('dev-lead'))!.evidence.policies as { policyArn: string; scopeType: string }[];
    assert.deepEqual(devLead.map((p) => [p.policyArn, p.scopeType]), [['arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy', 'cluster']]);

    const allowed = await run('admins', dryRun({ GUARDRAILS_CLUSTER_ADMIN_ALLOWLIST: `${EXTRA_ADMIN_ROLE}, arn:aws:iam::123456789012:role/dev-*` }));
    assert.deepEqual(allowed.findings, []);
    const other = await run('admins', dryRun({ GUARDRAILS_CLUSTER_ADMIN_ALLOWLIST: 'arn:aws:iam::210987654321:role/ops-admin' }));
    assert.equal(other.findings.length, 2, 'another account\'s role of the same name is not the same principal');
  });

  it('pages through more entries than one page holds', async () => {
    await seedComplianceCluster(env.moto, 'many');
    for (let i = 0; i < 101; i++) await seedAccessEntry(env.moto, 'many', `arn:aws:iam::123456789012:role/viewer-${i}`, []);
    await seedAccessEntry(env.moto, 'many', 'arn:aws:iam::123456789012:role/zz-admin', [{ policy: 'AmazonEKSClusterAdminPolicy' }]);
    callLog.reset();
    const result = await run('many');
    assert.deepEqual(result.findings.map((f) => f.id), [`${CHECK}:many:admin:arn:aws:iam::123456789012:role/zz-admin`]);
    assert.equal(callLog.count({ operation: 'ListAccessEntries' }), 2);
    assert.equal(callLog.count({ operation: 'ListAssociatedAccessPolicies' }), 104);
  });

  it('stays off the event path: no access-entry calls on a CloudTrail event', async () => {
    await seedComplianceCluster(env.moto, 'evt', ['extra-cluster-admins']);
    callLog.reset();
    const registry = narrowRegistry(REGISTRY, (c) => !(AUTOSCALER_CHECKS as readonly string[]).includes(c.name));
    const result = await reconcile({ clusterName: 'evt', trigger: { kind: 'cloudtrail' } }, dryRun(), { registry });
    assert.ok(!result.checks.includes(CHECK));
    assert.equal(callLog.count({ operation: 'ListAccessEntries' }), 0);
    assert.equal(callLog.count({ operation: 'ListAssociatedAccessPolicies' }), 0);
  });
});
