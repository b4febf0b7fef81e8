import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeState } from '../../../../shared/notify/format.ts';

describe('before → after, in words', () => {
  it('shows a long list of rules by their labels, five of them, and how many more', () => {
    const rules = Array.from({ length: 42 }, (_, i) => ({ ruleId: `sgr-${i}`, rule: `tcp 32000 from 10.0.0.${i}/32`, reason: 'NLB deleted' }));
    assert.equal(describeState({ rules }), 'rules: tcp 32000 from 10.0.0.0/32, tcp 32000 from 10.0.0.1/32, tcp 32000 from 10.0.0.2/32, tcp 32000 from 10.0.0.3/32, tcp 32000 from 10.0.0.4/32 (+37 more)');
    assert.equal(describeState({ selfRule: 'absent', cidrs: [] }), 'selfRule: absent; cidrs: (none)');
    assert.equal(describeState(null), '—');
    assert.ok(describeState({ blob: 'x'.repeat(1000) }).length <= 400);
  });
});
