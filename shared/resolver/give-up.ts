/**
 * The retry budget. Lambda retries a failing record for as long as the stream keeps it
 * (resources/stream.yml), so the resolver decides when to stop: a record that still
 * fails for a transient reason (throttling, contention, an outage) once it is older than
 * CONCORD_GIVE_UP_AFTER_SECONDS is quarantined with its payload, and its shard moves on.
 */
import { RetryBudgetExhaustedError } from '../errors';
import { describeKey } from '../item/state';
import type { AuditEvent } from './audit/events';
import type { ResolverContext } from './dependencies';
import type { ItemStore } from './item-store';
import { quarantine } from './quarantine';
import type { StreamRecord } from './stream-record';

/**
 * Quarantines `record` if it is past the budget, and returns its `RecordQuarantined`
 * event; undefined when it is not (or the queue did not take it): the record then fails.
 *
 * @example
 * const event = await giveUp(record, error, context, store);
 * if (event === undefined) batch.fail(record, error);
 */
export async function giveUp(record: StreamRecord, error: unknown, context: ResolverContext, store: ItemStore): Promise<AuditEvent | undefined> {
  const { config, logger } = context;
  const createdAtMs = record.createdAtMs;
  if (createdAtMs === undefined) return undefined;
  const ageSeconds = Math.floor((context.now() - createdAtMs) / 1000);
  if (ageSeconds < config.giveUpAfterSeconds) return undefined;
  const fields = { key: record.key === undefined ? null : describeKey(record.key), sequenceNumber: record.sequenceNumber ?? null, ageSeconds };
  logger.error('record still failing past the retry budget; quarantining it', { ...fields, error });
  try {
    return await quarantine(record, new RetryBudgetExhaustedError(ageSeconds, config.giveUpAfterSeconds, { cause: error }), context, store);
  } catch (failure) {
    logger.error('record could not be quarantined; it will be retried', { ...fields, error: failure });
    return undefined;
  }
}
