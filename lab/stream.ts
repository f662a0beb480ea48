/**
 * One region's DynamoDB stream, as AWS produces it (NEW_AND_OLD_IMAGES): a record per
 * write that changed an item, on the shard its key hashes to, with sequence numbers
 * that grow per shard. Records stay in memory for the whole run: the event source
 * mapping reads them, and the checker and the report read them afterwards.
 */
import { createHash } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID } from '../local/client-config';
import { canonicalJson, type AttributeMap } from '../shared/dynamodb/attribute-value';
import { itemSizeBytes } from '../shared/resolver/item-size';

/** Who made a write that a record shows. */
export const WriteOrigin = {
  /** A client of the region (an application, the resolver): replicated to the other regions. */
  Local: 'local',
  /** Replication from another region. */
  Replica: 'replica',
  /** The TTL service deleting an expired item. */
  Ttl: 'ttl',
} as const;
export type WriteOrigin = (typeof WriteOrigin)[keyof typeof WriteOrigin];

/** The `userIdentity` of records of deletes made by TTL. */
export const TTL_USER_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' } as const;

/** A change to one item, as captured around a write. */
export interface ItemChange {
  readonly key: AttributeMap;
  /** Undefined when the item did not exist. */
  readonly oldImage: AttributeMap | undefined;
  /** Undefined when the write deleted the item. */
  readonly newImage: AttributeMap | undefined;
  readonly origin: WriteOrigin;
  /** The client operation that made a local write (from its requests' header); absent for the resolver's. */
  readonly operation?: string;
}

/** A record with what the lab knows of it beyond what AWS shows. */
export interface CapturedRecord extends ItemChange {
  readonly record: DynamoDBRecord;
  readonly region: string;
  readonly shard: number;
  /** Virtual time of the write, in epoch ms. */
  readonly at: number;
  /** `canonicalJson(key)`: the item's identity across regions. */
  readonly keyId: string;
}

/** Names of one stream. */
export interface StreamIdentity {
  readonly region: string;
  readonly table: string;
  /** Virtual epoch ms when the stream was enabled: its ARN label. */
  readonly createdMs: number;
  readonly shards: number;
}

/** Listens to records appended to a stream. */
export type RecordListener = (record: CapturedRecord) => void;

/** One shard: its id and its records in sequence order. */
export interface Shard {
  readonly index: number;
  readonly id: string;
  readonly records: CapturedRecord[];
}

/**
 * The stream ARN of a table's stream, as DynamoDB names it.
 *
 * @example
 * streamArn({ region: 'eu-west-1', table: 'concord-lab', createdMs: 0, shards: 1 });
 * // arn:aws:dynamodb:eu-west-1:000000000000:table/concord-lab/stream/1970-01-01T00:00:00.000
 */
export function streamArn(identity: Pick<StreamIdentity, 'region' | 'table' | 'createdMs'>): string {
  return `arn:aws:dynamodb:${identity.region}:${LOCAL_ACCOUNT_ID}:table/${identity.table}/stream/${new Date(identity.createdMs).toISOString().replace('Z', '')}`;
}

/** A region's stream. */
export class RegionStream {
  readonly arn: string;
  readonly shards: readonly Shard[];
  private readonly listeners: RecordListener[] = [];
  private appended = 0;

  constructor(readonly identity: StreamIdentity) {
    this.arn = streamArn(identity);
    this.shards = Array.from({ length: identity.shards }, (_, index) => ({ index, id: shardId(identity, index), records: [] }));
  }

  /** Records appended so far, all shards. */
  get size(): number {
    return this.appended;
  }

  /** Calls `listener` with every record appended from now on. */
  subscribe(listener: RecordListener): void {
    this.listeners.push(listener);
  }

  /** Every record of every shard, in the order they were written. */
  records(): CapturedRecord[] {
    return this.shards.flatMap((shard) => shard.records).sort((a, b) => a.at - b.at || sequenceOrder(a, b));
  }

  /**
   * Appends the record of `change`, written at virtual time `at`.
   *
   * @example
   * stream.append({ key, oldImage, newImage, origin: WriteOrigin.Local }, scheduler.now);
   */
  append(change: ItemChange, at: number): CapturedRecord {
    const keyId = canonicalJson(change.key);
    const shard = this.shards[shardOf(keyId, this.shards.length)] as Shard;
    const sequenceNumber = sequenceNumberOf(shard.index, shard.records.length + 1);
    const captured: CapturedRecord = { ...change, record: this.recordOf(change, sequenceNumber, at), region: this.identity.region, shard: shard.index, at, keyId };
    shard.records.push(captured);
    this.appended += 1;
    for (const listener of this.listeners) listener(captured);
    return captured;
  }

  private recordOf(change: ItemChange, sequenceNumber: string, at: number): DynamoDBRecord {
    const { key, oldImage, newImage } = change;
    const eventName = oldImage === undefined ? 'INSERT' : newImage === undefined ? 'REMOVE' : 'MODIFY';
    const images = { ...(newImage === undefined ? {} : { NewImage: newImage }), ...(oldImage === undefined ? {} : { OldImage: oldImage }) };
    const size = itemSizeBytes(key) + (newImage === undefined ? 0 : itemSizeBytes(newImage)) + (oldImage === undefined ? 0 : itemSizeBytes(oldImage));
    return {
      eventID: createHash('md5').update(`${this.arn}\n${sequenceNumber}`).digest('hex'),
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.identity.region,
      ...(change.origin === WriteOrigin.Ttl ? { userIdentity: { ...TTL_USER_IDENTITY } } : {}),
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(at / 1000),
        Keys: key,
        ...images,
        SequenceNumber: sequenceNumber,
        SizeBytes: size,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: this.arn,
    } as DynamoDBRecord;
  }
}

/** Compares two records of one stream by shard, then sequence number. */
function sequenceOrder(a: CapturedRecord, b: CapturedRecord): number {
  return a.shard - b.shard || compareSequenceNumbers(a.record.dynamodb?.SequenceNumber ?? '', b.record.dynamodb?.SequenceNumber ?? '');
}

/**
 * Compares sequence numbers as the numbers they are.
 *
 * @example
 * compareSequenceNumbers('9', '10'); // negative
 */
export function compareSequenceNumbers(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The shard a key hashes to. */
function shardOf(keyId: string, shards: number): number {
  return createHash('md5').update(keyId).digest().readUInt32BE(0) % shards;
}

/** A 25-digit sequence number like AWS's: a shard prefix, then a counter that grows per shard. */
function sequenceNumberOf(shard: number, counter: number): string {
  return `1${String(shard).padStart(3, '0')}${String(counter).padStart(21, '0')}`;
}

function shardId(identity: StreamIdentity, index: number): string {
  const suffix = createHash('md5').update(`${identity.region}/${identity.table}/${index}`).digest('hex').slice(0, 8);
  return `shardId-${String(identity.createdMs).padStart(20, '0')}-${suffix}`;
}
