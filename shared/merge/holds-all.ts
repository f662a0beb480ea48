/**
 * Whether one version holds every write of another: the test behind "successor" (no
 * conflict) and "superseded" (nothing left to merge).
 */
import { covers, sees, type CausalContext } from '../clock/context';
import { actorRegion, dotOf, isActor } from '../clock/dot';
import { foldedSlotRegion, type ItemState } from '../item/state';

/**
 * True when `current` falls short of `old`'s context only in some floor: it has seen every
 * epoch entry of `old`. Then only the writes `old` holds can tell whether anything was lost.
 */
export function onlyFloorsLag(current: CausalContext, old: CausalContext): boolean {
  for (const [actor, clock] of old.vv) if (!sees(current, dotOf(clock, actor))) return false;
  return true;
}

/**
 * True when `current` holds or has seen every write `old` holds: by the contexts alone
 * when `current`'s covers `old`'s, else write by write (a floor certified on one side
 * only: `old` knew more, but may have lost nothing).
 *
 * @example
 * holdsAll(decodeItem(currentImage, table), decodeItem(oldImage, table)); // superseded when true
 */
export function holdsAll(current: ItemState, old: ItemState): boolean {
  if (covers(current.context, old.context)) return true;
  if (!onlyFloorsLag(current.context, old.context)) return false;
  const seen = (dot: string): boolean => sees(current.context, dot);
  for (const register of old.registers.values()) for (const dot of register.keys()) if (!seen(dot)) return false;
  for (const dot of old.ex.keys()) if (!seen(dot)) return false;
  for (const set of old.sets.values()) for (const dots of set.values()) if (!dots.every(seen)) return false;
  return countersHeld(current, old);
}

/** Every increment of `old`'s counters is in `current`'s. */
function countersHeld(current: ItemState, old: ItemState): boolean {
  for (const [name, counter] of old.counters) {
    const mine = current.counters.get(name);
    for (const [slot, { p, n }] of counter) {
      const region = foldedSlotRegion(slot);
      if (region !== undefined) {
        // A floor at least as high folded every epoch the old floor folded (design §3.3);
        // below it, which epochs the old one folded is not known.
        if ((current.context.floors.get(region) ?? '') < (old.context.floors.get(region) ?? '')) return false;
        continue;
      }
      const folded = isActor(slot) && !current.context.vv.has(slot) && (current.context.floors.get(actorRegion(slot)) ?? '') >= (old.context.vv.get(slot) ?? '~');
      const theirs = mine?.get(slot);
      if (!folded && (theirs === undefined || theirs.p < p || theirs.n < n)) return false;
    }
  }
  return true;
}
