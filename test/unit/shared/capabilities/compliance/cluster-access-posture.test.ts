import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLUSTER_ADMIN_POLICY, ADMIN_POLICY, CREATOR_WINDOW_MS, clusterAccessPosture } from '../../../../../shared/capabilities/compliance/cluster-access-posture.ts';
import { loadConfig } from '../../../../../shared/capabilities/config.ts';
import type { AccessEntriesFacet, AccessEntryState } from '../../../../../shared/types/index.ts';
import { config, snapshot } from '../../../../support/compliance-fixtures.ts';

const CREATED = '2026-01-01T00:00:00.000Z';
const later = (ms: number) => new Date(Date.parse(CREATED) + ms).toISOString();
const role = (n: string) => `arn:aws:iam::123456789012:role/${n}`;
const entry = (principal: string, policy: string, at = later(86_400_000), scopeType = 'cluster'): AccessEntryState =>
  ({ principalArn: principal, policies: [{ policyArn: policy, scopeType, namespaces: scopeType === 'namespace' ? ['a'] : [], associatedAt: at }] });

function run(fields: Parameters<typeof snapshot>[0], facet?: AccessEntriesFacet, cfg = config) {
  const s = snapshot({ createdAt: CREATED, ...fields });
  if (facet) s.extra.accessEntries = facet;
  return clusterAccessPosture.run(s, cfg).findings;
}

describe('cluster-access-posture', () => {
  it('is report-only, sweep-only, and plans nothing', () => {
    assert.equal(clusterAccessPosture.defaultMode, 'report');
    assert.deepEqual(clusterAccessPosture.triggers, ['sweep']);
    const s = snapshot({ authenticationMode: 'CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true });
    assert.deepEqual(clusterAccessPosture.run(s, config).actions, []);
  });

  it('says nothing when DescribeCluster names no authentication mode (it cannot tell)', () => {
    assert.deepEqual(run({}), []);
  });

  it('CONFIG_MAP: one finding with the one-way migration path; a hidden creator admin when bootstrapped', () => {
    assert.deepEqual(run({ authenticationMode: 'CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: false }).map((f) => f.id), ['cluster-access-posture:prod:config-map']);
    const both = run({ authenticationMode: 'CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true });
    assert.deepEqual(both.map((f) => f.id), ['cluster-access-posture:prod:config-map', 'cluster-access-posture:prod:creator-admin']);
    assert.match(both[0]!.fixHint, /API_AND_CONFIG_MAP.*one-way.*authenticationMode=API/);
  });

  it('names the creator by the admin entry associated at creation, and reports it once', () => {
    const facet: AccessEntriesFacet = { ok: true, entries: [entry(role('creator'), CLUSTER_ADMIN_POLICY, later(5_000)), entry(role('viewer'), 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy')] };
    const findings = run({ authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true }, facet);
    assert.deepEqual(findings.map((f) => [f.id, f.evidence.creatorPrincipalArn]), [['cluster-access-posture:prod:creator-admin', role('creator')]]);
  });

  it('an admin entry outside the creation window is not the creator; two inside it name nobody', () => {
    const outside: AccessEntriesFacet = { ok: true, entries: [entry(role('later'), CLUSTER_ADMIN_POLICY, later(CREATOR_WINDOW_MS + 1))] };
    assert.deepEqual(run({ authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true }, outside).map((f) => f.id), [`cluster-access-posture:prod:admin:${role('later')}`]);
    const two: AccessEntriesFacet = { ok: true, entries: [entry(role('a'), CLUSTER_ADMIN_POLICY, later(1)), entry(role('b'), CLUSTER_ADMIN_POLICY, later(2))] };
    assert.deepEqual(run({ authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true }, two).map((f) => f.id).sort(),
      [`cluster-access-posture:prod:admin:${role('a')}`, `cluster-access-posture:prod:admin:${role('b')}`]);
  });

  it('without bootstrap, an admin entry made at creation is just an admin entry', () => {
    const facet: AccessEntriesFacet = { ok: true, entries: [entry(role('x'), CLUSTER_ADMIN_POLICY, later(1))] };
    assert.deepEqual(run({ authenticationMode: 'API_AND_CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: false }, facet).map((f) => f.id), [`cluster-access-posture:prod:admin:${role('x')}`]);
  });

  it('cluster admin at any scope, AmazonEKSAdminPolicy only cluster-wide', () => {
    const facet: AccessEntriesFacet = { ok: true, entries: [
      entry(role('ca-ns'), CLUSTER_ADMIN_POLICY, undefined, 'namespace'),
      entry(role('admin-ns'), ADMIN_POLICY, undefined, 'namespace'),
      entry(role('admin-cluster'), ADMIN_POLICY),
    ] };
    assert.deepEqual(run({ authenticationMode: 'API' }, facet).map((f) => f.id), [
      `cluster-access-posture:prod:admin:${role('ca-ns')}`, `cluster-access-posture:prod:admin:${role('admin-cluster')}`,
    ]);
  });

  it('the allow-list silences exactly the principals it names (creator included)', () => {
    const facet: AccessEntriesFacet = { ok: true, entries: [entry(role('creator'), CLUSTER_ADMIN_POLICY, later(1)), entry(role('platform-admin'), CLUSTER_ADMIN_POLICY), entry(role('platformer'), CLUSTER_ADMIN_POLICY)] };
    const cfg = loadConfig({ GUARDRAILS_CLUSTER_ADMIN_ALLOWLIST: `${role('creator')},${role('platform-*')}` });
    assert.deepEqual(run({ authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true }, facet, cfg).map((f) => f.id), [`cluster-access-posture:prod:admin:${role('platformer')}`]);
  });

  it('a listing that failed is "could not check", never "no admins"', () => {
    const findings = run({ authenticationMode: 'API' }, { ok: false, errorCode: 'AccessDeniedException' });
    assert.deepEqual(findings.map((f) => [f.id, f.severity]), [['cluster-access-posture:prod:not-checked', 'low']]);
  });
});
