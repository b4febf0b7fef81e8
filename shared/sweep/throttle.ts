import { classifyError, errorCode } from '../aws/errors.ts';

export interface BackoffOptions {
  /** Attempts per unit of work, the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { attempts: 5, baseMs: 500, maxMs: 20_000 };

const THROTTLING = /Throttl|RequestLimitExceeded|TooManyRequests|SlowDown|RequestThrottled/;

export function isThrottling(err: unknown): boolean {
  return THROTTLING.test(errorCode(err));
}

/**
 * Runs `items` through `work` with at most `concurrency` in flight. EC2 throttles per account and region
 * (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html), so its token buckets are shared
 * with the clusters' own controllers: when one worker is throttled every worker pauses (a shared gate) and
 * the pool shrinks by one until the sweep ends; retryable errors back off exponentially with full jitter.
 * An item that still fails is handed to `onError` and the sweep goes on.
 */
export async function runPool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
  onError: (item: T, err: unknown) => R,
  backoff: BackoffOptions = DEFAULT_BACKOFF,
): Promise<{ results: R[]; throttled: number; retries: number }> {
  const sleep = backoff.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = backoff.random ?? Math.random;
  const results = new Array<R>(items.length);
  let next = 0;
  let limit = Math.max(1, Math.floor(concurrency));
  let active = 0;
  let gateUntil = 0;
  let throttled = 0;
  let retries = 0;

  const runOne = async (item: T): Promise<R> => {
    for (let attempt = 1; ; attempt++) {
      const wait = gateUntil - Date.now();
      if (wait > 0) await sleep(wait);
      try {
        return await work(item);
      } catch (err) {
        if (classifyError(err) !== 'retryable' || attempt >= backoff.attempts) return onError(item, err);
        retries++;
        const delay = Math.floor(random() * Math.min(backoff.maxMs, backoff.baseMs * 2 ** attempt));
        if (isThrottling(err)) {
          throttled++;
          limit = Math.max(1, limit - 1);
          gateUntil = Math.max(gateUntil, Date.now() + delay);
        }
        await sleep(delay);
      }
    }
  };

  await new Promise<void>((resolve) => {
    const pump = () => {
      if (next >= items.length && active === 0) return resolve();
      while (active < limit && next < items.length) {
        const index = next++;
        active++;
        void runOne(items[index]!).then((r) => {
          results[index] = r;
          active--;
          pump();
        });
      }
    };
    pump();
  });
  return { results, throttled, retries };
}
