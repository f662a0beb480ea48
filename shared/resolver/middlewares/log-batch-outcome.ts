/**
 * Middleware: one log line per invocation about what Lambda will do next: nothing
 * (all records done), resume from the lowest failed sequence number, or retry the
 * whole batch (the handler threw).
 */
import type { MiddlewareObj, Request } from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';

/** Options of {@link logBatchOutcome}. */
export interface LogBatchOutcomeOptions {
  readonly logger: Logger;
}

/**
 * Creates the middleware.
 *
 * @throws TypeError when no logger is given
 * @example
 * middy(handler).use(logBatchOutcome({ logger }));
 */
export function logBatchOutcome(options: LogBatchOutcomeOptions): MiddlewareObj<DynamoDBStreamEvent, DynamoDBBatchResponse> {
  const logger = options?.logger;
  if (logger === undefined || typeof logger.warn !== 'function' || typeof logger.error !== 'function') throw new TypeError('logBatchOutcome: options.logger must be a Powertools Logger');

  function logBatchOutcomeAfter(request: Request<DynamoDBStreamEvent, DynamoDBBatchResponse>): void {
    const failures = request.response?.batchItemFailures ?? [];
    if (failures.length === 0) return;
    logger.warn('batch partly failed; Lambda resumes from the lowest failed sequence number', {
      records: request.event.Records.length,
      failedSequenceNumbers: failures.map((failure) => failure.itemIdentifier),
    });
  }

  function logBatchOutcomeOnError(request: Request<DynamoDBStreamEvent, DynamoDBBatchResponse>): void {
    logger.error('batch failed as a whole; Lambda retries all of it', { records: (request.event as { Records?: unknown[] } | null)?.Records?.length ?? null, error: request.error });
  }

  return { after: logBatchOutcomeAfter, onError: logBatchOutcomeOnError };
}
