/**
 * The message a stream event source mapping sends to its on-failure destination when it
 * gives up on a batch (AWS Lambda's documented shape, test/fixtures/aws-on-failure-destination-message.json):
 * not the records, but where they are in the stream.
 */
import { UnreadableMessageError } from '../../../shared/errors';

/** The stream records a discarded batch held: one shard, from one sequence number to another. */
export interface StreamBatch {
  readonly streamArn: string;
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly batchSize: number;
  /** Why Lambda gave up: `RetryAttemptsExhausted`, `RecordAgeExceeded`, … */
  readonly condition: string;
  readonly approximateArrivalOfFirstRecord: string | null;
}

const DIGITS = /^\d+$/;

/**
 * The batch an on-failure message names.
 *
 * @throws UnreadableMessageError when the body is not an on-failure message of a DynamoDB stream
 * @example
 * const batch = streamBatchOf(message.messageId, message.body);
 */
export function streamBatchOf(messageId: string, body: string): StreamBatch {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new UnreadableMessageError(messageId, 'the body is not JSON', { cause: error });
  }
  const info = (parsed as { DDBStreamBatchInfo?: Record<string, unknown> } | null)?.DDBStreamBatchInfo;
  if (info === null || typeof info !== 'object') throw new UnreadableMessageError(messageId, 'not an on-failure message of a DynamoDB stream: no DDBStreamBatchInfo');
  const text = (name: string): string => {
    const value = info[name];
    if (typeof value !== 'string' || value === '') throw new UnreadableMessageError(messageId, `DDBStreamBatchInfo.${name} is missing`);
    return value;
  };
  const [startSequenceNumber, endSequenceNumber] = [text('startSequenceNumber'), text('endSequenceNumber')];
  if (!DIGITS.test(startSequenceNumber) || !DIGITS.test(endSequenceNumber)) throw new UnreadableMessageError(messageId, 'the sequence numbers are not numbers');
  const condition = (parsed as { requestContext?: { condition?: unknown } }).requestContext?.condition;
  const arrival = info.approximateArrivalOfFirstRecord;
  return {
    streamArn: text('streamArn'),
    shardId: text('shardId'),
    startSequenceNumber,
    endSequenceNumber,
    batchSize: typeof info.batchSize === 'number' ? info.batchSize : 0,
    condition: typeof condition === 'string' ? condition : 'unknown',
    approximateArrivalOfFirstRecord: typeof arrival === 'string' ? arrival : null,
  };
}
