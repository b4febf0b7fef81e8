/**
 * Time as the notifier sees it — the pacer's spacing, Retry-After waits, backoffs and hold-offs. Injected so
 * tests assert on the waits the code asks for instead of measuring real gaps on a busy machine.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};
