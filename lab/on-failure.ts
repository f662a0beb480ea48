/**
 * The message a stream event source mapping sends to its on-failure destination when it
 * gives up on records: batch information only, not the records (the shape of
 * test/fixtures/aws-on-failure-destination-message.json, from Lambda's documentation).
 */
import { uuidOf } from './draw';
import type { CapturedRecord } from './stream';

/** Why records were discarded. */
export const DiscardCondition = {
  RetryAttemptsExhausted: 'RetryAttemptsExhausted',
  RecordAgeExceeded: 'RecordAgeExceeded',
} as const;
export type DiscardCondition = (typeof DiscardCondition)[keyof typeof DiscardCondition];

/** The on-failure destination message of a DynamoDB stream batch. */
export interface OnFailureMessage {
  readonly requestContext: { readonly requestId: string; readonly functionArn: string; readonly condition: DiscardCondition; readonly approximateInvokeCount: number };
  readonly responseContext: { readonly statusCode: number; readonly executedVersion: string; readonly functionError: string | null };
  readonly version: '1.0';
  readonly timestamp: string;
  readonly DDBStreamBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    readonly approximateArrivalOfFirstRecord: string;
    readonly approximateArrivalOfLastRecord: string;
    readonly batchSize: number;
    readonly streamArn: string;
  };
}

/** What the mapping knows when it discards records. */
export interface Discard {
  readonly records: readonly CapturedRecord[];
  readonly shardId: string;
  readonly streamArn: string;
  readonly functionArn: string;
  readonly condition: DiscardCondition;
  /** Invocations made for these records (0 when they expired before any). */
  readonly invocations: number;
  /** True when the last invocation threw (`Unhandled`), false when it answered. */
  readonly threw: boolean;
  /** Virtual epoch ms. */
  readonly at: number;
}

const seconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Builds the on-failure message of discarded records.
 *
 * @example
 * const body = JSON.stringify(onFailureMessage({ records, shardId, streamArn, functionArn, condition: 'RetryAttemptsExhausted', invocations: 11, threw: true, at }));
 */
export function onFailureMessage(discard: Discard): OnFailureMessage {
  const first = discard.records[0] as CapturedRecord;
  const last = discard.records[discard.records.length - 1] as CapturedRecord;
  const sequence = (record: CapturedRecord): string => record.record.dynamodb?.SequenceNumber ?? '';
  return {
    requestContext: {
      requestId: uuidOf(`${discard.streamArn}\n${sequence(first)}\n${discard.at}`),
      functionArn: discard.functionArn,
      condition: discard.condition,
      approximateInvokeCount: discard.invocations,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: discard.threw ? 'Unhandled' : null },
    version: '1.0',
    timestamp: new Date(discard.at).toISOString(),
    DDBStreamBatchInfo: {
      shardId: discard.shardId,
      startSequenceNumber: sequence(first),
      endSequenceNumber: sequence(last),
      approximateArrivalOfFirstRecord: seconds(first.at),
      approximateArrivalOfLastRecord: seconds(last.at),
      batchSize: discard.records.length,
      streamArn: discard.streamArn,
    },
  };
}
