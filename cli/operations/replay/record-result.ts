/**
 * A record's settlement as a command reports it: which record, its verdict, and what
 * the resolver's logic made of it (or why it is not settled).
 */
import { toPlainMap, type Json } from '../../../shared/resolver/audit/plain';
import type { RecordSettlement } from './settle-records';

/** One line of a report about a record. */
export interface RecordResult {
  readonly eventId: string | null;
  readonly sequenceNumber: string | null;
  readonly key: Readonly<Record<string, Json>> | null;
  readonly verdict: string;
  /** `resolved`, `escalated`, `superseded`, `skipped (successor)`, `policy merged`, `quarantined (…)`, or `failed`. */
  readonly result: string;
  /** Why the record is not settled; null when it is. */
  readonly error: string | null;
}

/**
 * The report line of a settlement.
 *
 * @example
 * report.settlements.map(recordResultOf); // [{ verdict: 'conflict', result: 'resolved', error: null, … }]
 */
export function recordResultOf({ record, outcome, error }: RecordSettlement): RecordResult {
  const base = { eventId: record.eventId ?? null, sequenceNumber: record.sequenceNumber ?? null, key: record.key === undefined ? null : toPlainMap(record.key), verdict: record.verdict ?? 'invalid' };
  const failure = error === undefined ? null : `${error.name}: ${error.message}`;
  if (outcome === undefined) return { ...base, result: 'failed', error: failure };
  const result = outcome.kind === 'conflict' ? outcome.outcome : outcome.kind === 'skipped' ? `skipped (${outcome.reason})` : outcome.kind === 'quarantined' ? `quarantined (${outcome.error})` : `policy ${outcome.outcome}`;
  return { ...base, result, error: failure };
}
