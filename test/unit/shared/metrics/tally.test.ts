import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Tally } from '../../../../shared/metrics/tally.ts';

describe('Tally', () => {
  it('sums counts per metric and dimension value, and drains them in a stable order', () => {
    const t = new Tally();
    t.count('RemediationsApplied', 1, 'cluster-sg-baseline');
    t.count('Findings', 1, 'high');
    t.count('RemediationsApplied', 2, 'cluster-sg-baseline');
    t.count('RemediationsApplied', 1, 'autoscaler-discovery-tags');
    t.add([{ metric: 'Findings', value: 3, dimension: 'high' }, { metric: 'SlackPosts', value: 1 }]);
    assert.deepEqual(t.drain(), [
      { metric: 'Findings', value: 4, dimension: 'high' },
      { metric: 'RemediationsApplied', value: 1, dimension: 'autoscaler-discovery-tags' },
      { metric: 'RemediationsApplied', value: 3, dimension: 'cluster-sg-baseline' },
      { metric: 'SlackPosts', value: 1 },
    ]);
    assert.deepEqual(t.drain(), [], 'drained');
  });

  it('counts nothing for zero or nonsense values', () => {
    const t = new Tally();
    t.count('NlbRulesTrimmed', 0);
    t.count('NlbRulesTrimmed', -2);
    t.count('NlbRulesTrimmed', Number.NaN);
    assert.deepEqual(t.drain(), []);
  });

  it('never gives a metric a dimension it does not declare, and never leaves a declared one empty', () => {
    const t = new Tally();
    t.count('SlackPosts', 1, 'sg-0123456789abcdef0');
    t.count('EventsIgnored', 1, '');
    assert.deepEqual(t.drain(), [{ metric: 'EventsIgnored', value: 1, dimension: 'unknown' }, { metric: 'SlackPosts', value: 1 }]);
  });
});
