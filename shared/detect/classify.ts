/**
 * `classify(record)`: what a DynamoDB stream record means for Concord (design §5.1). The
 * common case (a causal successor) reads only the two causal contexts, never the rest of
 * the images.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { EnvelopeError, MalformedRecordError } from '../errors';
import { isClock, type Clock } from '../clock/hlc';
import { actorRegion, isActor, isRegionName, type Actor } from '../clock/dot';
import { covers, type CausalContext } from '../clock/context';
import { describeKey, readImage } from '../item/state';
import { holdsAll, onlyFloorsLag } from '../merge/holds-all';
import { parseAttributeMap, type AttributeMap } from '../dynamodb/attribute-value';
import { hasOwn } from '../dynamodb/dict';
import type { TableSettings } from '../rules/types';

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

/**
 * The table's names classify reads (the rules' `table` settings fit): the envelope and TTL
 * attributes, and the key names, only needed in the rare case of a lagging floor.
 * Each defaults to Concord's own (`pk`, `sk`, `_cc`, `_ttl`).
 */
export type ClassifyOptions = Partial<Pick<TableSettings, 'partitionKey' | 'sortKey' | 'envelopeAttribute' | 'ttlAttribute'>>;

const DEFAULT_TABLE: Required<ClassifyOptions> = { partitionKey: 'pk', sortKey: 'sk', envelopeAttribute: '_cc', ttlAttribute: '_ttl' };

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
  const table = { ...DEFAULT_TABLE, ...options };
  const envelope = table.envelopeAttribute;
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
      if (isExpiredTombstone(oldImage, table.ttlAttribute, stream.ApproximateCreationDateTime)) return verdict(Verdict.TtlExpiry);
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
      if (covers(newContext, oldContext)) return verdict(Verdict.Successor);
      return verdict(onlyFloorsLag(newContext, oldContext) && lostNothing(oldImage, newImage, table, key) ? Verdict.Successor : Verdict.Conflict);
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

/** The member `name` of a wire map, never an inherited one. */
function field(map: RawMap, name: string): unknown {
  return hasOwn(map, name) ? map[name] : undefined;
}

/**
 * The causal context of an image (floors and epochs), read straight from the wire form;
 * undefined without an envelope. The tip's epoch is keyed by its bare region (design §4).
 */
function readContext(image: RawImage, envelope: string, key: AttributeMap): CausalContext | undefined {
  return readLineage(image, envelope, key)?.context;
}

/** What the skip path reads of an image: its context and its tip. */
export interface Lineage {
  readonly context: CausalContext;
  readonly tip: Actor | undefined;
}

/**
 * The context and tip of an image, read straight from the wire form (no other part of
 * the image is decoded); undefined without an envelope.
 *
 * @throws EnvelopeError when the context is malformed
 */
export function readLineage(image: RawImage, envelope: string, key: AttributeMap): Lineage | undefined {
  if (image === null || typeof image !== 'object') throw new MalformedRecordError(undefined, 'an image must be a map of attribute values');
  const raw = field(image, envelope) as { M?: unknown } | undefined;
  if (raw === undefined || raw === null) return undefined;
  const fail = (path: string, reason: string): never => {
    throw new EnvelopeError(describeKey(key), `${envelope}${path}`, reason);
  };
  const fields = raw.M as RawMap | undefined;
  if (fields === null || typeof fields !== 'object') return fail('', 'must be a map (M)');
  const tip = (field(fields, 'tip') as { S?: unknown } | undefined)?.S;
  if (tip !== undefined && !isActor(tip)) fail('.tip', 'must be an actor <region>~<tag>');
  const floors = new Map<string, Clock>();
  const rawFloors = field(fields, 'fl') as { M?: unknown } | undefined;
  if (rawFloors !== undefined) {
    const members = rawFloors.M as RawMap | undefined;
    if (members === null || typeof members !== 'object') return fail('.fl', 'must be a map (M) of region to clock');
    for (const region in members) {
      const clock = (members[region] as { S?: unknown } | null)?.S;
      if (!isRegionName(region) || !isClock(clock)) fail(`.fl.${region}`, 'must map a region to a clock');
      floors.set(region, clock as Clock);
    }
  }
  const rawVv = (field(fields, 'vv') as { M?: unknown } | undefined)?.M as RawMap | undefined;
  if (rawVv === null || typeof rawVv !== 'object') return fail('.vv', 'must be a map (M) of actor to clock');
  const vv = new Map<Actor, Clock>();
  for (const name in rawVv) {
    const clock = (rawVv[name] as { S?: unknown } | null)?.S;
    const actor = isActor(name) ? name : typeof tip === 'string' && name === actorRegion(tip) ? tip : undefined;
    if (actor === undefined || !isClock(clock)) return fail(`.vv.${name}`, 'must map an actor (or the region of the tip) to a clock');
    vv.set(actor, clock);
  }
  return { context: { floors, vv }, tip: tip as Actor | undefined };
}

/**
 * True when the new image holds or has seen every write the old one holds, though its
 * context lags a floor of the old one's. Decodes both images (rare: a floor certified on
 * one side only).
 */
function lostNothing(oldImage: RawImage, newImage: RawImage, table: Required<ClassifyOptions>, key: AttributeMap): boolean {
  const settings = table as TableSettings;
  return holdsAll(readImage(newImage as Record<string, unknown>, settings, key).state, readImage(oldImage as Record<string, unknown>, settings, key).state);
}
