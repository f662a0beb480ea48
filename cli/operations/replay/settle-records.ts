/**
 * Stream records run through the resolver's logic, as the resolver runs a batch
 * (shared/resolver/process-record.ts per record, a key's records in stream order, keys
 * in parallel; then their audit events published), reporting what became of each
 * record. A record is settled when it was processed (resolved, escalated, superseded,
 * skipped, a policy applied, or quarantined) and its events were published; a record
 * that threw, and every later record of its key, is not.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { groupByKey, readBatch, type ResolverContext, type StreamRecord } from '../../../shared/resolver';
import { mapConcurrently } from '../../../shared/resolver/concurrency';
import { ItemStore } from '../../../shared/resolver/item-store';
import { processRecord, type RecordOutcome } from '../../../shared/resolver/process-record';
import { publishAudit, publishFailure } from '../audit/publish';

/** What became of one record. */
export interface RecordSettlement {
  readonly record: StreamRecord;
  /** The resolver's outcome, when it processed the record. */
  readonly outcome?: RecordOutcome;
  /** Why the record is not settled: it threw, an earlier record of its key did, or its events were not published. */
  readonly error?: Error;
}

/** Every record's settlement, in stream order. */
export interface SettleReport {
  readonly settlements: readonly RecordSettlement[];
  /** True when every record is settled. */
  readonly settled: boolean;
}

/**
 * Runs `records` through the resolver's logic.
 *
 * @example
 * const report = await settleRecords(records, resolverContextOf(config, rules, clients));
 * if (report.settled) await queue.remove(message);
 */
export async function settleRecords(records: readonly DynamoDBRecord[], context: ResolverContext): Promise<SettleReport> {
  const read = readBatch({ Records: [...records] }, context.rules.table);
  const store = new ItemStore(context.dynamodb, context.config.table);
  const settlements = new Map<StreamRecord, RecordSettlement>();
  await mapConcurrently(groupByKey(read), context.config.concurrency, async (group) => {
    for (const [index, record] of group.entries()) {
      try {
        settlements.set(record, { record, outcome: await processRecord(record, context, store) });
      } catch (error) {
        settlements.set(record, { record, error: error instanceof Error ? error : new Error(String(error)) });
        for (const later of group.slice(index + 1)) settlements.set(later, { record: later, error: new Error('not processed: an earlier record of its key failed') });
        return;
      }
    }
  });
  const events = [...settlements.values()].flatMap(({ record, outcome }) => (outcome?.events ?? []).map((event) => ({ event, owner: record })));
  if (events.length > 0) {
    const target = { eventBridge: context.eventBridge, bus: context.config.auditBus, source: context.config.auditSource, now: context.now };
    const report = await publishAudit(events, target);
    for (const settlement of [...settlements.values()]) {
      const error = publishFailure(report, settlement.record);
      if (error !== undefined) settlements.set(settlement.record, { ...settlement, error });
    }
  }
  const ordered = read.map((record) => settlements.get(record) as RecordSettlement);
  return { settlements: ordered, settled: ordered.every((settlement) => settlement.error === undefined) };
}
