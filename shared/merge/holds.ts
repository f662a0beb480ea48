/**
 * Holds (docs/design.md §5.4). When a conflict record is quarantined, the item keeps the
 * version Global Tables left, which lacks writes of the record's old image until the
 * record is replayed. A hold on that version keeps its floors below those writes, so no
 * compaction certifies them as seen meanwhile; the merge that brings them back releases
 * the hold (`joinHolds`).
 *
 * A hold is keyed by the epoch whose writes it protects (`<region>~<tag>`), or by a bare
 * region for writes the old image holds folded below its floor (their epochs are gone).
 * It is `[first, last]`: the floor of the region stays below `first`; the hold is
 * released once a version has seen `last`.
 */
import { seenUpTo, sees, type CausalContext } from '../clock/context';
import { actorRegion, dotOf, isActor } from '../clock/dot';
import { nextClock, type Clock } from '../clock/hlc';
import type { Hold, ItemState } from '../item/state';

/** The earliest clock: a hold from it keeps the region's floor where it is. */
const FIRST_CLOCK: Clock = '0000000000000.00000';

/** The region whose floor a hold keeps down. */
export function holdRegion(key: string): string {
  return isActor(key) ? actorRegion(key) : key;
}

/** True when a version with context `context` has seen every write the hold protects. */
export function holdReleased(key: string, last: Clock, context: CausalContext): boolean {
  if (isActor(key)) return sees(context, dotOf(last, key));
  const floor = context.floors.get(key);
  return floor !== undefined && floor >= last;
}

/** Joins two holds of one key: from the earlier first to the later last. */
export function joinHold(a: Hold | undefined, b: Hold): Hold {
  if (a === undefined) return b;
  return [a[0] <= b[0] ? a[0] : b[0], a[1] >= b[1] ? a[1] : b[1]];
}

/**
 * The holds `current` needs so that no floor rises over the writes `old` holds and
 * `current` has not seen: its own holds, joined with one per epoch of `old` it has not
 * seen to the end, and one per region whose floor in `old` is above its own.
 *
 * @example
 * const holds = holdsFor(decodeItem(oldImage, table), decodeItem(currentImage, table));
 * // e.g. Map { 'us-east-1~k3F9aZ2q' => ['1732850000001.00000', '1732850000007.00000'] }
 */
export function holdsFor(old: ItemState, current: ItemState): ReadonlyMap<string, Hold> {
  const holds = new Map<string, Hold>(current.holds);
  const hold = (key: string, seen: Clock | undefined, last: Clock): void => {
    holds.set(key, joinHold(holds.get(key), [seen === undefined ? FIRST_CLOCK : (nextClock(seen) ?? last), last]));
  };
  for (const [actor, last] of old.context.vv) {
    if (!sees(current.context, dotOf(last, actor))) hold(actor, seenUpTo(current.context, actor), last);
  }
  for (const [region, floor] of old.context.floors) {
    const own = current.context.floors.get(region);
    if (own === undefined || own < floor) hold(region, own, floor);
  }
  return holds;
}
