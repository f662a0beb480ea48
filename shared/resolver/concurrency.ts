/**
 * Bounded parallelism: at most `limit` calls in flight, started in input order.
 */

/**
 * Maps `items` through the async `work` with at most `limit` calls running at once;
 * results come back in input order. The first rejection rejects the whole map without
 * waiting for the calls in flight, so `work` should catch what it can handle.
 *
 * @example
 * const outcomes = await mapConcurrently(groups, 16, (group) => processGroup(group));
 */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T, index);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}
