/**
 * Failures that say an endpoint could not be reached at all (nothing listens, no such
 * host): every call to it will fail the same way until someone starts or fixes it.
 */

/** Node's codes for a connection that could not be made. */
const UNREACHABLE_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'] as const;
const UNREACHABLE_CODE = new RegExp(`^(${UNREACHABLE_CODES.join('|')})$`);
/** The SDK wraps an error from another realm as "AWS SDK error wrapper for Error: connect ECONNREFUSED …", keeping only its message. */
const UNREACHABLE_MESSAGE = new RegExp(`\\b(${UNREACHABLE_CODES.join('|')})\\b`);

/**
 * True when `error`, or an error in its `cause` chain, is a connection that could not be made.
 *
 * @example
 * isUnreachable(new QuarantineError(id, { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8020'), { code: 'ECONNREFUSED' }) })); // true
 */
export function isUnreachable(error: unknown): boolean {
  // Duck-typed, not `instanceof Error`: Node's own errors may come from another realm (a test runner's sandbox).
  let current = error as { code?: unknown; message?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; typeof current === 'object' && current !== null && depth < 10; depth += 1) {
    if (UNREACHABLE_CODE.test(String(current.code)) || UNREACHABLE_MESSAGE.test(String(current.message))) return true;
    current = current.cause as typeof current;
  }
  return false;
}
