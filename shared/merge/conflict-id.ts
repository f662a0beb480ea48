import { createHash } from 'node:crypto';
import type { CausalContext } from '../clock/context';
import { canonicalJson, type AttributeMap } from '../dynamodb/attribute-value';

/** A context in a canonical string form: floors and entries in key order. */
export function contextJson(context: CausalContext): string {
  const sorted = (map: ReadonlyMap<string, string>): [string, string][] => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([sorted(context.floors), sorted(context.vv)]);
}

/**
 * The id of a conflict: a hash of the table, the key and both contexts in a canonical
 * order, so every region that resolves the same conflict names it alike and audit
 * consumers can drop duplicates.
 *
 * @example
 * conflictId('concord-prod', { pk: { S: 'CART#1' }, sk: { S: 'CART' } }, old.context, current.context); // 32 hex digits
 */
export function conflictId(table: string, key: AttributeMap, a: CausalContext, b: CausalContext): string {
  const [first, second] = [contextJson(a), contextJson(b)].sort();
  return createHash('sha256').update(`${table}\n${canonicalJson(key)}\n${first}\n${second}`).digest('hex').slice(0, 32);
}

/**
 * The id of a compaction (design §3.4): the version compacted and the floor, so that a
 * redelivered record recognises its own compaction.
 */
export function compactionId(table: string, key: AttributeMap, compactedWid: string, floor: string): string {
  return createHash('sha256').update(`compact\n${table}\n${canonicalJson(key)}\n${compactedWid}\n${floor}`).digest('hex').slice(0, 32);
}

/**
 * The id of a hold (./holds.ts): the version held and the quarantined record's id, so that
 * a record quarantined again recognises its own hold.
 */
export function holdId(table: string, key: AttributeMap, heldWid: string, quarantineId: string): string {
  return createHash('sha256').update(`hold\n${table}\n${canonicalJson(key)}\n${heldWid}\n${quarantineId}`).digest('hex').slice(0, 32);
}
