/**
 * One invocation: records grouped by key, each key's records in stream order, keys in
 * parallel (bounded) while the deadline allows; every audit event of the batch
 * published in as few PutEvents calls as the limits allow, each call sent as soon as it
 * is full (while later keys are still processed), the last after the last key. A
 * record that fails fails the rest of its key, and the response names every failed or
 * unstarted record so Lambda resumes from the lowest (what succeeded after it is
 * reprocessed, harmlessly: everything is idempotent).
 *
 * Lambda never discards a record on its own (infinite retries, resources/stream.yml):
 * the resolver gives up instead. A record whose failure no retry can cure is
 * quarantined at once; one that keeps failing for a transient reason is quarantined
 * once it is older than CONCORD_GIVE_UP_AFTER_SECONDS (./give-up.ts).
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { DeadlineReachedError, EndpointUnreachableError, UnreportableFailureError } from '../errors';
import { describeKey } from '../item/state';
import { toEntry } from './audit/entry';
import type { AuditEvent } from './audit/events';
import { PublicationStream, type PublishFailure, type PublishReport } from './audit/publisher';
import { mapConcurrently } from './concurrency';
import { Deadline, type RemainingTime } from './deadline';
import type { ResolverContext } from './dependencies';
import { giveUp } from './give-up';
import { ItemStore } from './item-store';
import { processRecordNow, type RecordOutcome, type RecordPlace } from './process-record';
import { quarantine } from './quarantine';
import { groupByKey, readBatch, type StreamRecord } from './stream-record';
import { isUnreachable } from './unreachable';
import { BatchTally, MetricName } from './tally';
import { ConflictOutcome } from './write-back';

/** What became of one record in a batch. */
type Settlement = { readonly outcome: RecordOutcome } | { readonly failed: unknown } | { readonly deferred: DeadlineReachedError };

/** The state of one batch while it is processed; records are found by their index in the batch. */
class Batch {
  private readonly settlements: (Settlement | undefined)[];
  private readonly groupOf: (readonly StreamRecord[])[];
  private readonly records: StreamRecord[];

  constructor(readonly groups: readonly (readonly StreamRecord[])[]) {
    const size = groups.reduce((count, group) => count + group.length, 0);
    this.settlements = new Array<Settlement | undefined>(size);
    this.groupOf = new Array<readonly StreamRecord[]>(size);
    this.records = new Array<StreamRecord>(size);
    for (const group of groups) {
      for (const record of group) {
        this.groupOf[record.index] = group;
        this.records[record.index] = record;
      }
    }
  }

  settle(record: StreamRecord, outcome: RecordOutcome): void {
    this.settlements[record.index] = { outcome };
  }

  /** Fails `record` and every later record of its key (they must not overtake it). */
  fail(record: StreamRecord, error: unknown): void {
    const group = this.groupOf[record.index] ?? [record];
    for (const later of group.slice(group.indexOf(record))) {
      if (!('failed' in (this.settlements[later.index] ?? {}))) this.settlements[later.index] = { failed: error };
    }
  }

  /** Leaves a key that was not started to the next invocation. */
  defer(group: readonly StreamRecord[], reason: DeadlineReachedError): void {
    for (const record of group) this.settlements[record.index] = { deferred: reason };
  }

  /** Records that settled, with their outcomes, in stream order. */
  outcomes(): [StreamRecord, RecordOutcome][] {
    return this.select((settlement) => ('outcome' in settlement ? [settlement.outcome] : []));
  }

  /** Records that failed, with why. */
  failures(): [StreamRecord, unknown][] {
    return this.select((settlement) => ('failed' in settlement ? [settlement.failed] : []));
  }

  /** Records that were not started, with why. */
  deferred(): [StreamRecord, DeadlineReachedError][] {
    return this.select((settlement) => ('deferred' in settlement ? [settlement.deferred] : []));
  }

  private select<T>(pick: (settlement: Settlement) => T[]): [StreamRecord, T][] {
    const selected: [StreamRecord, T][] = [];
    this.settlements.forEach((settlement, index) => {
      if (settlement !== undefined) for (const value of pick(settlement)) selected.push([this.records[index] as StreamRecord, value]);
    });
    return selected;
  }
}

