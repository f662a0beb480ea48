/**
 * What the resolver's logic would do with stream records, for `--dry-run`: each record
 * classified as the resolver classifies it, and a conflict merged in memory under the
 * current rules (a merge that throws is what would be quarantined). Nothing is read
 * from or written to the table: a conflict the item has moved past since would be
 * superseded instead.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { Verdict } from '../../../shared/detect/classify';
import type { AttributeMap } from '../../../shared/dynamodb/attribute-value';
import { merge } from '../../../shared/merge/merge';
import { readBatch } from '../../../shared/resolver';
import { toPlainMap, type Json } from '../../../shared/resolver/audit/plain';
import type { RuleSet } from '../../../shared/rules/types';

/** What would become of one record. */
export interface RecordPlan {
  readonly eventId: string | null;
  readonly sequenceNumber: string | null;
  readonly eventName: string | null;
  readonly key: Readonly<Record<string, Json>> | null;
  /** The resolver's verdict, or `invalid` for a record it cannot read. */
  readonly verdict: string;
  /** `merge`, `policy`, `skip` or `quarantine`. */
  readonly action: 'merge' | 'policy' | 'skip' | 'quarantine';
  /** The merge's outcome (`resolved`, `escalated: manual notes`), the policy, the skip, or the error. */
  readonly detail: string;
}

/**
 * Plans each record.
 *
 * @example
 * planRecords(records, rules, { table: 'concord-prod', region: 'us-east-1' }); // [{ verdict: 'conflict', action: 'merge', detail: 'resolved' }]
 */
export function planRecords(records: readonly DynamoDBRecord[], rules: RuleSet, where: { readonly table: string; readonly region: string }): RecordPlan[] {
  return readBatch({ Records: [...records] }, rules.table).map((record) => {
    const base = { eventId: record.eventId ?? null, sequenceNumber: record.sequenceNumber ?? null, eventName: record.eventName ?? null, key: record.key === undefined ? null : toPlainMap(record.key) };
    if (record.problem !== undefined || record.verdict === undefined) return { ...base, verdict: 'invalid', action: 'quarantine', detail: describe(record.problem) };
    const verdict = record.verdict;
    if (verdict === Verdict.HardDelete) return { ...base, verdict, action: 'policy', detail: `hardDelete: ${rules.policies.hardDelete}` };
    if (verdict === Verdict.UnversionedOverwrite) return { ...base, verdict, action: 'policy', detail: `unversionedOverwrite: ${rules.policies.unversionedOverwrite}` };
    if (verdict !== Verdict.Conflict) return { ...base, verdict, action: 'skip', detail: verdict };
    try {
      const merged = merge(record.oldImage as AttributeMap, record.newImage as AttributeMap, rules, { table: where.table, writtenIn: where.region });
      const detail = merged.escalations.length === 0 ? 'resolved' : `escalated: ${merged.escalations.map((e) => `${e.reason} ${e.subject}`).join(', ')}`;
      return { ...base, verdict, action: 'merge', detail };
    } catch (error) {
      return { ...base, verdict, action: 'quarantine', detail: describe(error) };
    }
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
