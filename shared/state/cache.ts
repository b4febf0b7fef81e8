/**
 * State kept between invocations of one Lambda container, by name and with a stated lifetime, instead of
 * module-level variables: a reader sees what is cached and for how long, and a test starts a cold container
 * with `containerCaches.clear()` rather than reaching into a module. Lambda reuses a container's memory across
 * invocations until it is recycled (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html),
 * so nothing here may be needed for correctness — only to spare a call.
 */

/** Milliseconds since the epoch; injected where a test controls time. */
export type Now = () => number;

export interface CacheOptions {
  /** What is kept, for logs and tests: `rules-per-security-group quota`, `launch-verified ASGs`. */
  name: string;
  /** How long an entry is good for; absent = until cleared (the container's life, or a scope change). */
  ttlMs?: number;
  /** Oldest entries are dropped past this many. */
  maxEntries?: number;
  now?: Now;
}

/** A named map whose entries expire after `ttlMs` and which holds at most `maxEntries` (oldest dropped first). */
export class ContainerCache<K, V> {
  readonly name: string;
  readonly ttlMs: number | undefined;
  readonly maxEntries: number | undefined;
  private readonly entries = new Map<K, { value: V; at: number }>();
  private readonly now: Now;

  constructor(options: CacheOptions) {
    this.name = options.name;
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries;
    this.now = options.now ?? Date.now;
    containerCaches.register(this);
  }

  get(key: K, now = this.now()): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (this.ttlMs !== undefined && now - hit.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  /** When the entry was stored (its age decides whether it is still good), if it is. */
  storedAt(key: K, now = this.now()): number | undefined {
    return this.get(key, now) === undefined ? undefined : this.entries.get(key)!.at;
  }

  set(key: K, value: V, now = this.now()): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: now });
    if (this.maxEntries !== undefined) while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Every cache of this process: `clear()` is a cold container (tests, the CLI between commands, benchmarks). */
export const containerCaches = {
  all: [] as { name: string; clear(): void }[],
  register(cache: { name: string; clear(): void }): void {
    this.all.push(cache);
  },
  clear(): void {
    for (const cache of this.all) cache.clear();
  },
};
