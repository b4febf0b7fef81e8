import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../shared/capabilities/config.ts';
import type { ClusterReport } from '../../../shared/sweep/model.ts';
import { renderHtml } from '../../../shared/sweep/render-html.ts';
import { renderTable } from '../../../shared/sweep/render-table.ts';
import { validateSweepReport } from '../../../shared/sweep/report-schema.ts';
import { assembleReport, countCalls } from '../../../shared/sweep/run-sweep.ts';

const cluster: ClusterReport = {
  name: 'prod', account: '111122223333', region: 'eu-west-1', status: 'pass', checks: [], findings: [], durationMs: 1,
  loadBalancerHeadroom: [
    { groupId: 'sg-cluster', groupName: 'eks-cluster-sg-prod', ingressRulesUsed: 12, quota: 60, servicesThatFit: 16, rulesPerService: 3 },
    { groupId: 'sg-full', ingressRulesUsed: 60, quota: 60, servicesThatFit: 0, rulesPerService: 3 },
  ],
};
const report = () => assembleReport([{ scope: { account: '111122223333', region: 'eu-west-1' }, clusters: [cluster] }],
  { sweepId: 'id-1', startedAt: new Date(0), finishedAt: new Date(1), config: loadConfig({}), trigger: 'cli', checks: [], calls: countCalls([]) });

describe('LoadBalancer headroom in the report', () => {
  it('is valid report JSON (schema)', () => {
    assert.deepEqual(validateSweepReport(JSON.parse(JSON.stringify(report()))), { ok: true });
  });

  it('the table lists each tagged group with its rules and the Services that still fit', () => {
    const out = renderTable(report());
    assert.match(out, /LoadBalancer headroom/);
    assert.match(out, /prod {2}sg-cluster \(eks-cluster-sg-prod\) {2}12\/60 inbound rules · ~16 more Services/);
    assert.match(out, /sg-full {2}60\/60 inbound rules · ~0 more Services/);
  });

  it('the HTML shows one row per group', () => {
    const html = renderHtml(report());
    assert.match(html, /data-headroom-group="sg-cluster"><td><code>sg-cluster<\/code> eks-cluster-sg-prod<\/td><td>12 \/ 60<\/td><td>16<\/td>/);
    assert.match(html, /data-headroom-group="sg-full"/);
  });
});