/**
 * Processes a DynamoDB stream batch and answers with Lambda's partial batch response.
 *
 * @param lambda the invocation's context, whose remaining time bounds the batch (none without it)
 * @throws UnreportableFailureError when a failed record has no sequence number to report
 * @throws EndpointUnreachableError when every failed record failed because an endpoint could not be reached
 * @example
 * const response = await processBatch(event, withDefaults(deps), lambdaContext); // { batchItemFailures: [] }
 */
export async function processBatch(event: DynamoDBStreamEvent, context: ResolverContext, lambda?: RemainingTime): Promise<DynamoDBBatchResponse> {
  const { config, logger, metrics } = context;
  const records = readBatch(event, context.rules.table);
  const batch = new Batch(groupByKey(records));
  const deadline = new Deadline(lambda, config.deadlineReserveMs);
  const store = new ItemStore(context.dynamodb, config.table, deadline.signal);
  const audit = new AuditRound(context);
  try {
    await mapConcurrently(batch.groups, config.concurrency, (group) => processKey(group, batch, context, store, deadline, audit), { staggered: true });
  } finally {
    deadline.stop();
  }
  const tally = new BatchTally();
  await publish(audit, batch, context, store, tally);
  const failures = batch.failures();
  const deferred = batch.deferred();
  count(tally, records.length, batch.outcomes(), failures.length, deferred.length);
  tally.emit(metrics);
  logger.info('batch processed', { records: records.length, keys: batch.groups.length, failed: failures.length, deferred: deferred.length, ...tally.summary() });
  const reported: [StreamRecord, unknown][] = [...failures, ...deferred].sort(([a], [b]) => a.index - b.index);
  const unreportable = reported.find(([record]) => record.sequenceNumber === undefined);
  if (unreportable !== undefined) throw new UnreportableFailureError(unreportable[0].eventId, { cause: unreportable[1] });
  if (failures.length > 0 && failures.every(([, error]) => isUnreachable(error))) throw new EndpointUnreachableError(failures.length, { cause: failures[0]?.[1] });
  return { batchItemFailures: [...new Set(reported.map(([record]) => record.sequenceNumber as string))].map((itemIdentifier) => ({ itemIdentifier })) };
}

const FOLLOWED: RecordPlace = Object.freeze({ followed: true });
const NOT_FOLLOWED: RecordPlace = Object.freeze({ followed: false });

/** One key's records in stream order, unless the deadline leaves no time to start it. */
async function processKey(group: readonly StreamRecord[], batch: Batch, context: ResolverContext, store: ItemStore, deadline: Deadline, audit: AuditRound): Promise<void> {
  if (!deadline.allowsNewKey()) return batch.defer(group, new DeadlineReachedError(deadline.remainingMs()));
  const last = group[group.length - 1];
  for (const record of group) {
    let outcome: RecordOutcome;
    try {
      const started = processRecordNow(record, context, store, record === last ? NOT_FOLLOWED : FOLLOWED);
      outcome = started instanceof Promise ? await started : started;
    } catch (error) {
      const quarantined = await giveUp(record, error, context, store);
      if (quarantined === undefined) return batch.fail(record, error);
      outcome = quarantinedOutcome(quarantined);
    }
    batch.settle(record, outcome);
    audit.add(record, outcome);
  }
}

/** One round of audit publication: the events of records as they settle, published as PutEvents calls fill. */
class AuditRound {
  private readonly stream: PublicationStream<StreamRecord>;
  private entries = 0;

  constructor(private readonly context: ResolverContext) {
    const { config } = context;
    this.stream = new PublicationStream(
      { eventBridge: context.eventBridge, maxAttempts: config.maxPublishAttempts, concurrency: config.concurrency, backoff: context.backoff, sleep: context.sleep, logger: context.logger },
      (a, b) => a.index - b.index,
    );
  }

