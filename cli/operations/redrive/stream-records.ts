/**
 * Fetching the records of a discarded batch from the stream, while it still holds them
 * (24 hours), and handing them over as Lambda delivers them (epoch seconds, binaries in
 * base64, the stream ARN), so the resolver's logic reads them as it reads its own.
 */
import { GetRecordsCommand, GetShardIteratorCommand, type AttributeValue as SdkValue, type DynamoDBStreamsClient, type _Record } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { dict } from '../../../shared/dynamodb/dict';
import { StreamRecordsUnavailableError } from '../../../shared/errors';
import type { StreamBatch } from './on-failure-message';

/** Reads the records of a batch. */
export interface StreamBatchReader {
  /**
   * The batch's records, in stream order.
   *
   * @throws StreamRecordsUnavailableError when the stream no longer holds them all
   */
  read(batch: StreamBatch): Promise<DynamoDBRecord[]>;
}

/** Records GetRecords may return in one call. */
const PAGE = 1_000;
/** Empty pages in a row after which an open shard is taken to hold no more of the batch. */
const EMPTY_PAGES = 5;
const GONE = new Set(['TrimmedDataAccessException', 'ResourceNotFoundException']);

/** The batch's records from DynamoDB Streams. */
export class DynamoDbStreamReader implements StreamBatchReader {
  constructor(private readonly streams: DynamoDBStreamsClient) {}

  async read(batch: StreamBatch): Promise<DynamoDBRecord[]> {
    const unavailable = (reason: string, cause?: unknown): StreamRecordsUnavailableError =>
      new StreamRecordsUnavailableError(batch.streamArn, batch.shardId, batch.startSequenceNumber, batch.endSequenceNumber, reason, cause === undefined ? undefined : { cause });
    const last = BigInt(batch.endSequenceNumber);
    const records: DynamoDBRecord[] = [];
    try {
      let iterator = (await this.streams.send(new GetShardIteratorCommand({ StreamArn: batch.streamArn, ShardId: batch.shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: batch.startSequenceNumber }))).ShardIterator;
      for (let empty = 0; iterator !== undefined && empty < EMPTY_PAGES; ) {
        const page = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: PAGE }));
        for (const record of page.Records ?? []) {
          if (BigInt(record.dynamodb?.SequenceNumber ?? '0') > last) return records;
          records.push(lambdaRecordOf(record, batch.streamArn));
        }
        if (records.length > 0 && records.at(-1)?.dynamodb?.SequenceNumber === batch.endSequenceNumber) return records;
        empty = (page.Records ?? []).length === 0 ? empty + 1 : 0;
        iterator = page.NextShardIterator;
      }
    } catch (error) {
      if (error instanceof Error && GONE.has(error.name)) throw unavailable(`the stream no longer holds them (${error.name}: past its 24-hour retention, or the stream or shard is gone)`, error);
      throw error;
    }
    if (records.length === 0) throw unavailable('the stream returned none of them');
    return records;
  }
}

/**
 * A record as DynamoDB Streams returns it, in the form Lambda delivers: the creation time
 * in epoch seconds, binaries in base64, the stream's ARN as the event source.
 *
 * @example
 * const record = lambdaRecordOf(sdkRecord, 'arn:aws:dynamodb:eu-west-1:123456789012:table/concord-prod/stream/…');
 */
export function lambdaRecordOf(record: _Record, streamArn: string): DynamoDBRecord {
  const { ApproximateCreationDateTime: created, Keys, NewImage, OldImage, ...rest } = record.dynamodb ?? {};
  const images: Record<string, Record<string, AttributeValue>> = {};
  for (const [name, raw] of Object.entries({ Keys, NewImage, OldImage })) if (raw !== undefined) images[name] = mapOf(raw);
  return {
    ...(record as Omit<DynamoDBRecord, 'dynamodb'>),
    eventSourceARN: streamArn,
    dynamodb: { ...rest, ...(created === undefined ? {} : { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) }), ...images },
  } as DynamoDBRecord;
}

function mapOf(raw: Record<string, SdkValue>): Record<string, AttributeValue> {
  const converted = dict<AttributeValue>();
  for (const [name, value] of Object.entries(raw)) converted[name] = valueOf(value);
  return converted;
}

/** Bytes become base64; maps and lists are converted all the way down; other types pass as they are. */
function valueOf(value: SdkValue): AttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((member) => Buffer.from(member).toString('base64')) };
  if (value.M !== undefined) return { M: mapOf(value.M) };
  if (value.L !== undefined) return { L: value.L.map(valueOf) };
  return value as AttributeValue;
}
