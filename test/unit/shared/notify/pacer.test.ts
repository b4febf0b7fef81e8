import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pacer } from '../../../../shared/notify/pacer.ts';
import { ManualClock } from '../../../support/clock.ts';

describe('Pacer', () => {
  it('spaces posts one interval after the previous one finished, starting from the container start', () => {
    let t = 1000;
    const pacer = new Pacer(1000, { now: () => t, sleep: async () => undefined });
    assert.equal(pacer.waitMs(), 1000, 'a fresh container waits one interval');
    t = 2500;
    assert.equal(pacer.waitMs(), 0);
    pacer.posted();
    t = 2700;
    assert.equal(pacer.waitMs(), 800);
    t = 4000;
    assert.equal(pacer.waitMs(), 0);
  });

  it('turn() sleeps on its clock for exactly the wait, and not at all when none is due', async () => {
    const clock = new ManualClock(5000);
    const pacer = new Pacer(1000, clock);
    await pacer.turn();
    pacer.posted();
    await clock.sleep(300); // the next event arrives 300 ms later
    await pacer.turn();
    pacer.posted();
    await clock.sleep(1500);
    await pacer.turn();
    assert.deepEqual(clock.sleeps, [1000, 300, 700, 1500]);
  });
});
