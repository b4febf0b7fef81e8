import { containerCaches } from '../state/cache.ts';
import { systemClock, type Clock } from './clock.ts';
import { Pacer } from './pacer.ts';

/**
 * How this container paces its Slack posts, kept across invocations for the container's life: the pacer, so
 * posts from consecutive invocations are spaced too (Slack allows about one message per second per webhook:
 * https://api.slack.com/apis/rate-limits), and the hold-off Slack asked for (a 429 beyond this invocation, or an
 * outage), during which the rest of a batch fails fast instead of posting into the limit — the queue redelivers
 * those events later, in order. A cold container (`containerCaches.clear()`) has neither.
 */
class SlackPacing {
  readonly name = 'Slack pacing';
  private time: Clock = systemClock;
  private current: Pacer | undefined;
  private holdOffUntil = 0;

  /** Time as the notifier sees it: the pacer's spacing, Retry-After waits, backoffs and hold-offs. */
  get clock(): Clock {
    return this.time;
  }

  /**
   * From now on time is `clock` (tests pass a ManualClock). Pacing starts cold: a spacing or hold-off measured
   * on another clock means nothing on this one.
   */
  useClock(clock: Clock): void {
    this.time = clock;
    this.clear();
  }

  /** The pacer for this interval; a new one (waiting one interval from now) when the interval changed. */
  pacer(intervalMs: number): Pacer {
    if (!this.current || this.current.intervalMs !== intervalMs) this.current = new Pacer(intervalMs, this.time);
    return this.current;
  }

  /** How much longer Slack asked us to wait before posting again (0 or less: post). */
  holdOffLeftMs(): number {
    return this.holdOffUntil - this.time.now();
  }

  holdOff(ms: number): void {
    this.holdOffUntil = this.time.now() + ms;
  }

  /** Forgets the pacer and any hold-off; the clock stays (it is injected, not kept). */
  clear(): void {
    this.current = undefined;
    this.holdOffUntil = 0;
  }
}

export const slackPacing = new SlackPacing();
containerCaches.register(slackPacing);
