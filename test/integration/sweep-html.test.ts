import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../shared/capabilities/config.ts';
import { seedProblemAccount } from '../../dev/local/sweep-account.ts';
import { renderHtml } from '../../shared/sweep/render-html.ts';
import { runSweep } from '../../shared/sweep/run-sweep.ts';
import { chromiumPath, renderInChromium } from '../support/chromium.ts';
import { useMoto } from '../support/moto.ts';

const env = useMoto();

describe('HTML sweep report in headless Chromium', () => {
  it('renders the summary, then each cluster with what passes and fails', async () => {
    const account = await seedProblemAccount(env.moto);
    const report = await runSweep({ config: { ...loadConfig(), mode: 'dry-run' } });
    // A hostile cluster name must stay text, never markup.
    report.clusters[0]!.findings.push({ ...report.clusters.find((c) => c.findings.length)!.findings[0]!, id: 'x:<script>alert(1)</script>', title: '<img src=x onerror=alert(1)>' });
    const dir = mkdtempSync(join(tmpdir(), 'sweep-html-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(report));
    const screenshot = process.env.SWEEP_HTML_SCREENSHOT ?? join(dir, 'report.png');

    const dom = renderInChromium(file, screenshot);
    assert.ok(statSync(screenshot).size > 10_000, 'a non-trivial screenshot');
    assert.ok(readFileSync(screenshot).subarray(1, 4).toString() === 'PNG');

    // Summary first, then one section per cluster.
    assert.ok(dom.indexOf('id="summary"') < dom.indexOf('class="cluster"'));
    assert.ok(dom.includes(`data-summary="clusters"><b>${report.summary.clusters}</b>`));
    assert.ok(dom.includes(`data-summary="failing"><b>${report.summary.clustersFailing}</b>`));
    assert.ok(dom.includes(`data-open-severity="critical"><span class="badge critical">critical</span><b>${report.summary.open.bySeverity.critical}</b>`));
    const sections = new Map([...dom.matchAll(/<section class="cluster" id="[^"]+" data-cluster="([^"]+)" data-status="([^"]+)"/g)].map((m) => [m[1], m[2]]));
    assert.equal(sections.size, report.clusters.length);
    for (const p of account.problems) assert.equal(sections.get(p.cluster), 'fail', `${p.cluster} shown failing`);
    assert.equal(sections.get('exempt'), report.clusters.find((c) => c.name === 'exempt')!.status);
    for (const p of account.problems) {
      assert.ok(dom.includes(`data-finding-id="${p.findingId}`), `finding ${p.findingId} shown`);
    }
    assert.match(dom, /data-check-status="pass" data-check-name="cluster-sg-baseline"/);
    assert.match(dom, /data-check-status="fail" data-check-name="cluster-sg-baseline"/);
    assert.match(dom, /class="hint">Add inbound all traffic from sg-/);
    // Escaped: no element was injected.
    assert.ok(!/<script>alert/.test(dom) && !/<img src="?x/.test(dom));
    assert.ok(dom.includes('&lt;img src=x onerror=alert(1)&gt;'));
  });

  it('fails loudly, with the install command, when Chromium is missing', () => {
    const saved = process.env.CHROMIUM;
    process.env.CHROMIUM = '/nonexistent/chromium';
    try {
      assert.throws(() => chromiumPath(), /apt-get update && apt-get install -y chromium/);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM;
      else process.env.CHROMIUM = saved;
    }
  });
});
