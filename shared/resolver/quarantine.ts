/**
 * Quarantine: a record that can never succeed (malformed, a rule that throws, a merged
 * item over DynamoDB's limit) goes with its whole payload to the quarantine queue and
 * is audited, so the shard moves on and nothing is dropped silently. If the queue
 * refuses it, the record fails instead and is retried.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { EnvelopeError, InvalidWriteError, ItemTooLargeError, MalformedAttributeError, MalformedRecordError, QuarantineError, RuleApplicationError } from '../errors';
import { AuditEventType, observationId, recordFields, type AuditEvent } from './audit/events';
import type { ResolverContext } from './dependencies';
import type { StreamRecord } from './stream-record';

/** Errors that no retry can cure. */
const PERMANENT_ERRORS = [MalformedRecordError, MalformedAttributeError, EnvelopeError, RuleApplicationError, InvalidWriteError, ItemTooLargeError] as const;

/** Error messages may quote the offending value; an audit event keeps only this much of one. */
const MAX_REASON_CHARACTERS = 1_000;

/**
 * True for an error that will recur on every delivery of the record.
 *
 * @example
 * if (isPermanent(error)) await quarantine(record, error, context); else throw error;
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
  /** The stream record exactly as Lambda delivered it. */
  readonly record: unknown;
}

/**
 * Sends a record to the quarantine queue and returns its `RecordQuarantined` event.
 *
 * @throws QuarantineError when the queue does not take the message
 * @example
 * events.push(await quarantine(record, error, context));
 */
export async function quarantine(record: StreamRecord, error: Error, context: ResolverContext): Promise<AuditEvent> {
  const { config, sqs, now } = context;
  const message: QuarantineMessage = {
    reason: { error: error.name, message: error.message },
    table: config.table,
    region: config.region,
    quarantinedAt: new Date(now()).toISOString(),
    record: record.raw,
  };
  let messageId: string | undefined;
  try {
    const response = await sqs.send(
      new SendMessageCommand({
        QueueUrl: config.quarantineQueueUrl,
        MessageBody: JSON.stringify(message),
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: error.name },
          table: { DataType: 'String', StringValue: config.table },
        },
      }),
    );
    messageId = response.MessageId;
  } catch (cause) {
    throw new QuarantineError(record.eventId, { cause });
  }
  return {
    type: AuditEventType.RecordQuarantined,
    detail: {
      conflictId: quarantineId(record, config.table),
      ...recordFields(record, config.table, config.region),
      outcome: 'quarantined',
      reason: { error: error.name, message: error.message.slice(0, MAX_REASON_CHARACTERS), queueMessageId: messageId ?? null },
    },
  };
}
