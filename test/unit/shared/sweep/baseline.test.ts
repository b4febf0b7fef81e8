import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../../shared/capabilities/config.ts';
import { compareWithBaseline, newAtOrAbove } from '../../../../shared/sweep/baseline.ts';
import { parseBaseline } from '../../../../shared/sweep/baseline-read.ts';
import type { ClusterReport, FindingState, ReportFinding, SweepReport } from '../../../../shared/sweep/model.ts';
import { validateSweepReport } from '../../../../shared/sweep/report-schema.ts';
import { assembleReport, countCalls } from '../../../../shared/sweep/run-sweep.ts';
import type { Severity } from '../../../../shared/types/index.ts';

const ACCOUNT = '111122223333';
const f = (id: string, severity: Severity, state: FindingState): ReportFinding => ({
  id, check: id.split(':')[0]!, severity, resource: { type: 'cluster', id: 'x' }, title: `title of ${id}`, evidence: {}, fixHint: 'fix it', state, actions: [],
});
const CHECKS = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, mode: 'report' as const, status: 'fail' as const, findings: 0 }));
const cluster = (name: string, findings: ReportFinding[], status: ClusterReport['status'] = findings.length ? 'fail' : 'pass', region = 'eu-west-1', checks = CHECKS): ClusterReport =>
  ({ name, account: ACCOUNT, region, status, checks, findings, durationMs: 1 });
function report(sweepId: string, clusters: ClusterReport[], scopeError?: string): SweepReport {
  return assembleReport([{ scope: { account: ACCOUNT, region: 'eu-west-1', ...(scopeError ? { error: scopeError } : {}) }, clusters }], {
    sweepId, startedAt: new Date(0), finishedAt: new Date(1000), config: loadConfig({}), trigger: 'cli', calls: countCalls([]),
  });
}
const asBaseline = (r: SweepReport) => parseBaseline(JSON.stringify(r), 'previous.json');
const changes = (r: SweepReport) => Object.fromEntries(r.clusters.flatMap((c) => c.findings.map((x) => [`${c.name}/${x.id}`, x.change ?? '-'])));

