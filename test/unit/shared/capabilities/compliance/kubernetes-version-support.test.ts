import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assessVersion, kubernetesVersionSupport } from '../../../../../shared/capabilities/compliance/kubernetes-version-support.ts';
import { EKS_VERSION_CALENDAR } from '../../../../../shared/capabilities/compliance/eks-version-calendar.ts';
import type { ClusterVersionsFacet } from '../../../../../shared/types/index.ts';
import { config, NOW, snapshot } from '../../../../support/compliance-fixtures.ts';

const DAY = 86_400_000;
const builtIn: ClusterVersionsFacet = { source: 'built-in', versions: [...EKS_VERSION_CALENDAR], apiError: 'DescribeClusterVersions failed: InternalFailure' };
const api: ClusterVersionsFacet = {
  source: 'api',
  versions: [{ version: '1.40', status: 'STANDARD_SUPPORT', endOfStandardSupport: '2027-06-01', endOfExtendedSupport: '2028-06-01' }],
};

function run(version: string, calendar: ClusterVersionsFacet, observedAt = NOW) {
  return kubernetesVersionSupport.run(snapshot({ version }, { observedAt, extra: { clusterVersions: calendar } }), config).findings;
}

describe('kubernetes-version-support', () => {
  it('passes a version with more than 180 days of standard support left', () => {
    assert.deepEqual(run('1.35', builtIn, Date.parse('2026-01-01T00:00:00Z')), []);
  });

  it('raises severity as the end of standard support nears: low, medium, high', () => {
    const end = Date.parse('2027-03-27T00:00:00Z');
    assert.equal(run('1.35', builtIn, end - 120 * DAY)[0]?.severity, 'low');
    assert.equal(run('1.35', builtIn, end - 60 * DAY)[0]?.severity, 'medium');
    const near = run('1.35', builtIn, end - 10 * DAY)[0]!;
    assert.equal(near.severity, 'high');
    assert.equal(near.evidence.daysLeft, 10);
    assert.equal(near.evidence.phase, 'standard');
  });

  it('reports extended support as high, critical in its last 60 days, and past it as critical', () => {
    // On 2026-11-24, 1.32 is in extended support until 2027-03-23 (119 days).
    const ext = run('1.32', builtIn)[0]!;
    assert.equal(ext.severity, 'high');
    assert.equal(ext.evidence.phase, 'extended');
    assert.match(ext.title, /extended support/);
    // 1.31's extended support ends 2026-11-26: two days left.
    assert.equal(run('1.31', builtIn)[0]?.severity, 'critical');
    const gone = run('1.28', builtIn)[0]!;
    assert.equal(gone.severity, 'critical');
    assert.equal(gone.evidence.phase, 'unsupported');
    assert.equal(gone.id, 'kubernetes-version-support:prod');
  });

  it('says which source it used, and why the API was not', () => {
    const f = run('1.32', builtIn)[0]!;
    assert.equal(f.evidence.source, 'built-in');
    assert.match(String(f.evidence.apiError), /InternalFailure/);
    assert.match(f.title, /built-in EKS release calendar/);
    const fromApi = run('1.40', api, Date.parse('2027-05-20T00:00:00Z'))[0]!;
    assert.equal(fromApi.evidence.source, 'api');
    assert.match(fromApi.title, /DescribeClusterVersions/);
  });

  it('reads patch versions and reports a version the calendar does not list as info', () => {
    assert.equal(assessVersion('1.32.5', EKS_VERSION_CALENDAR, NOW).phase, 'extended');
    const unknown = run('1.99', builtIn)[0]!;
    assert.equal(unknown.severity, 'info');
    assert.equal(unknown.id, 'kubernetes-version-support:prod:unknown');
  });

  it('falls back on the API status word when dates are missing', () => {
    assert.equal(assessVersion('1.30', [{ version: '1.30', status: 'EXTENDED_SUPPORT' }], NOW).severity, 'high');
    assert.equal(assessVersion('1.30', [{ version: '1.30', status: 'STANDARD_SUPPORT' }], NOW).severity, undefined);
  });
});
