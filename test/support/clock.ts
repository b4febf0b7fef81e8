import type { Clock } from '../../shared/notify/clock.ts';

/**
 * A clock that moves only when the code under test sleeps: every sleep is recorded and returns at once,
 * so tests check the waits requested (and times read from this clock), never the real spacing of calls.
 */
export class ManualClock implements Clock {
  readonly sleeps: number[] = [];
  private t: number;

  constructor(start = Date.parse('2026-11-26T08:00:00Z')) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
  }
}
