/**
 * The invocation's deadline, from Lambda's `getRemainingTimeInMillis()`: a reserve is
 * kept for publishing the audit events of finished keys and answering with a partial
 * batch response, rather than being cut off at the timeout with nothing reported. No
 * key starts with less than the reserve left; DynamoDB calls still running when half of
 * it is left are abandoned (their records fail and are retried). Without the function
 * (the lab's virtual clock, a test calling the handler directly) there is no deadline.
 */
import { setMaxListeners } from 'node:events';
import type { Context } from 'aws-lambda';
import { DeadlineReachedError } from '../errors';

/** What the deadline reads from the Lambda context. */
export type RemainingTime = Partial<Pick<Context, 'getRemainingTimeInMillis'>> | undefined;

/** One invocation's deadline. */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly remaining: (() => number) | undefined;
  private readonly timer: NodeJS.Timeout | undefined;

  /**
   * Starts watching the remaining time of `lambda`, keeping `reserveMs`.
   *
   * @example
   * const deadline = new Deadline(lambdaContext, 10_000);
   * try { if (deadline.allowsNewKey()) await work(deadline.signal); } finally { deadline.stop(); }
   */
  constructor(
    lambda: RemainingTime,
    private readonly reserveMs: number,
  ) {
    // Every call in flight listens to the signal: as many as the keys in flight, beyond Node's default warning of 10.
    setMaxListeners(0, this.controller.signal);
    const remaining = lambda?.getRemainingTimeInMillis;
    this.remaining = typeof remaining === 'function' ? () => remaining.call(lambda) : undefined;
    if (this.remaining === undefined) return;
    this.timer = setTimeout(() => this.controller.abort(new DeadlineReachedError(this.remainingMs())), Math.max(0, this.remaining() - reserveMs / 2));
    this.timer.unref();
  }

  /** Aborted when the calls in flight must be abandoned; undefined without a deadline. */
  get signal(): AbortSignal | undefined {
    return this.remaining === undefined ? undefined : this.controller.signal;
  }

  /** Milliseconds left in the invocation; Infinity without a deadline. */
  remainingMs(): number {
    return this.remaining === undefined ? Infinity : this.remaining();
  }

  /** True while more than the reserve is left. */
  allowsNewKey(): boolean {
    return this.remainingMs() > this.reserveMs;
  }

  /** Stops the timer (the batch's keys are done). */
  stop(): void {
    clearTimeout(this.timer);
  }
}
