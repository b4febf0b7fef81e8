import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../../shared/capabilities/config.ts';
import type { ClusterReport, ReportFinding } from '../../../../shared/sweep/model.ts';
import { escapeHtml, renderHtml } from '../../../../shared/sweep/render-html.ts';
import { assembleReport, countCalls } from '../../../../shared/sweep/run-sweep.ts';
import { headroomReport } from '../../../support/headroom-report.ts';

const f = (id: string, severity: ReportFinding['severity'], state: ReportFinding['state']): ReportFinding => ({
  id, check: id.split(':')[0]!, severity, state, resource: { type: 'cluster', id: 'c' }, title: `title ${id}`, evidence: {}, fixHint: `hint ${id}`, actions: [],
});
const cluster = (name: string, findings: ReportFinding[], status: ClusterReport['status'] = findings.length ? 'fail' : 'pass'): ClusterReport =>
  ({ name, account: '111122223333', region: 'eu-west-1', status, checks: [], findings, durationMs: 1 });

function report() {
  return assembleReport([{ scope: { account: '111122223333', region: 'eu-west-1' }, clusters: [
    cluster('a', [f('x:low', 'low', 'open'), f('x:fixed', 'critical', 'fixed'), f('x:high', 'high', 'planned')]),
    cluster('b', []),
    { ...cluster('c', []), status: 'error', error: 'AccessDeniedException: no' },
  ] }], { sweepId: 'id-1', startedAt: new Date(0), finishedAt: new Date(1), config: loadConfig({}), trigger: 'cli', checks: [], calls: countCalls([]) });
}

describe('HTML report', () => {
  it('escapes every value and needs nothing from the network', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const html = renderHtml(report());
    assert.doesNotMatch(html, /<script|<link|src=|url\(/i);
    assert.ok(html.indexOf('data-cluster="c"') < html.indexOf('data-cluster="a"') && html.indexOf('data-cluster="a"') < html.indexOf('data-cluster="b"'), 'errors, then failing, then passing');
  });
});

describe('LoadBalancer headroom in the report', () => {
  it('the HTML shows one row per group', () => {
    const html = renderHtml(headroomReport());
    assert.match(html, /data-headroom-group="sg-cluster"><td><code>sg-cluster<\/code> eks-cluster-sg-prod<\/td><td>12 \/ 60<\/td><td>16<\/td>/);
    assert.match(html, /data-headroom-group="sg-full"/);
  });
});
