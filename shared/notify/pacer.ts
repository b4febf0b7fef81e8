/**
 * Spaces posts at least `intervalMs` apart (Slack allows about one message per second per webhook).
 * One per container: notify's queue is FIFO with one message group, so a single invocation runs at a
 * time. The clock starts when the container does, so even a fresh container after another one's post
 * waits one interval before its first post.
 */
export class Pacer {
  readonly intervalMs: number;
  private last: number;
  private readonly now: () => number;

  constructor(intervalMs: number, now: () => number = Date.now) {
    this.intervalMs = intervalMs;
    this.now = now;
    this.last = now();
  }

  /** How long the next post has to wait. */
  waitMs(): number {
    return Math.max(0, this.last + this.intervalMs - this.now());
  }

  /** Waits for the next slot and takes it. */
  async turn(): Promise<void> {
    const wait = this.waitMs();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.last = this.now();
  }
}
