/**
 * The boundary between Lambda's event and the resolver: each record's key and sequence
 * number are validated here; it is classified once (reading only the envelopes' version
 * vectors) when its verdict is first asked for, so the batch's classification runs key
 * by key while other keys wait on DynamoDB rather than all before the first call; its
 * images are parsed later, once, only if its verdict needs them.
 */
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { MalformedRecordError } from '../errors';
import { parseAttributeMap, type AttributeMap } from '../dynamodb/attribute-value';
import { classify, type ClassifyOptions, type Verdict } from '../detect/classify';

/** One record of a batch, validated. */
export class StreamRecord {
  private parsedOld?: AttributeMap | null;
  private parsedNew?: AttributeMap | null;
  private classified?: { readonly verdict: Verdict | undefined; readonly problem: Error | undefined };
  private groupName?: string;

  constructor(
    /** Position in the batch (stream order). */
    readonly index: number,
    /** The record exactly as delivered: what the quarantine queue receives. */
    readonly raw: DynamoDBRecord,
    readonly key: AttributeMap | undefined,
    /** Why the record cannot be processed, when its key or sequence number already tell; otherwise classification decides. */
    private readonly invalid: Error | undefined,
    private readonly options: ClassifyOptions,
  ) {}

  /** The classification; undefined when the record cannot be processed (see {@link StreamRecord.problem}). */
  get verdict(): Verdict | undefined {
    return this.classification().verdict;
  }

  /** Why the record cannot be processed: its key, its sequence number or its classification failed. */
  get problem(): Error | undefined {
    return this.classification().problem;
  }

  private classification(): { readonly verdict: Verdict | undefined; readonly problem: Error | undefined } {
    this.classified ??= this.invalid !== undefined ? { verdict: undefined, problem: this.invalid } : classifyRecord(this.raw, this.options);
    return this.classified;
  }

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
    this.groupName ??= groupOf(this.key, this.index);
    return this.groupName;
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

/** The group of a key: each name, type and value, length-prefixed so that no two keys collide (key values are scalars: S, N, B). */
function groupOf(key: AttributeMap | undefined, index: number): string {
  if (key === undefined) return `#record:${index}`;
  const names = Object.keys(key);
  // A table key has one or two attributes: ordered without sorting an array.
  if (names.length === 2 && (names[0] as string) > (names[1] as string)) names.reverse();
  else if (names.length > 2) names.sort();
  let group = '';
  for (const name of names) {
    const value = key[name] as Record<string, unknown>;
    for (const type in value) group += `${name.length}:${name}${type}${String(value[type]).length}:${String(value[type])}`;
  }
  return group;
}

function parseImage(raw: unknown, path: string): AttributeMap | null {
  return raw === undefined || raw === null ? null : parseAttributeMap(raw, path);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads every record of a stream event (its shape checked by the `validateStreamEvent`
 * middleware): keys and sequence numbers validated now, each record classified when its
 * verdict is first asked for. A record that fails validation is kept with its problem:
 * it is quarantined in its turn.
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
    return new StreamRecord(index, raw, key, undefined, options);
  } catch (error) {
    return new StreamRecord(index, raw, key, asProblem(raw, error), options);
  }
}

function classifyRecord(raw: DynamoDBRecord, options: ClassifyOptions): { verdict: Verdict | undefined; problem: Error | undefined } {
  try {
    return { verdict: classify(raw, options).verdict, problem: undefined };
  } catch (error) {
    return { verdict: undefined, problem: asProblem(raw, error) };
  }
}

function asProblem(raw: DynamoDBRecord, error: unknown): Error {
  return error instanceof Error ? error : new MalformedRecordError(raw?.eventID, String(error));
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
