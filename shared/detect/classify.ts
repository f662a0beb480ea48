/**
 * `classify(record)`: what a DynamoDB stream record means for Concord, per design.md
 * §3. The common case (a causal successor) reads only the envelopes' causal contexts
 * (version vector and gaps), never the rest of the images.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { EnvelopeError, MalformedRecordError } from '../errors';
import { isClock, type Clock } from '../clock/hlc';
import { covers, type CausalContext, type Gap, type Gaps } from '../clock/context';
import { describeKey } from '../item/state';
import { parseAttributeMap, type AttributeMap } from '../dynamodb/attribute-value';

/** The verdicts, checked in this order. */
export const Verdict = {
  /** Nothing was overwritten. */
  Insert: 'insert',
  /** Collected by TTL (a tombstone expiring): skip. */
  TtlExpiry: 'ttlExpiry',
  /** A Concord item deleted outright, bypassing the tombstone: table policy. */
  HardDelete: 'hardDelete',
  /** Neither image carries an envelope: not Concord's item, skip and count. */
  NotConcord: 'notConcord',
  /** The first Concord write over an item from before Concord: skip. */
  Adopted: 'adopted',
  /** A versioned item overwritten by a client without Concord: table policy. */
  UnversionedOverwrite: 'unversionedOverwrite',
  /** The new image has seen everything the old one had (or is a duplicate): skip. */
  Successor: 'successor',
  /** The old image held writes the new one lacks. */
  Conflict: 'conflict',
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export interface Classification {
  readonly verdict: Verdict;
  /** The record's key, validated. */
  readonly key: AttributeMap;
}

export interface ClassifyOptions {
  /** The envelope attribute; `_cc` unless the rules rename it. */
  readonly envelopeAttribute?: string;
  /** The TTL attribute of tombstones; `_ttl` unless the rules rename it. */
  readonly ttlAttribute?: string;
}

type RawImage = Record<string, unknown> | undefined;

/**
 * Classifies one stream record.
 *
 * @throws MalformedRecordError when the record lacks its event name or keys
 * @throws EnvelopeError when an envelope's version vector is malformed
 * @throws MalformedAttributeError when a key attribute value is malformed
 * @example
 * const { verdict } = classify(record);
 * if (verdict === Verdict.Conflict) merge(oldImage, newImage, rules, { table });
 */
export function classify(record: DynamoDBRecord, options: ClassifyOptions = {}): Classification {
  const envelope = options.envelopeAttribute ?? '_cc';
  if (record === null || typeof record !== 'object') throw new MalformedRecordError(undefined, 'a record must be an object');
  const stream = record.dynamodb;
  if (stream === null || typeof stream !== 'object') throw new MalformedRecordError(record.eventID, 'no dynamodb section');
  const key = parseAttributeMap(stream.Keys, 'Keys');
  if (Object.keys(key).length === 0) throw new MalformedRecordError(record.eventID, 'no Keys');
  const oldImage = stream.OldImage as RawImage;
  const newImage = stream.NewImage as RawImage;
  const verdict = (value: Verdict): Classification => ({ verdict: value, key });
  switch (record.eventName) {
    case 'INSERT':
      return verdict(Verdict.Insert);
    case 'REMOVE': {
      const identity = record.userIdentity as { type?: unknown; principalId?: unknown } | undefined;
      if (identity?.type === 'Service' && identity.principalId === 'dynamodb.amazonaws.com') return verdict(Verdict.TtlExpiry);
      if (isExpiredTombstone(oldImage, options.ttlAttribute ?? '_ttl', stream.ApproximateCreationDateTime)) return verdict(Verdict.TtlExpiry);
      // Without an old image (KEYS_ONLY or NEW_IMAGE stream) nothing shows whose item it was.
      if (oldImage !== undefined && readContext(oldImage, envelope, key) === undefined) return verdict(Verdict.NotConcord);
      return verdict(Verdict.HardDelete);
    }
    case 'MODIFY': {
      if (oldImage === undefined || newImage === undefined) {
        throw new MalformedRecordError(record.eventID, `a MODIFY without both images: the stream view type must be NEW_AND_OLD_IMAGES, not ${String(stream.StreamViewType)}`);
      }
      const oldContext = readContext(oldImage, envelope, key);
      const newContext = readContext(newImage, envelope, key);
      if (oldContext === undefined) return verdict(newContext === undefined ? Verdict.NotConcord : Verdict.Adopted);
      if (newContext === undefined) return verdict(Verdict.UnversionedOverwrite);
      return verdict(covers(newContext, oldContext) ? Verdict.Successor : Verdict.Conflict);
    }
    default:
      throw new MalformedRecordError(record.eventID, `unknown eventName ${JSON.stringify(record.eventName)}`);
  }
}

/**
 * A tombstone whose TTL had passed when it was removed: a TTL expiry. A TTL deletion
 * replicated from another region carries no TTL identity in this region's stream.
 */
function isExpiredTombstone(oldImage: RawImage, ttlAttribute: string, removedAtSeconds: unknown): boolean {
  const expiresAtSeconds = Number((oldImage?.[ttlAttribute] as { N?: unknown } | undefined)?.N);
  return typeof removedAtSeconds === 'number' && expiresAtSeconds <= removedAtSeconds;
}

type RawMap = Record<string, unknown>;

/**
 * The causal context of an image (its version vector and gaps), read straight from the
 * wire form; undefined without an envelope.
 */
function readContext(image: RawImage, envelope: string, key: AttributeMap): CausalContext | undefined {
  if (image === null || typeof image !== 'object') throw new MalformedRecordError(undefined, 'an image must be a map of attribute values');
  const raw = image[envelope] as { M?: unknown } | undefined;
  if (raw === undefined || raw === null) return undefined;
  const fail = (field: string, reason: string): never => {
    throw new EnvelopeError(describeKey(key), `${envelope}${field}`, reason);
  };
  const fields = raw.M as RawMap | undefined;
  if (fields === null || typeof fields !== 'object') return fail('', 'must be a map (M)');
  const rawVv = (fields.vv as { M?: unknown } | undefined)?.M as RawMap | undefined;
  if (rawVv === null || typeof rawVv !== 'object') return fail('.vv', 'must be a map (M) of region to clock');
  const vv: Record<string, Clock> = {};
  for (const region in rawVv) {
    const clock = (rawVv[region] as { S?: unknown } | null)?.S;
    if (!isClock(clock) || clock.slice(20) !== region) fail(`.vv.${region}`, `must be a clock of region ${region}`);
    vv[region] = clock as Clock;
  }
  return { vv, gaps: fields.gaps === undefined ? NO_GAPS : readGaps(fields.gaps, fail) };
}

const NO_GAPS: Gaps = {};

/** Gaps are rare: read them (shape only; the merge path validates them fully). */
function readGaps(raw: unknown, fail: (field: string, reason: string) => never): Gaps {
  const regions = (raw as { M?: unknown } | null)?.M as RawMap | undefined;
  if (regions === null || typeof regions !== 'object') return fail('.gaps', 'must be a map (M) of region to [lo, hi] pairs');
  const gaps: Record<string, Gap[]> = {};
  for (const region in regions) {
    const list = (regions[region] as { L?: unknown } | null)?.L;
    if (!Array.isArray(list)) return fail(`.gaps.${region}`, 'must be a list of [lo, hi] pairs');
    gaps[region] = list.map((pair: unknown, i): Gap => {
      const ends = (pair as { L?: unknown } | null)?.L;
      const [lo, hi] = Array.isArray(ends) ? ends.map((end: unknown) => (end as { S?: unknown } | null)?.S) : [];
      if (typeof lo !== 'string' || !isClock(hi) || lo >= hi) return fail(`.gaps.${region}[${i}]`, 'must be an ascending [lo, hi] pair of clocks');
      return [lo, hi];
    });
  }
  return gaps;
}
