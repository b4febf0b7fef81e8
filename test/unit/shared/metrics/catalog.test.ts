import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { IGNORE_REASONS, METRICS, SLACK_RETRY_REASONS, type MetricSpec } from '../../../../shared/metrics/catalog.ts';

const doc = readFileSync(new URL('../../../../docs/operations.md', import.meta.url), 'utf8');

describe('docs/operations.md and the metric catalog', () => {
  it('documents every metric with its dimension (and rollup), and nothing the functions do not emit', () => {
    const rows = new Map([...doc.matchAll(/^\| `([A-Za-z]+)` \| ([^|]+) \|/gm)].map((m) => [m[1]!, m[2]!.trim()]));
    for (const [name, spec] of Object.entries(METRICS) as [string, MetricSpec][]) {
      const row = rows.get(name);
      assert.ok(row, `${name} has a row`);
      assert.equal(row, spec.dimension ? `\`${spec.dimension}\`${spec.rollup ? ' (+ rollup)' : ''}` : 'none', name);
    }
    const documented = [...rows.keys()].filter((k) => /^[A-Z]/.test(k));
    assert.deepEqual(documented.sort(), [...Object.keys(METRICS), 'ColdStart'].sort());
  });

  it('lists every value of the reason dimensions', () => {
    for (const r of IGNORE_REASONS) assert.match(doc, new RegExp(`\`${r}\``), r);
    for (const r of SLACK_RETRY_REASONS) assert.match(doc, new RegExp(`\`${r}\``), r);
  });
});
