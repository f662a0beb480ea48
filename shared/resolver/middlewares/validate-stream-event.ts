/**
 * Middleware: rejects an invocation whose event is not a DynamoDB stream batch before
 * any work starts, with an error that says what arrived instead (handy with
 * `serverless invoke local -p <file>` and a wrong file).
 */
import type { MiddlewareObj, Request } from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { MalformedEventError } from '../../errors';

/** Options of {@link validateStreamEvent}. */
export interface ValidateStreamEventOptions {
  /** The most records a batch may hold; Lambda's limit for DynamoDB streams (10 000) unless given. */
  readonly maxRecords?: number;
}

/** Lambda's largest batch for a DynamoDB stream event source. */
export const MAX_STREAM_BATCH = 10_000;

/**
 * Creates the middleware.
 *
 * @throws TypeError when `maxRecords` is not a whole number ≥ 1
 * @example
 * middy(handler).use(validateStreamEvent());
 */
export function validateStreamEvent(options: ValidateStreamEventOptions = {}): MiddlewareObj<DynamoDBStreamEvent> {
  const maxRecords = options.maxRecords ?? MAX_STREAM_BATCH;
  if (!Number.isSafeInteger(maxRecords) || maxRecords < 1) throw new TypeError(`validateStreamEvent: maxRecords must be a whole number ≥ 1, got ${String(maxRecords)}`);

  function validateStreamEventBefore(request: Request<DynamoDBStreamEvent>): void {
    const event = request.event as unknown;
    const records = (event as { Records?: unknown } | null)?.Records;
    if (event === null || typeof event !== 'object') throw new MalformedEventError(`expected an object with a Records list, got ${JSON.stringify(event) ?? String(event)}`);
    if (!Array.isArray(records)) throw new MalformedEventError(`expected an object with a Records list, got the fields ${Object.keys(event).slice(0, 5).join(', ') || '(none)'}`);
    if (records.length > maxRecords) throw new MalformedEventError(`a batch holds at most ${maxRecords} records, got ${records.length}`);
  }

  return { before: validateStreamEventBefore };
}
