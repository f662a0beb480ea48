/**
 * Exponential backoff with full jitter (as the AWS SDK's own retry strategy uses): the
 * n-th wait is uniform in [0, min(cap, base × 2^(n-1))], so retries of many records
 * that failed together spread out instead of colliding again.
 */

/** Backoff settings. */
export interface Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
  /** A number in [0, 1). */
  readonly random: () => number;
}

/**
 * The wait before retry number `retry` (1 for the first retry), in whole milliseconds.
 *
 * @example
 * backoffDelay({ baseMs: 25, maxMs: 1000, random: Math.random }, 3); // in [0, 100]
 */
export function backoffDelay({ baseMs, maxMs, random }: Backoff, retry: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(retry - 1, 0));
  return Math.round(random() * ceiling);
}
