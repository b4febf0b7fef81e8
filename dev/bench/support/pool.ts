/** Runs `fn` over `items` with n workers; the first error stops them all taking more, and is thrown once every worker has stopped. */
export async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  await Promise.all(Array.from({ length: n }, async () => {
    while (failure === undefined && next < items.length) {
      try {
        await fn(items[next++]!);
      } catch (err) {
        failure ??= err;
      }
    }
  }));
  if (failure !== undefined) throw failure;
}