describe('a sweep against the previous one', () => {
  const previous = report('one', [
    cluster('prod', [f('a:1', 'high', 'open'), f('b:1', 'medium', 'planned'), f('c:1', 'low', 'open'), f('d:1', 'high', 'exempt')]),
    cluster('dev', [f('a:1', 'high', 'open')]),
    cluster('broken', [], 'error'),
  ]);

  it('marks each finding new, still open or resolved; names what was resolved and how', () => {
    const now = compareWithBaseline(report('two', [
      cluster('prod', [f('a:1', 'high', 'open'), f('b:1', 'medium', 'fixed'), f('e:1', 'critical', 'open'), f('d:1', 'high', 'exempt')]),
      cluster('dev', [f('a:1', 'high', 'exempt')]),
      cluster('broken', [f('a:1', 'high', 'open')]),
    ]), asBaseline(previous));
    assert.deepEqual(changes(now), {
      'prod/a:1': 'still-open', 'prod/b:1': 'resolved', 'prod/e:1': 'new', 'prod/d:1': '-', 'dev/a:1': 'resolved',
      'broken/a:1': 'new', // not swept last time: nothing to compare with, so it counts as new
    });
    assert.deepEqual(now.comparison.baseline, { status: 'compared', source: 'previous.json', sweepId: 'one', finishedAt: previous.finishedAt });
    assert.deepEqual(now.comparison.new, { total: 2, bySeverity: { critical: 1, high: 1 } });
    assert.equal(now.comparison.stillOpen, 1);
    assert.deepEqual(now.comparison.resolved.findings.map((x) => `${x.cluster}/${x.id}:${x.resolution}`), ['dev/a:1:exempt', 'prod/b:1:fixed', 'prod/c:1:gone']);
    assert.equal(now.comparison.resolved.total, 3);
    assert.deepEqual(now.comparison.resolved.bySeverity, { high: 1, medium: 1, low: 1 });
    assert.deepEqual(now.clusters.map((c) => c.baseline), ['compared', 'compared', 'not-in-baseline']);
    assert.deepEqual(now.comparison.notCompared, []);
    assert.deepEqual(validateSweepReport(JSON.parse(JSON.stringify(now))), { ok: true });
    assert.equal(newAtOrAbove(now, 'critical'), 1);
    assert.equal(newAtOrAbove(now, 'high'), 2);
  });

  it('a cluster not swept this time resolves nothing: it is listed as not compared', () => {
    const now = compareWithBaseline(report('two', [cluster('prod', [], 'error')]), asBaseline(previous));
    assert.equal(now.comparison.resolved.total, 0);
    assert.deepEqual(now.comparison.notCompared.map((c) => `${c.cluster}:${c.open}:${c.reason.split(' ')[0]}`), ['prod:3:error', 'dev:1:not']);
    const scopeDown = compareWithBaseline(report('two', [], 'AccessDenied: nope'), asBaseline(previous));
    assert.match(scopeDown.comparison.notCompared[0]!.reason, /could not be swept: AccessDenied/);
    assert.equal(scopeDown.comparison.resolved.total, 0);
  });

  it('a check that did not run this time resolves nothing', () => {
    const now = compareWithBaseline(report('two', [cluster('prod', [], 'pass', 'eu-west-1', CHECKS.filter((x) => x.name !== 'c')), cluster('dev', [])]), asBaseline(previous));
    assert.deepEqual(now.comparison.resolved.findings.map((x) => `${x.cluster}/${x.id}:${x.resolution}`), ['dev/a:1:gone', 'prod/a:1:gone', 'prod/b:1:gone']);
    assert.deepEqual(now.comparison.notCompared, [{ cluster: 'prod', account: ACCOUNT, region: 'eu-west-1', open: 1, reason: 'check not run this time: c' }]);
  });

  it('the same id in another account or region is another finding', () => {
    const now = compareWithBaseline(report('two', [cluster('prod', [f('a:1', 'high', 'open')], 'fail', 'us-east-1')]), asBaseline(previous));
    assert.equal(now.clusters[0]!.findings[0]!.change, 'new');
  });

  it('without a readable baseline every open finding is new, and the report says why', () => {
    for (const [text, reason] of [['<html>', /not JSON/], ['{"schemaVersion":"9.0"}', /schema 9\.0 is not one this version reads/], ['{"a":1}', /no schemaVersion/],
      [JSON.stringify({ ...previous, clusters: [{ name: 'x' }] }), /not a valid sweep report \(clusters\.0\./]] as const) {
      const baseline = parseBaseline(text, 'prev.json');
      assert.equal(baseline.info.status, 'unreadable');
      assert.match(baseline.info.reason ?? '', reason);
      const now = compareWithBaseline(report('two', [cluster('prod', [f('a:1', 'high', 'open'), f('b:1', 'low', 'fixed')])]), baseline);
      assert.deepEqual(changes(now), { 'prod/a:1': 'new', 'prod/b:1': '-' });
      assert.equal(now.comparison.new.total, 1);
    }
  });

  it('reads a 1.0 report as a baseline', () => {
    const old = JSON.parse(JSON.stringify(previous)) as Record<string, unknown>;
    old.schemaVersion = '1.0';
    delete old.comparison;
    assert.equal(parseBaseline(JSON.stringify(old), 'old.json').info.status, 'compared');
  });

  it('off: no change on any finding, nothing counted', () => {
    const now = compareWithBaseline(report('two', [cluster('prod', [f('a:1', 'high', 'open')])]), { info: { status: 'off', reason: 'not asked' } });
    assert.deepEqual(changes(now), { 'prod/a:1': '-' });
    assert.equal(now.comparison.new.total, 0);
    assert.equal(newAtOrAbove(now, 'info'), 0);
  });
});
