/**
 * Bounded parallelism: at most `limit` calls in flight, started in input order.
 */

/**
 * Maps `items` through the async `work` with at most `limit` calls running at once;
 * results come back in input order. The first rejection rejects the whole map without
 * waiting for the calls in flight, so `work` should catch what it can handle.
 * `staggered`: the workers start one per turn of the event loop instead of all at once,
 * so that what the first one sends (a request) goes out before the next one starts
 * working, rather than after all of them have done their first synchronous part.
 *
 * @example
 * const outcomes = await mapConcurrently(groups, 16, (group) => processGroup(group));
 */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>, options: { readonly staggered?: boolean } = {}): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T, index);
    }
  };
  const workers: Promise<void>[] = [];
  let failed: { readonly error: unknown } | undefined;
  for (let started = 0; started < Math.max(1, Math.min(limit, items.length)); started += 1) {
    if (options.staggered === true && started > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      if (failed !== undefined) throw failed.error;
    }
    const running = worker();
    // Noted now, so that a rejection while later workers are still to start is handled.
    running.catch((error: unknown) => (failed ??= { error }));
    workers.push(running);
  }
  await Promise.all(workers);
  return results;
}
