/**
 * The lab's own errors: a misuse of the virtual clock, and the crash the lab injects
 * into a handler. Each sets `name` to a literal and keeps its cause.
 */

/** Base class of every error the lab throws on purpose. */
export class LabError extends Error {
  override readonly name: string = 'LabError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A task gave the virtual clock back while another task held it: something inside one
 * task ran two branches at once (e.g. a resolver with `CONCORD_CONCURRENCY` above 1),
 * which would let the order in which real I/O settles leak into the results.
 */
export class ConcurrentTaskError extends LabError {
  override readonly name = 'ConcurrentTaskError';
  constructor(readonly task: string) {
    super(`task ${task} yielded the virtual clock outside its turn: a scheduled task must run one branch at a time`);
  }
}

/** The fault the lab injects: the handler process died after part of a batch was processed. */
export class InjectedCrashError extends LabError {
  override readonly name = 'InjectedCrashError';
  constructor(
    readonly processed: number,
    readonly batchSize: number,
  ) {
    super(`injected crash: the handler died after processing ${processed} of ${batchSize} records`);
  }
}
