import { UnreadableMessageError } from '../../../shared/errors';
import { fixture } from '../../../test/helpers/fixtures';
import { streamBatchOf } from './on-failure-message';

describe('streamBatchOf', () => {
  it("reads the batch AWS Lambda's on-failure destination message names", () => {
    // Prepare
    const { message } = fixture('aws-on-failure-destination-message.json');

    // Act
    const batch = streamBatchOf('m-1', JSON.stringify(message));

    // Assess
    expect(batch).toEqual({
      streamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/concord-prod/stream/2025-11-03T09:14:02.870',
      shardId: 'shardId-00000001767225600000-3f9a1c2b',
      startSequenceNumber: '510000000098765432101',
      endSequenceNumber: '510000000098765432144',
      batchSize: 44,
      condition: 'RetryAttemptsExhausted',
      approximateArrivalOfFirstRecord: '2026-01-01T00:59:58Z',
    });
  });

  it.each([
    ['not JSON', '{', 'the body is not JSON'],
    ['a quarantine message', JSON.stringify({ reason: {}, record: {} }), 'no DDBStreamBatchInfo'],
    ['without a shard', JSON.stringify({ DDBStreamBatchInfo: { streamArn: 'a', startSequenceNumber: '1', endSequenceNumber: '2' } }), 'DDBStreamBatchInfo.shardId is missing'],
    ['with words for sequence numbers', JSON.stringify({ DDBStreamBatchInfo: { streamArn: 'a', shardId: 's', startSequenceNumber: 'one', endSequenceNumber: 'two' } }), 'not numbers'],
  ])('refuses a body that is %s, naming the message', (_case, body, reason) => {
    // Act
    const read = () => streamBatchOf('m-9', body);

    // Assess
    expect(read).toThrow(UnreadableMessageError);
    expect(read).toThrow(`message m-9:`);
    expect(read).toThrow(reason);
  });
});
