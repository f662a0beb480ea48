/**
 * `concord quarantine replay`: quarantined records run through the resolver's logic
 * again (after a rules fix, or once what refused them is repaired). A record that
 * settles has its message deleted; one that the current rules still cannot settle is
 * quarantined again by the resolver's logic (a fresh message, and a new
 * `RecordQuarantined` event, under the same id), and its old message is deleted; one
 * that fails for a reason a retry may cure keeps its message.
 */
import type { Progress } from '../../progress';
import { recordResultOf } from '../replay/record-result';
import type { RecordsWork, ResolverLogic } from '../replay/resolver-logic';
import type { QuarantinedRecord, QuarantineSource } from './quarantine-source';

/** What became of one quarantined record. */
export interface ReplayResult extends RecordsWork {
  readonly id: string;
  readonly messageId: string;
  /** `replayed`: settled, message deleted; `requarantined`: still refused, replaced by a fresh message; `kept`: left as it was; `planned`: a dry run. */
  readonly status: 'replayed' | 'requarantined' | 'kept' | 'planned';
}

/** What a replay works with. */
export interface ReplayContext {
  readonly source: QuarantineSource;
  /** The region this replay writes in: only records quarantined there are replayed. */
  readonly region: string;
  readonly logic: ResolverLogic;
  readonly progress: Progress;
}

/**
 * Replays the given records; each message is removed or released as its outcome says.
 *
 * @example
 * const results = await replayQuarantined(selected, { source, region: 'us-east-1', logic, progress });
 */
export async function replayQuarantined(records: readonly QuarantinedRecord[], context: ReplayContext): Promise<ReplayResult[]> {
  context.progress.setTotal(records.length);
  const results: ReplayResult[] = [];
  for (const quarantined of records) {
    const result = await replayOne(quarantined, context);
    if (result.status === 'replayed' || result.status === 'requarantined') await context.source.remove(quarantined);
    else await context.source.release([quarantined]);
    results.push(result);
    context.progress.advance();
  }
  return results;
}

async function replayOne(quarantined: QuarantinedRecord, context: ReplayContext): Promise<ReplayResult> {
  const base = { id: quarantined.id, messageId: quarantined.message.messageId, records: [], plans: [] };
  if (quarantined.problem !== null || quarantined.record === null) return { ...base, status: 'kept', reason: quarantined.problem ?? 'no record' };
  if (quarantined.region !== null && quarantined.region !== context.region) return { ...base, status: 'kept', reason: `quarantined in ${quarantined.region}: replay it there (--region ${quarantined.region})` };
  if (context.logic.dryRun) return { ...base, status: 'planned', reason: null, plans: context.logic.plan([quarantined.record]) };
  const report = await context.logic.settle([quarantined.record]);
  const records = report.settlements.map(recordResultOf);
  if (!report.settled) return { ...base, status: 'kept', reason: records.find((record) => record.error !== null)?.error ?? 'not settled', records };
  const again = report.settlements.find((settlement) => settlement.outcome?.kind === 'quarantined');
  return { ...base, status: again === undefined ? 'replayed' : 'requarantined', reason: again === undefined ? null : (records[0]?.result ?? null), records };
}

/**
 * The records `ids` name: a message id, a quarantine id (the `RecordQuarantined`
 * event's), or a unique prefix of either.
 *
 * @returns the records found, and the ids that named none or several
 * @example
 * const { found, unknown } = selectQuarantined(records, ['3f2a']);
 */
export function selectQuarantined(records: readonly QuarantinedRecord[], ids: readonly string[]): { readonly found: QuarantinedRecord[]; readonly unknown: string[] } {
  const found: QuarantinedRecord[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    const matches = records.filter((record) => record.id.startsWith(id) || record.message.messageId.startsWith(id));
    if (matches.length === 1) found.push(matches[0] as QuarantinedRecord);
    else unknown.push(id);
  }
  return { found: [...new Set(found)], unknown };
}
