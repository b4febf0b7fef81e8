import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runPool } from '../../../../shared/sweep/throttle.ts';

const err = (name: string) => Object.assign(new Error(name), { name });
const noSleep = { attempts: 4, baseMs: 100, maxMs: 1000, sleep: async () => undefined, random: () => 0.5 };

describe('runPool', () => {
  it('never runs more than the limit at once and keeps the order of results', async () => {
    let active = 0;
    let peak = 0;
    const { results } = await runPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5 * (8 - n)));
      active--;
      return n * 10;
    }, () => -1, noSleep);
    assert.equal(peak, 3);
    assert.deepEqual(results, [10, 20, 30, 40, 50, 60, 70]);
  });

  it('backs off on throttling, shrinks the pool, and succeeds on a later attempt', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const { results, throttled, retries } = await runPool(['a'], 4, async () => {
      if (++calls < 3) throw err('ThrottlingException');
      return 'ok';
    }, () => 'gave up', { ...noSleep, sleep: async (ms) => { sleeps.push(ms); } });
    assert.deepEqual(results, ['ok']);
    assert.equal(throttled, 2);
    assert.equal(retries, 2);
    assert.ok(sleeps.some((ms) => ms >= 100) && sleeps.some((ms) => ms >= 200), `exponential delays: ${sleeps}`);
  });

  it('hands a non-retryable error to onError at once, and a retryable one after the last attempt', async () => {
    let denied = 0;
    let throttledCalls = 0;
    const { results } = await runPool(['denied', 'throttled', 'fine'], 2, async (x) => {
      if (x === 'denied') { denied++; throw err('AccessDeniedException'); }
      if (x === 'throttled') { throttledCalls++; throw err('RequestLimitExceeded'); }
      return x;
    }, (x, e) => `${x}:${(e as Error).name}`, noSleep);
    assert.deepEqual(results, ['denied:AccessDeniedException', 'throttled:RequestLimitExceeded', 'fine']);
    assert.equal(denied, 1);
    assert.equal(throttledCalls, 4);
  });

  it('an empty list resolves at once', async () => {
    assert.deepEqual((await runPool([], 2, async () => 1, () => 0)).results, []);
  });
});
