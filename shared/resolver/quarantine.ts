/**
 * Quarantine: a record that can never succeed (malformed, a rule that throws, a merged
 * item over DynamoDB's limit, a request DynamoDB or EventBridge refuses as invalid), or
 * that kept failing past the retry budget, goes to the quarantine queue and is audited,
 * so the shard moves on and nothing is dropped silently. If the queue (or the payload
 * bucket) refuses it, the record fails instead and is retried.
 *
 * The queue message carries the record with the rules' redacted paths masked, and
 * without its images when they would pass the queue's message size. Whenever the
 * message does not hold the record exactly, the exact record goes to the payload
 * bucket and the message points at it (the SQS extended clients' pattern).
 */
import { SendMessageCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import { EnvelopeError, InvalidRequestError, InvalidWriteError, ItemTooLargeError, MalformedAttributeError, MalformedRecordError, QuarantineError, RuleApplicationError } from '../errors';
import { Verdict } from '../detect/classify';
import { AuditEventType, observationId, recordFields, type AuditEvent } from './audit/events';
import { onConflictQuarantined } from './conflict-quarantine-hook';
import type { ResolverContext } from './dependencies';
import type { ItemStore } from './item-store';
import { storePayload, type PayloadPointer } from './payload-store';
import type { Redactor } from './redaction';
import type { StreamRecord } from './stream-record';

/** Errors that no retry can cure. */
const PERMANENT_ERRORS = [MalformedRecordError, MalformedAttributeError, EnvelopeError, RuleApplicationError, InvalidWriteError, ItemTooLargeError, InvalidRequestError] as const;

/** An error message (it names attributes and types, never values) is cut to this much in a message or an event. */
const MAX_REASON_CHARACTERS = 1_000;

/** The message attribute of the SQS extended clients: the size of the payload stored in S3. */
const EXTENDED_PAYLOAD_SIZE = 'ExtendedPayloadSize';

/** Room kept under the queue's limit for the payload pointer and its attribute, added after the size check. */
const POINTER_BYTES = 1_024;

/**
 * True for an error that will recur on every delivery of the record.
 *
 * @example
 * if (isPermanent(error)) await quarantine(record, error, context, store); else throw error;
 */
export function isPermanent(error: unknown): error is Error {
  return PERMANENT_ERRORS.some((type) => error instanceof type);
}

/** The id of a record's `RecordQuarantined` event: the same on every delivery of the record. */
export function quarantineId(record: StreamRecord, table: string): string {
  return observationId(AuditEventType.RecordQuarantined, table, record.key, record.eventId ?? '', record.sequenceNumber ?? '');
}

/** The message the quarantine queue receives. */
export interface QuarantineMessage {
  readonly reason: { readonly error: string; readonly message: string };
  readonly table: string;
  readonly region: string;
  readonly quarantinedAt: string;
  /** The stream record as Lambda delivered it, with the rules' redacted paths masked in its images. */
  readonly record: unknown;
  /** Set when `record` is without its images: with them the message would pass the queue's size limit. */
  readonly imagesOmitted?: true;
  /** Where the exact record is, whenever `record` is not exactly it (and a payload bucket is configured). */
  readonly payload?: PayloadPointer;
}

/**
 * Sends a record to the quarantine queue and returns its `RecordQuarantined` event.
 * A conflict record then goes through {@link onConflictQuarantined}.
 *
 * @throws QuarantineError when the queue or the payload bucket does not take it
 * @example
 * events.push(await quarantine(record, error, context, store));
 */
export async function quarantine(record: StreamRecord, error: Error, context: ResolverContext, store: ItemStore): Promise<AuditEvent> {
  const { config } = context;
  const reason = { error: error.name, message: error.message.slice(0, MAX_REASON_CHARACTERS) };
  const id = quarantineId(record, config.table);
  let sent: { messageId: string | undefined; payload: PayloadPointer | undefined };
  try {
    sent = await send(record, reason, id, context);
  } catch (cause) {
    throw new QuarantineError(record.eventId, { cause });
  }
  if (record.verdict === Verdict.Conflict) await onConflictQuarantined(record, id, context, store);
  return {
    type: AuditEventType.RecordQuarantined,
    detail: {
      conflictId: id,
      ...recordFields(record, config.table, config.region),
      outcome: 'quarantined',
      reason: { ...reason, queueMessageId: sent.messageId ?? null, payload: sent.payload === undefined ? null : { ...sent.payload } },
    },
  };
}

async function send(record: StreamRecord, reason: QuarantineMessage['reason'], id: string, context: ResolverContext): Promise<{ messageId: string | undefined; payload: PayloadPointer | undefined }> {
  const { config, sqs, s3, now, logger } = context;
  const attributes: Record<string, MessageAttributeValue> = {
    reason: { DataType: 'String', StringValue: reason.error },
    table: { DataType: 'String', StringValue: config.table },
  };
  const masked = maskedRecord(record.raw, context.redactor);
  let message: QuarantineMessage = { reason, table: config.table, region: config.region, quarantinedAt: new Date(now()).toISOString(), record: masked };
  if (messageBytes(message, attributes) > config.quarantineMaxMessageBytes - POINTER_BYTES) message = { ...message, record: withoutImages(masked), imagesOmitted: true };
  if (message.record !== record.raw) {
    if (config.payloadBucket === undefined || s3 === undefined) {
      logger.warn('no payload bucket (CONCORD_PAYLOAD_BUCKET): the quarantine message holds the record masked or without its images only', { quarantineId: id });
    } else {
      const payload = await storePayload(s3, config.payloadBucket, `quarantine/${config.table}/${id}.json`, JSON.stringify(record.raw));
      message = { ...message, payload };
      attributes[EXTENDED_PAYLOAD_SIZE] = { DataType: 'Number', StringValue: String(payload.sizeBytes) };
    }
  }
  const response = await sqs.send(new SendMessageCommand({ QueueUrl: config.quarantineQueueUrl, MessageBody: JSON.stringify(message), MessageAttributes: attributes }));
  return { messageId: response.MessageId, payload: message.payload };
}

/** The record with its images masked; the record itself when nothing needed masking. */
function maskedRecord(raw: DynamoDBRecord, redactor: Redactor): DynamoDBRecord {
  const stream = raw?.dynamodb;
  if (stream === undefined || stream === null || typeof stream !== 'object') return raw;
  const images = { OldImage: redactor.image(stream.OldImage), NewImage: redactor.image(stream.NewImage) };
  if (images.OldImage === stream.OldImage && images.NewImage === stream.NewImage) return raw;
  return { ...raw, dynamodb: { ...stream, ...images } };
}

function withoutImages(record: DynamoDBRecord): DynamoDBRecord {
  const { OldImage: _old, NewImage: _new, ...stream } = record?.dynamodb ?? {};
  return { ...record, dynamodb: stream };
}

/** The size SQS counts against MaximumMessageSize: the body, and each attribute's name, type and value. */
function messageBytes(message: QuarantineMessage, attributes: Readonly<Record<string, MessageAttributeValue>>): number {
  return Object.entries(attributes).reduce((bytes, [name, { DataType, StringValue }]) => bytes + Buffer.byteLength(name + (DataType ?? '') + (StringValue ?? '')), Buffer.byteLength(JSON.stringify(message)));
}
