import { systemClock, type Clock } from './clock.ts';

/**
 * Spaces posts at least `intervalMs` apart (Slack allows about one message per second per webhook).
 * Measured from the end of one post to the start of the next. One per container: notify's queue is FIFO with one message group, so a single invocation runs at a
 * time. The clock starts when the container does, so even a fresh container after another one's post
 * waits one interval before its first post.
 */
export class Pacer {
  readonly intervalMs: number;
  private last: number;
  private readonly clock: Clock;

  constructor(intervalMs: number, clock: Clock = systemClock) {
    this.intervalMs = intervalMs;
    this.clock = clock;
    this.last = clock.now();
  }

  /** How long the next post has to wait. */
  waitMs(): number {
    return Math.max(0, this.last + this.intervalMs - this.clock.now());
  }

  /** Waits until one interval has passed since the previous post finished. */
  async turn(): Promise<void> {
    const wait = this.waitMs();
    if (wait > 0) await this.clock.sleep(wait);
  }

  /**
   * Called when a post has finished (delivered or not). Counting from the answer rather than the
   * request keeps the gap at Slack's end too, whatever the network did to the request before.
   */
  posted(): void {
    this.last = this.clock.now();
  }
}
