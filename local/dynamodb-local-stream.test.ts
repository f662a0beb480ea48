/**
 * Each departure of DynamoDB Local's stream from AWS's, repaired by `lambdaRecordOf`
 * (the records here are shaped as DynamoDB Local 3.3.0 returns them; the engine suites
 * read the same departures from the running engine).
 */
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { lambdaRecordOf } from './dynamodb-local-stream';

const STREAM_ARN = 'arn:aws:dynamodb:ddblocal:000000000000:table/concord-dev/stream/2026-01-01T00:00:00.000';
const REGION = 'eu-west-1';
/** 2026-01-01T00:05:00Z, a whole minute. */
const MINUTE = new Date(Date.UTC(2026, 0, 1, 0, 5));
const KEY = { pk: { S: 'CART#1' }, sk: { S: 'CART' } };

/** A record as DynamoDB Local's stream gives it, with `changes` applied. */
function engineRecord(changes: Partial<_Record> = {}, images: Partial<NonNullable<_Record['dynamodb']>> = {}): _Record {
  return {
    eventID: '0eeb5846-5948-47e5-aff1-4c17f9ca8f81',
    eventName: 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ddblocal',
    dynamodb: { ApproximateCreationDateTime: MINUTE, Keys: KEY, OldImage: { ...KEY }, NewImage: { ...KEY, n: { N: '1' } }, SequenceNumber: '000000000000000000002', SizeBytes: 26, StreamViewType: 'NEW_AND_OLD_IMAGES', ...images },
    ...changes,
  };
}

const readAt = (secondsIntoMinute: number): { region: string; readAtMs: number } => ({ region: REGION, readAtMs: MINUTE.getTime() + secondsIntoMinute * 1000 });

describe('lambdaRecordOf repairs DynamoDB Local', () => {
  it('gives an empty map its "M", at any depth', () => {
    // Prepare
    const raw = engineRecord({}, { NewImage: { ...KEY, crdt: { M: { items: {} } }, tags: { L: [{}] }, empty: {} } as never });

    // Act
    const record = lambdaRecordOf(raw, STREAM_ARN, readAt(0));

    // Assess
    expect(record.dynamodb?.NewImage).toEqual({ ...KEY, crdt: { M: { items: { M: {} } } }, tags: { L: [{ M: {} }] }, empty: { M: {} } });
  });

  it('names a TTL deletion REMOVE and gives it the TTL service identity', () => {
    // Prepare
    const raw = engineRecord({ eventName: 'UNKNOWN_TO_SDK_VERSION' as never }, { NewImage: undefined });

    // Act
    const record = lambdaRecordOf(raw, STREAM_ARN, readAt(0));

    // Assess
    expect({ name: record.eventName, identity: record.userIdentity }).toEqual({ name: 'REMOVE', identity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } });
  });

  it('refuses an unknown event name on a record that is not a deletion', () => {
    // Prepare
    const raw = engineRecord({ eventName: 'UPSERT' as never });

    // Act
    const repair = (): unknown => lambdaRecordOf(raw, STREAM_ARN, readAt(0));

    // Assess
    expect(repair).toThrow('has event name "UPSERT", which is not a TTL deletion');
  });

  it.each([
    ['read 12 s into the minute', 12, 12],
    ['read a minute and more later', 75, 59],
  ])('puts the creation time cut to the minute back within its minute, not after the read (%s)', (_, secondsIntoMinute, expected) => {
    // Act
    const record = lambdaRecordOf(engineRecord(), STREAM_ARN, readAt(secondsIntoMinute));

    // Assess
    expect(record.dynamodb?.ApproximateCreationDateTime).toBe(MINUTE.getTime() / 1000 + expected);
  });

  it('names the region the engine stands in for, in awsRegion and in the stream ARN', () => {
    // Act
    const record = lambdaRecordOf(engineRecord(), STREAM_ARN, readAt(0));

    // Assess
    expect({ region: record.awsRegion, arn: record.eventSourceARN }).toEqual({ region: REGION, arn: STREAM_ARN.replace(':ddblocal:', `:${REGION}:`) });
  });

  it('keeps everything else as the engine gave it', () => {
    // Act
    const record = lambdaRecordOf(engineRecord(), STREAM_ARN, readAt(0));

    // Assess
    expect(record).toEqual({
      eventID: '0eeb5846-5948-47e5-aff1-4c17f9ca8f81',
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: REGION,
      dynamodb: { ApproximateCreationDateTime: MINUTE.getTime() / 1000, Keys: KEY, OldImage: KEY, NewImage: { ...KEY, n: { N: '1' } }, SequenceNumber: '000000000000000000002', SizeBytes: 26, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      eventSourceARN: STREAM_ARN.replace(':ddblocal:', `:${REGION}:`),
    });
  });
});