  add(record: StreamRecord, outcome: RecordOutcome): void {
    if (outcome.events.length === 0) return;
    const { config } = this.context;
    const options = { bus: config.auditBus, source: config.auditSource, time: new Date(this.context.now()) };
    for (const event of outcome.events) this.stream.add({ sized: toEntry(event, options), owner: record });
    this.entries += outcome.events.length;
  }

  /** Waits for every call of the round and counts them. */
  async drain(tally: BatchTally): Promise<Pick<PublishReport<StreamRecord>, 'failed'>> {
    if (this.entries === 0) return { failed: new Map() };
    const report = await this.stream.drain();
    tally.add(MetricName.PutEventsCalls, report.calls);
    tally.add(MetricName.AuditEventsPublished, report.published);
    tally.add(MetricName.AuditEventsFailed, this.entries - report.published);
    return report;
  }
}

/**
 * Publishes the events of every settled record. A record whose event EventBridge
 * refused for good, or which is past the retry budget, is quarantined instead, and its
 * `RecordQuarantined` event published in a second round; the others whose events
 * failed fail, and are redelivered.
 */
async function publish(first: AuditRound, batch: Batch, context: ResolverContext, store: ItemStore, tally: BatchTally): Promise<void> {
  const { failed } = await first.drain(tally);
  const quarantined = new AuditRound(context);
  for (const [record, failure] of [...failed].sort(([a], [b]) => a.index - b.index)) {
    const event = await quarantineUnpublished(record, failure, context, store);
    if (event === undefined) {
      batch.fail(record, failure.error);
      continue;
    }
    const outcome = quarantinedOutcome(event);
    batch.settle(record, outcome);
    quarantined.add(record, outcome);
  }
  const second = await quarantined.drain(tally);
  for (const [record, failure] of second.failed) {
    // The record is in the quarantine queue already: an event refused for good must not hold it.
    if (failure.permanent) context.logger.error('quarantine event refused by EventBridge; the quarantine queue holds the record', { sequenceNumber: record.sequenceNumber ?? null, error: failure.error });
    else batch.fail(record, failure.error);
  }
}

/** The quarantine event of a record whose audit event was not published, when it must not be retried; undefined when it must. */
async function quarantineUnpublished(record: StreamRecord, failure: PublishFailure, context: ResolverContext, store: ItemStore): Promise<AuditEvent | undefined> {
  const key = record.key === undefined ? null : describeKey(record.key);
  if (!failure.permanent) {
    const event = await giveUp(record, failure.error, context, store);
    if (event === undefined) context.logger.error('audit event not published; the record will be retried', { key, sequenceNumber: record.sequenceNumber ?? null, error: failure.error });
    return event;
  }
  context.logger.error('audit event refused by EventBridge; quarantining the record', { key, sequenceNumber: record.sequenceNumber ?? null, error: failure.error });
  try {
    return await quarantine(record, failure.error, context, store);
  } catch (error) {
    context.logger.error('record could not be quarantined; it will be retried', { key, sequenceNumber: record.sequenceNumber ?? null, error });
    return undefined;
  }
}

function quarantinedOutcome(event: AuditEvent): RecordOutcome {
  return { kind: 'quarantined', error: String((event.detail.reason as { error?: unknown } | undefined)?.error), events: [event] };
}

const OUTCOME_METRICS = {
  [ConflictOutcome.Resolved]: MetricName.Resolved,
  [ConflictOutcome.Escalated]: MetricName.Escalated,
  [ConflictOutcome.Superseded]: MetricName.Superseded,
} as const;

function count(tally: BatchTally, seen: number, outcomes: readonly [StreamRecord, RecordOutcome][], failed: number, deferred: number): void {
  tally.add(MetricName.RecordsSeen, seen);
  tally.add(MetricName.RecordsFailed, failed);
  if (deferred > 0) tally.add(MetricName.RecordsDeferred, deferred);
  for (const [, outcome] of outcomes) {
    switch (outcome.kind) {
      case 'skipped':
        tally.skip(outcome.reason);
        break;
      case 'conflict':
        tally.add(MetricName.Conflicts);
        tally.add(OUTCOME_METRICS[outcome.outcome]);
        tally.add(MetricName.WriteRetries, Math.max(0, outcome.writes - 1));
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
