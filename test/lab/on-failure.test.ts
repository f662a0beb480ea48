/**
 * The on-failure destination message has the shape AWS sends (test/fixtures/
 * aws-on-failure-destination-message.json, written from Lambda's documentation).
 */
import { DiscardCondition, onFailureMessage } from '../../lab/on-failure';
import { RegionStream, WriteOrigin } from '../../lab/stream';
import { fixture } from '../helpers/fixtures';
import { keyOf } from '../helpers/items';

/** Every path to a leaf of a JSON value, with the leaf's type. */
function shapeOf(value: unknown, path = ''): string[] {
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => shapeOf(inner, `${path}.${key}`));
  return [`${path}: ${value === null ? 'null' : typeof value}`];
}

describe('onFailureMessage', () => {
  const documented = fixture('aws-on-failure-destination-message.json').message;
  const stream = new RegionStream({ region: 'eu-west-1', table: 'concord-lab', createdMs: Date.UTC(2025, 0, 1), shards: 1 });
  const first = stream.append({ key: keyOf('CART#1'), oldImage: undefined, newImage: { ...keyOf('CART#1'), n: { N: '1' } }, origin: WriteOrigin.Local }, Date.UTC(2025, 0, 1, 0, 0, 1));
  const last = stream.append({ key: keyOf('CART#2'), oldImage: undefined, newImage: { ...keyOf('CART#2'), n: { N: '2' } }, origin: WriteOrigin.Local }, Date.UTC(2025, 0, 1, 0, 0, 2));
  const shard = stream.shards[0];

  it('has the fields and types of the message AWS sends', () => {
    // Act
    const message = onFailureMessage({ records: [first, last], shardId: shard?.id ?? '', streamArn: stream.arn, functionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:concord-lab-resolver', condition: DiscardCondition.RetryAttemptsExhausted, invocations: 11, threw: true, at: Date.UTC(2025, 0, 1, 0, 1) });

    // Assess
    expect(shapeOf(message).sort()).toEqual(shapeOf(documented).sort());
  });

  it('names the discarded batch: shard, first and last sequence numbers, size, stream', () => {
    // Act
    const message = onFailureMessage({ records: [first, last], shardId: 'shardId-1', streamArn: stream.arn, functionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:f', condition: DiscardCondition.RecordAgeExceeded, invocations: 0, threw: false, at: Date.UTC(2025, 0, 1, 0, 1) });

    // Assess
    expect(message.DDBStreamBatchInfo).toEqual({
      shardId: 'shardId-1',
      startSequenceNumber: first.record.dynamodb?.SequenceNumber,
      endSequenceNumber: last.record.dynamodb?.SequenceNumber,
      approximateArrivalOfFirstRecord: '2025-01-01T00:00:01Z',
      approximateArrivalOfLastRecord: '2025-01-01T00:00:02Z',
      batchSize: 2,
      streamArn: stream.arn,
    });
  });

  it('says the function error when the last invocation threw', () => {
    // Act
    const message = onFailureMessage({ records: [first], shardId: 's', streamArn: stream.arn, functionArn: 'f', condition: DiscardCondition.RetryAttemptsExhausted, invocations: 3, threw: true, at: 0 });

    // Assess
    expect(message.responseContext.functionError).toBe('Unhandled');
  });
});
