/**
 * The quarantine queue as the CLI reads it. A message (shared/resolver/quarantine.ts)
 * holds why the record was quarantined, where (table, region), when, and the stream
 * record exactly as Lambda delivered it, or, when the message could not hold it
 * exactly, a pointer to the exact record in the payload bucket, which is read instead.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { readBatch } from '../../../shared/resolver';
import { quarantineId } from '../../../shared/resolver/quarantine';
import type { QueueMessages, ReceivedMessage, ReceiveOptions } from '../queue/queue-messages';
import { pointerOf, type PayloadPointer, type PayloadReader } from './payloads';

/** One quarantined record, read from its message. */
export interface QuarantinedRecord {
  readonly message: ReceivedMessage;
  /** The id of its `RecordQuarantined` audit event (the message id when the record cannot be read). */
  readonly id: string;
  readonly reason: { readonly error: string; readonly message: string } | null;
  readonly table: string | null;
  /** The region whose resolver quarantined it: a replay must run there. */
  readonly region: string | null;
  readonly quarantinedAt: string | null;
  /** The exact record, or null when neither the message nor a payload holds it. */
  readonly record: DynamoDBRecord | null;
  readonly payload: PayloadPointer | null;
  /** Why the record cannot be replayed; null when it can. */
  readonly problem: string | null;
}

/** Quarantined records: listed, then each released or removed. */
export interface QuarantineSource {
  receive(options: ReceiveOptions): Promise<QuarantinedRecord[]>;
  /** Makes the records' messages visible again (left for another run). */
  release(records: readonly QuarantinedRecord[]): Promise<void>;
  /** Deletes a record's message (replayed). */
  remove(record: QuarantinedRecord): Promise<void>;
}

/** The quarantine queue, with payloads read from where their pointers say. */
export class SqsQuarantineSource implements QuarantineSource {
  constructor(
    private readonly queue: QueueMessages,
    private readonly payloads: PayloadReader,
    /** The table's envelope attribute (the rules'), to read the records. */
    private readonly envelopeAttribute: string,
  ) {}

  async receive(options: ReceiveOptions): Promise<QuarantinedRecord[]> {
    const messages = await this.queue.receiveAll(options);
    return Promise.all(messages.map((message) => readQuarantined(message, this.payloads, this.envelopeAttribute)));
  }

  release(records: readonly QuarantinedRecord[]): Promise<void> {
    return this.queue.release(records.map((record) => record.message));
  }

  remove(record: QuarantinedRecord): Promise<void> {
    return this.queue.remove(record.message);
  }
}

/**
 * A quarantine message read: its fields, and its record from the message or its payload.
 *
 * @example
 * const quarantined = await readQuarantined(message, new S3PayloadReader(s3), rules.table.envelopeAttribute);
 */
export async function readQuarantined(message: ReceivedMessage, payloads: PayloadReader, envelopeAttribute: string): Promise<QuarantinedRecord> {
  const unreadable = (problem: string): QuarantinedRecord => ({ message, id: message.messageId, reason: null, table: null, region: null, quarantinedAt: null, record: null, payload: null, problem });
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(message.body) as Record<string, unknown>;
  } catch {
    return unreadable('the message body is not JSON');
  }
  if (body === null || typeof body !== 'object' || !('record' in body || 'payload' in body)) return unreadable('not a quarantine message: it holds no record');
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  const reason = body.reason as { error?: unknown; message?: unknown } | undefined;
  const fields = {
    message,
    reason: reason === undefined ? null : { error: String(reason.error ?? ''), message: String(reason.message ?? '') },
    table: text(body.table),
    region: text(body.region),
    quarantinedAt: text(body.quarantinedAt),
    payload: pointerOf(body.payload) ?? null,
  };
  const { record, problem } = await recordOf(body, fields.payload, payloads);
  const readable = record === null ? undefined : readBatch({ Records: [record] }, { envelopeAttribute })[0];
  const id = readable?.key !== undefined && fields.table !== null ? quarantineId(readable, fields.table) : message.messageId;
  return { ...fields, id, record, problem };
}

async function recordOf(body: Record<string, unknown>, payload: PayloadPointer | null, payloads: PayloadReader): Promise<{ record: DynamoDBRecord | null; problem: string | null }> {
  if (payload !== null) {
    try {
      return { record: JSON.parse(await payloads.read(payload)) as DynamoDBRecord, problem: null };
    } catch (error) {
      return { record: (body.record as DynamoDBRecord | undefined) ?? null, problem: error instanceof Error ? error.message : String(error) };
    }
  }
  if (body.imagesOmitted === true) return { record: (body.record as DynamoDBRecord | undefined) ?? null, problem: 'the message holds the record without its images, and points at no payload' };
  return { record: (body.record as DynamoDBRecord | undefined) ?? null, problem: body.record === undefined ? 'the message holds no record' : null };
}
