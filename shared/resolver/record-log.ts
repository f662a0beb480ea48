/**
 * Log lines about one record: every line names the record's key, sequence number and
 * event id, and its conflict id once known. A thin wrapper over the shared Powertools
 * logger rather than a child logger per record, which would cost more than a merge.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { describeKey } from '../item/state';
import type { StreamRecord } from './stream-record';

type Extra = Record<string, unknown>;

/** The logger of one record. */
export class RecordLog {
  private readonly keys: Extra;

  constructor(
    private readonly logger: Logger,
    record: StreamRecord,
  ) {
    this.keys = {
      key: record.key === undefined ? null : describeKey(record.key),
      sequenceNumber: record.sequenceNumber ?? null,
      eventId: record.eventId ?? null,
      verdict: record.verdict ?? 'invalid',
    };
  }

  /** The conflict id the lines carry, once known. */
  get conflictId(): string | undefined {
    return this.keys.conflictId as string | undefined;
  }

  /** Adds the conflict id (or the id of the record's audit event) to every later line. */
  identify(conflictId: string): void {
    this.keys.conflictId = conflictId;
  }

  debug(message: string, extra: Extra = {}): void {
    this.logger.debug(message, { ...this.keys, ...extra });
  }

  info(message: string, extra: Extra = {}): void {
    this.logger.info(message, { ...this.keys, ...extra });
  }

  error(message: string, extra: Extra = {}): void {
    this.logger.error(message, { ...this.keys, ...extra });
  }
}
