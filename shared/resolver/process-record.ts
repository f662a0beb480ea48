/**
 * One record, by its verdict: resolve a conflict, apply a table policy, or skip; a
 * record that can never succeed is quarantined. Anything else thrown (DynamoDB after
 * the SDK's retries, contention, the quarantine queue) fails the record.
 */
import type { AttributeMap } from '../dynamodb/attribute-value';
import { Verdict } from '../detect/classify';
import { conflictEvent } from './audit/conflict-event';
import type { AuditEvent } from './audit/events';
import { ResolveIn } from './config';
import type { ResolverContext } from './dependencies';
import type { ItemStore } from './item-store';
import { applyHardDeletePolicy, applyUnversionedOverwritePolicy, type PolicyOutcome } from './policies';
import { isPermanent, quarantine, quarantineId } from './quarantine';
import { RecordLog } from './record-log';
import type { StreamRecord } from './stream-record';
import { writeBack, type ConflictOutcome } from './write-back';
import { compact, compactionOf } from './compaction';
import { shadowEvents } from './shadow';

/** Why a record needed no work: its verdict, or `notOrigin` under `resolveIn: origin`. */
export type SkipReason = Verdict | 'notOrigin';

/** What became of one record. */
export type RecordOutcome =
  | { readonly kind: 'skipped'; readonly reason: SkipReason; readonly events: readonly AuditEvent[]; readonly compacted?: boolean }
  | { readonly kind: 'conflict'; readonly outcome: ConflictOutcome; readonly writes: number; readonly lagMs?: number; readonly events: readonly AuditEvent[] }
  | { readonly kind: 'unversionedOverwrite' | 'hardDelete'; readonly outcome: PolicyOutcome; readonly events: readonly AuditEvent[] }
  | { readonly kind: 'quarantined'; readonly error: string; readonly events: readonly AuditEvent[] };

const NO_EVENTS: readonly AuditEvent[] = Object.freeze([]);

/** The outcome of most records: a successor with nothing to compact. */
const SUCCESSOR_SKIPPED: RecordOutcome = Object.freeze({ kind: 'skipped', reason: Verdict.Successor, events: NO_EVENTS, compacted: false });

/** What the batch knows about a record beyond the record itself. */
export interface RecordPlace {
  /** A later record of the same key is in the batch, so the record's new image is no longer the item. */
  readonly followed?: boolean;
}

/**
 * Processes one record.
 *
 * @throws whatever a retry may cure; the caller fails the record and the rest of its key
 * @example
 * const outcome = await processRecord(record, context, store);
 */
export async function processRecord(record: StreamRecord, context: ResolverContext, store: ItemStore, place: RecordPlace = {}): Promise<RecordOutcome> {
  return processRecordNow(record, context, store, place);
}

/**
 * Processes one record: the outcome at once when the record needs no call (a skip, as
 * most records of a batch are), else a promise of it. The batch loop takes the former
 * without a turn of the event loop. A record followed by a later one of its key is not
 * compacted (its compaction's condition would fail: the later record's is due instead),
 * and its conflict's write-back starts by reading the item.
 *
 * @throws whatever a retry may cure (or the promise rejects with it); the caller fails the record and the rest of its key
 * @example
 * const started = processRecordNow(record, context, store);
 * const outcome = started instanceof Promise ? await started : started;
 */
export function processRecordNow(record: StreamRecord, context: ResolverContext, store: ItemStore, place: RecordPlace = {}): RecordOutcome | Promise<RecordOutcome> {
  const verdict = record.verdict;
  if (verdict === Verdict.Successor) {
    const due = place.followed === true ? undefined : compactionOf(record, context);
    return due === undefined ? SUCCESSOR_SKIPPED : compact(due, store).then((compacted): RecordOutcome => ({ kind: 'skipped', reason: verdict, events: NO_EVENTS, compacted }));
  }
  if (verdict !== undefined && !needsWork(verdict)) return { kind: 'skipped', reason: verdict, events: NO_EVENTS };
  return work(record, context, store, place);
}

async function work(record: StreamRecord, context: ResolverContext, store: ItemStore, place: RecordPlace): Promise<RecordOutcome> {
  const log = new RecordLog(context.logger, record);
  try {
    return await settle(record, context, store, log, place);
  } catch (error) {
    log.error('record failed; it and the rest of its key will be retried', { error });
    throw error;
  }
}

async function settle(record: StreamRecord, context: ResolverContext, store: ItemStore, log: RecordLog, place: RecordPlace): Promise<RecordOutcome> {
  try {
    if (record.problem !== undefined) throw record.problem;
    if (record.verdict === Verdict.Conflict) return await resolve(record, context, store, log, place);
    const kind = record.verdict === Verdict.HardDelete ? 'hardDelete' : 'unversionedOverwrite';
    const apply = kind === 'hardDelete' ? applyHardDeletePolicy : applyUnversionedOverwritePolicy;
    const { outcome, event } = await apply(record, context, store);
    log.identify(event.detail.conflictId);
    log.info(`${kind === 'hardDelete' ? 'hard delete' : 'unversioned overwrite'}: ${outcome}`, { outcome });
    return { kind, outcome, events: [event] };
  } catch (error) {
    if (!isPermanent(error)) throw error;
    // A conflict that fails after its merge keeps its conflict id on the log lines.
    if (log.conflictId === undefined) log.identify(quarantineId(record, context.config.table));
    log.error('record can never succeed; quarantining it', { error });
    return { kind: 'quarantined', error: error.name, events: [await quarantine(record, error, context, store)] };
  }
}

function needsWork(verdict: Verdict): boolean {
  return verdict === Verdict.Conflict || verdict === Verdict.HardDelete || verdict === Verdict.UnversionedOverwrite;
}

async function resolve(record: StreamRecord, context: ResolverContext, store: ItemStore, log: RecordLog, place: RecordPlace): Promise<RecordOutcome> {
  const { config } = context;
  const oldImage = record.oldImage as AttributeMap;
  const writer = writerRegion(oldImage, context.rules.table.envelopeAttribute);
  if (config.resolveIn === ResolveIn.Origin && writer !== config.region) {
    log.debug('conflict left to its origin region', { origin: writer });
    return { kind: 'skipped', reason: 'notOrigin', events: NO_EVENTS };
  }
  const resolution = await writeBack(record.key as AttributeMap, oldImage, record.newImage as AttributeMap, context, store, log, place);
  const createdAtMs = record.createdAtMs;
  const lagMs = createdAtMs === undefined ? undefined : context.now() - createdAtMs;
  log.info(`conflict ${resolution.outcome}`, {
    outcome: resolution.outcome,
    writes: resolution.writes,
    escalations: resolution.merge.escalations.length,
    ...(resolution.supersededBy === undefined ? {} : { supersededBy: resolution.supersededBy }),
    ...(lagMs === undefined ? {} : { lagMs }),
  });
  return { kind: 'conflict', outcome: resolution.outcome, writes: resolution.writes, lagMs, events: [conflictEvent(resolution, record, context), ...shadowEvents(resolution, record, context)] };
}

/** The region that wrote a version, read from its envelope without decoding the rest. */
function writerRegion(image: AttributeMap, envelopeAttribute: string): string | undefined {
  const envelope = image[envelopeAttribute];
  const by = envelope !== undefined && 'M' in envelope ? envelope.M.by : undefined;
  return by !== undefined && 'S' in by ? by.S : undefined;
}
