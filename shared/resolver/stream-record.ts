/**
 * The boundary between Lambda's event and the resolver: each record is validated and
 * classified once here (reading only the envelopes' version vectors), and its images
 * are parsed later, once, only if its verdict needs them.
 */
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { MalformedRecordError } from '../errors';
import { parseAttributeMap, type AttributeMap } from '../dynamodb/attribute-value';
import { classify, type ClassifyOptions, type Verdict } from '../detect/classify';

/** One record of a batch, validated. */
export class StreamRecord {
  private parsedOld?: AttributeMap | null;
  private parsedNew?: AttributeMap | null;

  constructor(
    /** Position in the batch (stream order). */
    readonly index: number,
    /** The record exactly as delivered: what the quarantine queue receives. */
    readonly raw: DynamoDBRecord,
    /** The classification, or why the record cannot be processed. */
    readonly verdict: Verdict | undefined,
    readonly problem: Error | undefined,
    readonly key: AttributeMap | undefined,
  ) {}

  get eventId(): string | undefined {
    return stringOrUndefined(this.raw?.eventID);
  }

  /** What a partial batch response names; absent only on a malformed record. */
  get sequenceNumber(): string | undefined {
    return stringOrUndefined(this.raw?.dynamodb?.SequenceNumber);
  }

  get eventName(): string | undefined {
    return stringOrUndefined(this.raw?.eventName);
  }

  /** `ApproximateCreationDateTime` (epoch seconds) in milliseconds, when it is a number. */
  get createdAtMs(): number | undefined {
    const seconds = this.raw?.dynamodb?.ApproximateCreationDateTime;
    return typeof seconds === 'number' && Number.isFinite(seconds) ? seconds * 1000 : undefined;
  }

  /** Records with equal groups share a key: processed in stream order, one after another. */
  get group(): string {
    if (this.key === undefined) return `#record:${this.index}`;
    // Key values are scalars (S, N, B): each name, type and value, length-prefixed so that no two keys collide.
    let group = '';
    for (const name of Object.keys(this.key).sort()) {
      const value = this.key[name] as Record<string, unknown>;
      for (const type in value) group += `${name.length}:${name}${type}${String(value[type]).length}:${String(value[type])}`;
    }
    return group;
  }

  /**
   * The old image, validated; undefined when the record has none.
   *
   * @throws MalformedAttributeError when the image is malformed
   */
  get oldImage(): AttributeMap | undefined {
    this.parsedOld ??= parseImage(this.raw.dynamodb?.OldImage, 'OldImage');
    return this.parsedOld ?? undefined;
  }

  /**
   * The new image, validated; undefined when the record has none.
   *
   * @throws MalformedAttributeError when the image is malformed
   */
  get newImage(): AttributeMap | undefined {
    this.parsedNew ??= parseImage(this.raw.dynamodb?.NewImage, 'NewImage');
    return this.parsedNew ?? undefined;
  }
}

function parseImage(raw: unknown, path: string): AttributeMap | null {
  return raw === undefined || raw === null ? null : parseAttributeMap(raw, path);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Validates and classifies every record of a stream event (its shape checked by the
 * `validateStreamEvent` middleware). A record that fails validation is kept with its
 * problem: it is quarantined in its turn.
 *
 * @example
 * const records = readBatch(event, rules.table); // its envelope and TTL attributes
 */
export function readBatch(event: DynamoDBStreamEvent, options: ClassifyOptions): StreamRecord[] {
  return event.Records.map((raw, index) => readRecord(raw, index, options));
}

function readRecord(raw: DynamoDBRecord, index: number, options: ClassifyOptions): StreamRecord {
  let key: AttributeMap | undefined;
  try {
    key = parseAttributeMap(raw?.dynamodb?.Keys, 'Keys');
    if (typeof raw.dynamodb?.SequenceNumber !== 'string') throw new MalformedRecordError(raw.eventID, 'no SequenceNumber');
    const { verdict } = classify(raw, options);
    return new StreamRecord(index, raw, verdict, undefined, key);
  } catch (error) {
    return new StreamRecord(index, raw, undefined, error instanceof Error ? error : new MalformedRecordError(raw?.eventID, String(error)), key);
  }
}

/**
 * Groups records by key, each group in stream order; groups in order of first appearance.
 *
 * @example
 * groupByKey(readBatch(event, rules.table)).length; // the number of distinct keys
 */
export function groupByKey(records: readonly StreamRecord[]): StreamRecord[][] {
  const groups = new Map<string, StreamRecord[]>();
  for (const record of records) {
    const group = groups.get(record.group);
    if (group === undefined) groups.set(record.group, [record]);
    else group.push(record);
  }
  return [...groups.values()];
}
