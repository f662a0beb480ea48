/**
 * A DynamoDB Local table's stream, read with `@aws-sdk/client-dynamodb-streams` and
 * handed over as Lambda delivers a stream's records on AWS. This module is the one
 * place that knows where DynamoDB Local's stream departs from AWS's, and repairs it
 * (each repair has its test in dynamodb-local-stream.test.ts):
 *
 * - an empty map in an image comes back as `{}`, without `"M"`;
 * - a TTL deletion comes with an event name the SDK does not know
 *   (`UNKNOWN_TO_SDK_VERSION`) and no `userIdentity`;
 * - `ApproximateCreationDateTime` is cut to the minute (AWS: to the second);
 * - `awsRegion`, and the region in the stream ARN, is always `ddblocal`.
 *
 * Product code never sees DynamoDB Local's own shapes: only what this module returns.
 */
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type AttributeValue as SdkAttributeValue, type DynamoDBStreamsClient, type _Record } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';

/** The region DynamoDB Local writes in every record and stream ARN. */
export const DYNAMODB_LOCAL_REGION = 'ddblocal';

/** The `userIdentity` AWS puts on the record of a delete made by TTL. */
const TTL_USER_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' } as const;

const EVENT_NAMES = new Set(['INSERT', 'MODIFY', 'REMOVE']);
const SECONDS_PER_MINUTE = 60;
const POLL_MS = 50;

/** What a repair needs to know beyond the record. */
export interface RepairContext {
  /** The region the engine stands in for. */
  readonly region: string;
  /** When the record was read, in epoch ms: it was created in its cut minute, and not after this. */
  readonly readAtMs: number;
}

/**
 * One record as Lambda delivers it on AWS: `ApproximateCreationDateTime` in epoch seconds,
 * `eventSourceARN` added, and DynamoDB Local's departures repaired.
 *
 * @throws Error for an event name that is neither a known one nor a TTL deletion
 * @example
 * const record = lambdaRecordOf(sdkRecord, streamArn, { region: 'eu-west-1', readAtMs: Date.now() });
 */
export function lambdaRecordOf(record: _Record, streamArn: string, context: RepairContext): DynamoDBRecord {
  const stream = record.dynamodb ?? {};
  const image = (raw: Record<string, SdkAttributeValue> | undefined): Record<string, AttributeValue> | undefined => (raw === undefined ? undefined : repairImage(raw));
  const createdAt = stream.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    ...eventNameOf(record),
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: context.region,
    dynamodb: {
      ...(createdAt === undefined ? {} : { ApproximateCreationDateTime: creationSecondsOf(createdAt, context.readAtMs) }),
      Keys: image(stream.Keys),
      ...(stream.NewImage === undefined ? {} : { NewImage: image(stream.NewImage) }),
      ...(stream.OldImage === undefined ? {} : { OldImage: image(stream.OldImage) }),
      SequenceNumber: stream.SequenceNumber,
      SizeBytes: stream.SizeBytes,
      StreamViewType: stream.StreamViewType,
    },
    eventSourceARN: streamArn.replace(`:${DYNAMODB_LOCAL_REGION}:`, `:${context.region}:`),
  } as DynamoDBRecord;
}

/** The event name, and for a TTL deletion (an unknown name on a record with only an old image) the service identity too. */
function eventNameOf(record: _Record): Pick<DynamoDBRecord, 'eventName' | 'userIdentity'> {
  const name = String(record.eventName);
  if (EVENT_NAMES.has(name)) return { eventName: name as DynamoDBRecord['eventName'], ...(record.userIdentity === undefined ? {} : { userIdentity: record.userIdentity }) };
  const { OldImage, NewImage } = record.dynamodb ?? {};
  if (OldImage !== undefined && NewImage === undefined) return { eventName: 'REMOVE', userIdentity: { ...TTL_USER_IDENTITY } };
  throw new Error(`DynamoDB Local record ${record.eventID ?? '?'} has event name ${JSON.stringify(record.eventName)}, which is not a TTL deletion`);
}

/** The creation time in epoch seconds: within the minute the engine gives, and not after the read. */
function creationSecondsOf(cutToMinute: Date, readAtMs: number): number {
  const minute = Math.floor(cutToMinute.getTime() / 1000);
  return Math.min(Math.max(Math.floor(readAtMs / 1000), minute), minute + SECONDS_PER_MINUTE - 1);
}

function repairImage(image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, lambdaValueOf(value)]));
}

/**
 * A value as Lambda's JSON carries it (binaries in base64, where the SDK gives bytes),
 * with DynamoDB Local's empty map, a value with no type key, given back its `"M"`; maps
 * and lists all the way down.
 */
function lambdaValueOf(value: SdkAttributeValue): AttributeValue {
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.M !== undefined) return { M: repairImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(lambdaValueOf) };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  return value as AttributeValue;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/**
 * The stream of one DynamoDB Local table, read shard by shard from its start.
 *
 * @example
 * const stream = new DynamoDbLocalStream(streamsClient, table.LatestStreamArn, 'eu-west-1');
 * await table.put(...);
 * const [insert] = await stream.next(1);
 */
export class DynamoDbLocalStream {
  /** The next iterator of each shard seen so far (undefined: the shard is closed and read). */
  private readonly iterators = new Map<string, string | undefined>();

  /** `client` must sign for the region of the table's database, which `region` names. */
  constructor(
    private readonly client: DynamoDBStreamsClient,
    readonly arn: string,
    readonly region: string,
  ) {}

  /** The records appended since the previous read, shard by shard, each shard's in sequence order. */
  async read(): Promise<DynamoDBRecord[]> {
    await this.discoverShards();
    const records: DynamoDBRecord[] = [];
    for (const [shardId, iterator] of this.iterators) {
      if (iterator === undefined) continue;
      const page = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      const readAtMs = Date.now();
      this.iterators.set(shardId, page.NextShardIterator);
      for (const record of page.Records ?? []) records.push(lambdaRecordOf(record, this.arn, { region: this.region, readAtMs }));
    }
    return records;
  }

  /**
   * Reads until `count` records arrived since the previous read, and returns them all.
   *
   * @throws Error when fewer arrived within `timeoutMs`
   */
  next(count: number, timeoutMs?: number): Promise<DynamoDBRecord[]> {
    return this.readUntil((records) => records.length >= count, timeoutMs);
  }

  /**
   * Reads until the records read since the previous read satisfy `done` (a TTL deletion
   * takes the engine a few seconds), and returns them all.
   *
   * @throws Error when they do not within `timeoutMs`
   */
  async readUntil(done: (records: readonly DynamoDBRecord[]) => boolean, timeoutMs = 30_000): Promise<DynamoDBRecord[]> {
    const deadline = Date.now() + timeoutMs;
    const records = await this.read();
    while (!done(records)) {
      if (Date.now() > deadline) throw new Error(`the ${records.length} stream records that arrived within ${timeoutMs} ms are not the ones awaited`);
      await sleep(POLL_MS);
      records.push(...(await this.read()));
    }
    return records;
  }

  private async discoverShards(): Promise<void> {
    const described = await this.client.send(new DescribeStreamCommand({ StreamArn: this.arn }));
    for (const shard of described.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId as string;
      if (this.iterators.has(shardId)) continue;
      const start = await this.client.send(new GetShardIteratorCommand({ StreamArn: this.arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
      this.iterators.set(shardId, start.ShardIterator);
    }
  }
}
