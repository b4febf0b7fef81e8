import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, renderHtml } from '../../../../shared/sweep/render-html.ts';
import { headroomReport } from '../../../support/headroom-report.ts';
import { mixedReport } from '../../../support/sweep-report.ts';

const report = mixedReport;

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
