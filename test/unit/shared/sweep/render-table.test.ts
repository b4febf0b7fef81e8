import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../../shared/capabilities/config.ts';
import { renderTable } from '../../../../shared/sweep/render-table.ts';
import { assembleReport, countCalls } from '../../../../shared/sweep/run-sweep.ts';
import { headroomReport } from '../../../support/headroom-report.ts';
import { clusterReport, mixedReport, reportFinding } from '../../../support/sweep-report.ts';

const f = reportFinding;
const cluster = clusterReport;
const report = mixedReport;

describe('terminal table', () => {
  it('open findings first, most severe first, each with its fix hint; then errors and passing clusters', () => {
    const out = renderTable(report());
    const order = ['x:high', 'x:low', 'x:fixed'].map((id) => out.indexOf(`title ${id}`));
    assert.deepEqual([...order].sort((a, b) => a - b), order);
    assert.match(out, /fix: hint x:high/);
    assert.match(out, /! c \(eu-west-1\): error — AccessDeniedException: no/);
    assert.match(out, /passing: b/);
    assert.match(out, /Clusters: 3 \(1 pass, 1 fail, 1 error\)/);
  });

  it('changesOnly stops after the summary and the changes: no finding rows (a second sweep in the same terminal)', () => {
    const out = renderTable(report(), undefined, { changesOnly: true });
    assert.match(out, /Clusters: 3 \(1 pass, 1 fail, 1 error\)/);
    assert.doesNotMatch(out, /title x:high|passing: b/);
  });

  it('escapes control characters and bidi overrides from tag values and names (the HTML report escapes too)', () => {
    const evil = { ...f('x:evil', 'high', 'open'), title: 'tag \u001b[2J\u001b]0;pwned\u0007 value\rFAKE \u202emid\u009b', fixHint: 'hint\nnext', resource: { type: 'security-group' as const, id: 'sg-1\u001b[31m' } };
    const r = assembleReport([{ scope: { account: '111122223333', region: 'eu-west-1' }, clusters: [cluster('a\u0008b', [evil]), { ...cluster('c', []), status: 'error', error: 'boom\u001b[0m' }] }],
      { sweepId: 'id-2', startedAt: new Date(0), finishedAt: new Date(1), config: loadConfig({}), trigger: 'cli', checks: [], calls: countCalls([]) });
    const out = renderTable(r);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(out, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/, 'no raw control character but the line breaks');
    assert.match(out, /tag \\u\{1b\}\[2J\\u\{1b\}\]0;pwned\\u\{7\} value\\u\{d\}FAKE \\u\{202e\}mid\\u\{9b\}/);
    assert.match(out, /fix: hint\\u\{a\}next/);
    assert.match(out, /a\\u\{8\}b/);
    assert.match(out, /boom\\u\{1b\}\[0m/);
  });

  it('can leave out fix hints and count the rows below a severity', () => {
    const out = renderTable(report(), undefined, { fixHints: false, minSeverity: 'high' });
    assert.doesNotMatch(out, /fix:/);
    assert.doesNotMatch(out, /title x:low/);
    assert.match(out, /… and 1 finding below high/);
  });
});

describe('LoadBalancer headroom in the report', () => {
  it('the table lists each tagged group with its rules and the Services that still fit', () => {
    const out = renderTable(headroomReport());
    assert.match(out, /LoadBalancer headroom/);
    assert.match(out, /prod {2}sg-cluster \(eks-cluster-sg-prod\) {2}12\/60 inbound rules · ~16 more Services/);
    assert.match(out, /sg-full {2}60\/60 inbound rules · ~0 more Services/);
  });
});
