import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSweepInput } from '../../../../shared/sweep/input.ts';

const item = { scope: { region: 'us-east-1', roleArn: 'arn:aws:iam::111122223333:role/eks-guardrails-member', externalId: 'x' }, clusters: ['a', 'b'] };

describe('sweep input', () => {
  it('accepts what the schedule and SweepStateMachine send (template.yaml)', () => {
    assert.deepEqual(parseSweepInput({ phase: 'start', source: 'eks-guardrails.schedule' }), { phase: 'start', source: 'eks-guardrails.schedule' });
    assert.equal(parseSweepInput({ phase: 'start' }).phase, 'start');
    assert.equal(parseSweepInput({ phase: 'batch', sweepId: 's-1', index: 0, item }).phase, 'batch');
    const finish = parseSweepInput({
      phase: 'finish', sweepId: 's-1', startedAt: '2026-11-26T07:00:00.000Z', items: [item, item],
      partials: [{ index: 0, key: 'partials/s-1/00000.json', clusters: 2 }, { failed: true, index: 1, item, error: { Error: 'Lambda.Unknown', Cause: 'timeout' } }],
    });
    assert.equal(finish.phase === 'finish' && finish.partials.length, 2);
  });

  for (const [label, input, message] of [
    ['no phase', { hello: 'world' }, /accepts only .*no "phase" \(keys: hello\)/],
    ['not an object', 'start', /accepts only .*got string/],
    ['an unknown field', { phase: 'batch', sweepId: 's', index: 0, item, extra: 1 }, /\(root\): unknown field "extra"/],
    ['an empty batch', { phase: 'batch', sweepId: 's', index: 0, item: { ...item, clusters: [] } }, /item\.clusters: expected at least 1 item/],
    ['a bad region', { phase: 'batch', sweepId: 's', index: 0, item: { ...item, scope: { region: 'moon' } } }, /item\.scope\.region/],
    ['hints outside its own sweep\'s prefix', { phase: 'batch', sweepId: 's', index: 0, item: { ...item, hintsKey: 'reports/latest.json' } }, /item\.hintsKey: must be a key under partials\/s\//],
    ['a wrong schedule source', { phase: 'start', source: 'aws.events' }, /source: expected "eks-guardrails.schedule"/],
  ] as const) {
    it(`rejects ${label}, saying which field`, () => {
      assert.throws(() => parseSweepInput(input), (err: Error & { code?: string }) => err.code === 'InvalidEvent' && message.test(err.message) && /nothing was swept/.test(err.message));
    });
  }
});
