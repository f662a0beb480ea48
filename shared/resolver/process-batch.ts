/**
 * One invocation (docs/design.md §6): records grouped by key, each key's records in stream
 * order, keys in parallel (bounded); then every audit event of the batch published in
 * as few PutEvents calls as the limits allow. A record that fails fails the rest of
 * its key, and the response names every failed record so Lambda resumes from the
 * lowest (what succeeded after it is reprocessed, harmlessly: everything is idempotent).
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { UnreportableFailureError } from '../errors';
import { describeKey } from '../item/state';
import { toEntry } from './audit/entry';
import { publishAll, type Publication } from './audit/publisher';
import { mapConcurrently } from './concurrency';
import type { ResolverContext } from './dependencies';
import { ItemStore } from './item-store';
import { processRecord, type RecordOutcome } from './process-record';
import { groupByKey, readBatch, type StreamRecord } from './stream-record';
import { BatchTally, MetricName } from './tally';
import { ConflictOutcome } from './write-back';

/** What became of one record in a batch. */
type Settlement = { readonly outcome: RecordOutcome } | { readonly failed: unknown };

/** The state of one batch while it is processed. */
class Batch {
  readonly settlements = new Map<StreamRecord, Settlement>();
  private readonly groupOf = new Map<StreamRecord, readonly StreamRecord[]>();

  constructor(readonly groups: readonly (readonly StreamRecord[])[]) {
    for (const group of groups) for (const record of group) this.groupOf.set(record, group);
  }

  /** Fails `record` and every later record of its key (they must not overtake it). */
  fail(record: StreamRecord, error: unknown): void {
    const group = this.groupOf.get(record) ?? [record];
    for (const later of group.slice(group.indexOf(record))) {
      if (!('failed' in (this.settlements.get(later) ?? {}))) this.settlements.set(later, { failed: error });
    }
  }

  outcomes(): [StreamRecord, RecordOutcome][] {
    const outcomes: [StreamRecord, RecordOutcome][] = [];
    for (const [record, settlement] of this.settlements) if ('outcome' in settlement) outcomes.push([record, settlement.outcome]);
    return outcomes.sort(([a], [b]) => a.index - b.index);
  }

  failedRecords(): StreamRecord[] {
    return [...this.settlements]
      .filter(([, settlement]) => 'failed' in settlement)
      .map(([record]) => record)
      .sort((a, b) => a.index - b.index);
  }
}

/**
 * Processes a DynamoDB stream batch and answers with Lambda's partial batch response.
 *
 * @throws UnreportableFailureError when a failed record has no sequence number to report
 * @example
 * const response = await processBatch(event, withDefaults(deps)); // { batchItemFailures: [] }
 */
export async function processBatch(event: DynamoDBStreamEvent, context: ResolverContext): Promise<DynamoDBBatchResponse> {
  const { config, logger, metrics } = context;
  const records = readBatch(event, context.rules.table.envelopeAttribute);
  const batch = new Batch(groupByKey(records));
  const store = new ItemStore(context.dynamodb, config.table);
  await mapConcurrently(batch.groups, config.concurrency, async (group) => {
    for (const record of group) {
      try {
        batch.settlements.set(record, { outcome: await processRecord(record, context, store) });
      } catch (error) {
        batch.fail(record, error);
        return;
      }
    }
  });
  const tally = new BatchTally();
  await publish(batch, context, tally);
  const failed = batch.failedRecords();
  count(tally, records.length, batch.outcomes(), failed.length);
  tally.emit(metrics);
  logger.info('batch processed', { records: records.length, keys: batch.groups.length, failed: failed.length, ...tally.summary() });
  const unreportable = failed.find((record) => record.sequenceNumber === undefined);
  if (unreportable !== undefined) throw new UnreportableFailureError(unreportable.eventId, { cause: (batch.settlements.get(unreportable) as { failed: unknown }).failed });
  return { batchItemFailures: [...new Set(failed.map((record) => record.sequenceNumber as string))].map((itemIdentifier) => ({ itemIdentifier })) };
}

async function publish(batch: Batch, context: ResolverContext, tally: BatchTally): Promise<void> {
  const { config } = context;
  const options = { bus: config.auditBus, source: config.auditSource, time: new Date(context.now()) };
  const publications: Publication<StreamRecord>[] = [];
  for (const [record, outcome] of batch.outcomes()) for (const event of outcome.events) publications.push({ sized: toEntry(event, options), owner: record });
  if (publications.length === 0) return;
  const report = await publishAll(publications, {
    eventBridge: context.eventBridge,
    maxAttempts: config.maxPublishAttempts,
    concurrency: config.concurrency,
    backoff: context.backoff,
    sleep: context.sleep,
    logger: context.logger,
  });
  tally.add(MetricName.PutEventsCalls, report.calls);
  tally.add(MetricName.AuditEventsPublished, report.published);
  tally.add(MetricName.AuditEventsFailed, publications.length - report.published);
  for (const [record, error] of report.failed) {
    context.logger.error('audit event not published; the record will be retried', { key: record.key === undefined ? null : describeKey(record.key), sequenceNumber: record.sequenceNumber ?? null, error });
    batch.fail(record, error);
  }
}

const OUTCOME_METRICS = {
  [ConflictOutcome.Resolved]: MetricName.Resolved,
  [ConflictOutcome.Escalated]: MetricName.Escalated,
  [ConflictOutcome.Superseded]: MetricName.Superseded,
} as const;

function count(tally: BatchTally, seen: number, outcomes: readonly [StreamRecord, RecordOutcome][], failed: number): void {
  tally.add(MetricName.RecordsSeen, seen);
  tally.add(MetricName.RecordsFailed, failed);
  for (const [, outcome] of outcomes) {
    switch (outcome.kind) {
      case 'skipped':
        tally.skip(outcome.reason);
        break;
      case 'conflict':
        tally.add(MetricName.Conflicts);
        tally.add(OUTCOME_METRICS[outcome.outcome]);
        tally.add(MetricName.WriteRetries, outcome.writes - 1);
        if (outcome.lagMs !== undefined) tally.lag(outcome.lagMs);
        break;
      case 'unversionedOverwrite':
        tally.add(MetricName.UnversionedOverwrites);
        break;
      case 'hardDelete':
        tally.add(MetricName.HardDeletes);
        break;
      case 'quarantined':
        tally.add(MetricName.Quarantined);
        break;
    }
  }
}
