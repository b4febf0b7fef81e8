import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../../shared/capabilities/config.ts';
import { sweepReportJsonSchema, validateSweepReport } from '../../../../shared/sweep/report-schema.ts';
import { assembleReport, countCalls } from '../../../../shared/sweep/run-sweep.ts';
import { headroomReport } from '../../../support/headroom-report.ts';

const published = JSON.parse(readFileSync(new URL('../../../../docs/sweep-report.schema.json', import.meta.url), 'utf8')) as unknown;

function sample() {
  return JSON.parse(JSON.stringify(assembleReport([{
    scope: { account: '111122223333', region: 'eu-west-1' },
    clusters: [{
      name: 'prod', account: '111122223333', region: 'eu-west-1', status: 'fail', durationMs: 5,
      checks: [{ name: 'cluster-sg-baseline', mode: 'enforce', status: 'fail', findings: 1 }],
      findings: [{ id: 'cluster-sg-baseline:sg-1:self-ingress', check: 'cluster-sg-baseline', severity: 'high', resource: { type: 'security-group', id: 'sg-1' },
        title: 't', evidence: { a: 1 }, fixHint: 'add the rule', state: 'planned', actions: [{ kind: 'AuthorizeRules', summary: 's', status: 'planned', reason: 'dry-run' }] }],
    }],
  }], { sweepId: 'abc', startedAt: new Date(0), finishedAt: new Date(1), config: loadConfig({}), trigger: 'cli', calls: countCalls([{ service: 'EKS', operation: 'ListClusters', mutating: false }]) })));
}

describe('sweep report schema', () => {
  it('docs/sweep-report.schema.json is the schema the validator enforces (regenerate: node scripts/sweep-schema.ts)', () => {
    assert.deepEqual(published, sweepReportJsonSchema());
  });

  it('is a versioned draft 2020-12 schema with an $id', () => {
    const s = published as Record<string, unknown>;
    assert.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.match(String(s.$id), /sweep-report\/1\.1\.json$/);
  });

  it('accepts a report the sweep builds', () => {
    assert.deepEqual(validateSweepReport(sample()), { ok: true });
  });

  it('rejects a finding without fix hint, an unknown severity, an unknown field, a wrong version', () => {
    const noHint = sample();
    delete noHint.clusters[0].findings[0].fixHint;
    const badSeverity = sample();
    badSeverity.clusters[0].findings[0].severity = 'urgent';
    const extra = sample();
    extra.clusters[0].surprise = true;
    const version = sample();
    version.schemaVersion = '1.0';
    for (const [name, bad] of Object.entries({ noHint, badSeverity, extra, version })) {
      const r = validateSweepReport(bad);
      assert.equal(r.ok, false, name);
    }
    const r = validateSweepReport(noHint);
    assert.ok(!r.ok && r.issues.some((i) => i.startsWith('clusters.0.findings.0.fixHint')));
  });
});

describe('LoadBalancer headroom in the report', () => {
  it('is valid report JSON (schema)', () => {
    assert.deepEqual(validateSweepReport(JSON.parse(JSON.stringify(headroomReport()))), { ok: true });
  });
});
