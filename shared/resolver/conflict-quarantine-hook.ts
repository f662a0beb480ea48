/**
 * What follows a CONFLICT record's quarantine, whatever the reason (a merge that can
 * never succeed, a write DynamoDB refuses, an audit event EventBridge refuses, or a
 * transient failure that outlasted CONCORD_GIVE_UP_AFTER_SECONDS). The item then keeps
 * the version Global Tables left, which may lack writes of the old image until the record
 * is replayed from the quarantine queue. A hold on that version (docs/design.md §5.4)
 * keeps its floors below those writes, so that no compaction meanwhile certifies them as
 * seen: the replay can still merge them back, and that merge releases the hold.
 *
 * It runs after the quarantine queue accepted the record (its payload is safe), within
 * the record's processing: an error it throws fails the record, which is then retried
 * (and quarantined again, under the same id, finding its hold already written).
 */
import { WriteContentionError } from '../errors';
import type { AttributeMap } from '../dynamodb/attribute-value';
import { encodeItem } from '../item/encode';
import { decodeItem, describeKey, type Hold, type ItemState } from '../item/state';
import { rewrittenIn } from '../merge/certify';
import { holdId } from '../merge/conflict-id';
import { holdsFor } from '../merge/holds';
import type { ResolverContext } from './dependencies';
import { widIs, type ItemStore } from './item-store';
import type { StreamRecord } from './stream-record';

/** What the hook is given: the record, its quarantine id, and the batch's context and item store. */
export type ConflictQuarantineHook = (record: StreamRecord, quarantineId: string, context: ResolverContext, store: ItemStore) => Promise<void>;

/**
 * Writes the holds the current item needs for the record's old image, on the condition
 * that the item is still the version read. Nothing is written when the old image or the
 * current item cannot be decoded (nothing Concord reads can be protected, and nothing
 * certifies a floor over an undecodable item), when the item is gone, or when it already
 * holds (or has seen) everything.
 *
 * @throws WriteContentionError when the item kept changing for every attempt
 * @example
 * await onConflictQuarantined(record, quarantineId(record, table), context, store);
 */
export const onConflictQuarantined: ConflictQuarantineHook = async (record, quarantineId, context, store) => {
  const { rules, config } = context;
  const key = record.key;
  const old = key === undefined ? undefined : decodeOrUndefined(record.oldImage, context, key);
  if (key === undefined || old === undefined) return;
  for (let attempt = 1; attempt <= config.maxWriteAttempts; attempt += 1) {
    const current = decodeOrUndefined(await store.get(key), context, key);
    if (current === undefined) return;
    const holds = holdsFor(old, current);
    if (sameHolds(holds, current.holds)) return;
    const held = { ...rewrittenIn({ ...current, holds }, config.region), wid: holdId(config.table, key, current.wid, quarantineId) };
    if (await store.put(encodeItem(held, rules).image, key, widIs(rules.table, current.wid))) {
      context.logger.warn('holds written: the item keeps its floors below the quarantined writes until the record is replayed', { holds: Object.fromEntries(holds) });
      return;
    }
  }
  throw new WriteContentionError(describeKey(key), config.maxWriteAttempts);
};

function decodeOrUndefined(image: AttributeMap | undefined, context: ResolverContext, key: AttributeMap): ItemState | undefined {
  if (image === undefined) return undefined;
  try {
    const state = decodeItem(image, context.rules.table, key);
    return state.versioned ? state : undefined;
  } catch {
    return undefined;
  }
}

function sameHolds(a: ReadonlyMap<string, Hold>, b: ReadonlyMap<string, Hold>): boolean {
  return a.size === b.size && [...a].every(([key, [first, last]]) => b.get(key)?.[0] === first && b.get(key)?.[1] === last);
}
