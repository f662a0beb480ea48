/**
 * The retry budget of a contended write: how many conditional writes it may try, and
 * the jittered exponential backoff between them ("full jitter": a uniform draw below
 * an exponentially growing cap, so racing writers spread out instead of colliding
 * again in step).
 */
import { setTimeout as delay } from 'node:timers/promises';

/** Settings of the retry budget; every field has a default. */
export interface RetryOptions {
  /** Conditional writes a contended write may try before it fails (default 10). */
  readonly maxAttempts?: number;
  /** Cap of the first backoff in milliseconds; doubles each attempt (default 10). */
  readonly baseDelayMs?: number;
  /** Largest backoff cap in milliseconds (default 500). */
  readonly maxDelayMs?: number;
  /** Waits between attempts; injectable for tests. */
  readonly sleep?: (ms: number) => Promise<unknown>;
  /** A uniform draw in [0, 1); injectable for tests. */
  readonly random?: () => number;
}

/** A retry budget with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

/**
 * Fills in the defaults of a retry budget.
 *
 * @throws RangeError when a setting is not a usable number
 * @example
 * retryPolicy({ maxAttempts: 3, sleep: async () => {} });
 */
export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  const policy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 10, maxDelayMs: 500, sleep: delay, random: Math.random, ...options };
  if (!Number.isSafeInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new RangeError(`retry.maxAttempts must be a whole number ≥ 1, got ${policy.maxAttempts}`);
  if (!(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= policy.baseDelayMs)) {
    throw new RangeError(`retry delays must satisfy 0 ≤ baseDelayMs ≤ maxDelayMs, got ${policy.baseDelayMs} and ${policy.maxDelayMs}`);
  }
  return policy;
}

/**
 * The wait before the next attempt after `failures` failed ones: a random fraction of
 * `min(maxDelayMs, baseDelayMs · 2^(failures − 1))`.
 *
 * @example
 * backoffDelay(3, retryPolicy({ random: () => 0.5 })); // 0.5 × 40 = 20 ms
 */
export function backoffDelay(failures: number, policy: RetryPolicy): number {
  return policy.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
}
