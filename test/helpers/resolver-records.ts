/**
 * Stream records for resolver tests and the sample events: items written through
 * `applyWrite` region by region on a virtual wall clock (reproducible to the byte), and
 * the DynamoDB stream records a region would deliver for them.
 */
import { createHash } from 'node:crypto';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import exampleRules from '../../rules/example';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import type { RuleSet } from '../../shared/rules/types';
import { itemSizeBytes } from '../../shared/resolver/item-size';
import { Writers as ItemWriters } from './items';
import type { Change, UpdateChange } from '../../shared/write/change';

/** The region whose stream the records come from (the resolver's). */
export const LOCAL_REGION = 'us-east-1';
/** The other region, whose concurrent writes win last-writer-wins. */
export const REMOTE_REGION = 'eu-west-1';
export const TABLE = 'concord-dev';
/** 2024-11-29T03:33:20Z: the virtual clock starts here. */
export const T0 = 1_732_851_200_000;

/** A key of the example table. */
export function itemKey(pk: string, sk: string): AttributeMap {
  return { pk: { S: pk }, sk: { S: sk } };
}

/** The writers of the resolver's tests: a write a second, from T0. */
export class Writers extends ItemWriters {
  constructor(rules: RuleSet = exampleRules, startMs = T0) {
    super(rules, startMs, 1_000);
  }
}

/** Two versions of one item written concurrently from a common base. */
export interface ConcurrentVersions {
  readonly key: AttributeMap;
  readonly base: AttributeMap;
  /** The local region's version: the stream record's old image (the loser). */
  readonly local: AttributeMap;
  /** The remote region's later version: the new image (the winner). */
  readonly remote: AttributeMap;
  /** When the remote version arrived in the local region. */
  readonly arrivedAtMs: number;
}

/**
 * Writes a base version locally, then `localChange` in the local region and, later,
 * `remoteChange` in the remote region, both on the base: the remote write wins
 * last-writer-wins, and the local region's stream shows old = local, new = remote.
 *
 * @example
 * const { local, remote } = concurrentWrites(writers, key, base, { type: 'update', increment: { onHand: 2 } }, { type: 'update', increment: { onHand: -3 } });
 */
export function concurrentWrites(writers: Writers, key: AttributeMap, baseChange: Change, localChange: Change, remoteChange: Change): ConcurrentVersions {
  const base = writers.write(LOCAL_REGION, undefined, key, baseChange);
  const local = writers.write(LOCAL_REGION, base, key, localChange);
  const remote = writers.write(REMOTE_REGION, base, key, remoteChange);
  return { key, base, local, remote, arrivedAtMs: writers.now + 500 };
}

/** An update moving the example STOCK counter `onHand` by `by`. */
export function incrementStock(by: number): UpdateChange {
  return { type: 'update', increment: { onHand: by } };
}

/**
 * The conflict most tests start from: us-east-1 adds 2 and eu-west-1 takes 3 from 10
 * units of STOCK `pk`, concurrently. Last-writer-wins keeps 7; the merge gives 9.
 */
export function stockConflict(writers: Writers, pk = 'STOCK#1'): ConcurrentVersions {
  return concurrentWrites(writers, itemKey(pk, 'STOCK'), incrementStock(10), incrementStock(2), incrementStock(-3));
}

/** What a stream record is made of. */
export interface RecordSpec {
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly key: AttributeMap;
  readonly oldImage?: AttributeMap;
  readonly newImage?: AttributeMap;
  /** Distinct per record of a shard, increasing in stream order. */
  readonly sequence: number;
  readonly createdAtMs: number;
  /** A removal by DynamoDB's TTL process. */
  readonly ttl?: boolean;
  readonly region?: string;
  readonly table?: string;
}

/** The sequence number of record number `sequence`: 21 digits, as DynamoDB writes them. */
export function sequenceNumber(sequence: number): string {
  return `4${String(sequence).padStart(20, '0')}`;
}

/**
 * A DynamoDB stream record as Lambda delivers it (NEW_AND_OLD_IMAGES).
 *
 * @example
 * const record = streamRecord({ eventName: 'MODIFY', key, oldImage: local, newImage: remote, sequence: 1, createdAtMs });
 */
export function streamRecord(spec: RecordSpec): DynamoDBRecord {
  const region = spec.region ?? LOCAL_REGION;
  const table = spec.table ?? TABLE;
  const images = { ...(spec.newImage === undefined ? {} : { NewImage: spec.newImage }), ...(spec.oldImage === undefined ? {} : { OldImage: spec.oldImage }) };
  const sizeBytes = itemSizeBytes(spec.key) + (spec.oldImage === undefined ? 0 : itemSizeBytes(spec.oldImage)) + (spec.newImage === undefined ? 0 : itemSizeBytes(spec.newImage));
  return {
    eventID: createHash('sha256').update(`${table}/${region}/${spec.sequence}`).digest('hex').slice(0, 32),
    eventName: spec.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    ...(spec.ttl === true ? { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } } : {}),
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(spec.createdAtMs / 1000),
      Keys: spec.key,
      ...images,
      SequenceNumber: sequenceNumber(spec.sequence),
      SizeBytes: sizeBytes,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: `arn:aws:dynamodb:${region}:123456789012:table/${table}/stream/2024-11-29T00:00:00.000`,
  } as DynamoDBRecord;
}

/** The MODIFY record of two concurrent versions, as the local region's stream shows it. */
export function conflictRecord(versions: ConcurrentVersions, sequence: number): DynamoDBRecord {
  return streamRecord({ eventName: 'MODIFY', key: versions.key, oldImage: versions.local, newImage: versions.remote, sequence, createdAtMs: versions.arrivedAtMs });
}

/** A stream event of `records`. */
export function streamEvent(...records: DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: records };
}
