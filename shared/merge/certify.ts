/**
 * Certification (design §3.3): R's resolver, writing over the version its record left
 * current, raises R's floor and folds the epochs of R it covers. Only R's resolver may
 * call this for R, and only when every earlier record of the item in R's stream has been
 * processed.
 */
import { raiseFloor } from '../clock/context';
import { actorRegion, type Actor } from '../clock/dot';
import { lastClockOf, previousClock, type Clock } from '../clock/hlc';
import { foldCounter } from '../item/crdt';
import { holdRegion } from './holds';
import type { CounterState, ItemState } from '../item/state';

/** Margin added to twice the clock offset bound: a floor trails the resolver's clock by at least this much more. */
const FLOOR_MARGIN_MS = 1000;

/**
 * The highest floor R's resolver may certify at wall time `nowMs`: below every dot a
 * writer can still issue (design §3.3) and below every hold of R; also below the latest
 * dot of the line R continues, so that the line keeps its entry and R's next write stays
 * a one-call update.
 */
export function certifiableFloor(state: ItemState, region: string, nowMs: number, maxClockOffsetMs: number): Clock | undefined {
  let floor: Clock | undefined = lastClockOf(nowMs - 2 * maxClockOffsetMs - FLOOR_MARGIN_MS);
  const below = (clock: Clock): void => {
    if (floor !== undefined && clock <= floor) floor = previousClock(clock);
  };
  const line = state.tip !== undefined && actorRegion(state.tip) === region ? state.context.vv.get(state.tip) : undefined;
  if (line !== undefined) below(line);
  for (const [key, [first]] of state.holds) if (holdRegion(key) === region) below(first);
  const current = state.context.floors.get(region);
  return floor === undefined || (current !== undefined && floor <= current) ? undefined : floor;
}

/** The epochs of `region` a floor would fold. */
export function foldable(state: ItemState, region: string, floor: Clock): Actor[] {
  const actors: Actor[] = [];
  for (const [actor, clock] of state.context.vv) if (actorRegion(actor) === region && clock <= floor && actor !== state.tip) actors.push(actor);
  return actors;
}

/**
 * Raises `region`'s floor of a state to `floor` and folds the epochs it covers: their
 * entries go, their counter slots join the region's folded slot.
 *
 * @example
 * const floor = certifiableFloor(merged, 'eu-west-1', now, rules.table.maxClockOffsetMs);
 * const certified = floor === undefined ? merged : certify(merged, 'eu-west-1', floor);
 */
export function certify(state: ItemState, region: string, floor: Clock): ItemState {
  const { context, folded } = raiseFloor(state.context, region, floor);
  if (context === state.context) return state;
  const actors = new Set(folded);
  const counters = new Map<string, CounterState>();
  for (const [name, counter] of state.counters) counters.set(name, foldCounter(counter, actors));
  return { ...state, context, counters };
}

/**
 * Foldable epochs of its own region at which the resolver compacts an image whatever it
 * saves (design §3.4): the bound on how many epochs an item keeps.
 */
export const COMPACT_AT = 4;

/** Fewer foldable epochs than this are never worth a compaction write. */
export const COMPACT_FROM = 2;

/** DynamoDB write units of an item of `bytes`: one per kilobyte, rounded up. */
export function writeUnitsOf(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

/**
 * True when a compaction is worth its write: every later write of the item, in every
 * region, costs a write unit less, or the epochs reached {@link COMPACT_AT}. A compaction
 * costs a write in every region; one that saves nothing only moves metadata.
 */
export function compactionPays(beforeBytes: number, afterBytes: number, folded: number, threshold = COMPACT_AT): boolean {
  return folded >= threshold || (folded >= COMPACT_FROM && writeUnitsOf(afterBytes) < writeUnitsOf(beforeBytes));
}

/**
 * The compaction `region`'s resolver may write over `state` at wall time `nowMs`: its
 * certified state, the floor, and how many epochs it folds; undefined when it folds none.
 * Its `wid` is left to the caller, and so is whether it pays ({@link compactionPays}).
 *
 * @example
 * const compacted = compaction(state, 'eu-west-1', now, rules.table.maxClockOffsetMs);
 */
export function compaction(state: ItemState, region: string, nowMs: number, maxClockOffsetMs: number): { readonly state: ItemState; readonly floor: Clock; readonly folded: number } | undefined {
  const floor = certifiableFloor(state, region, nowMs, maxClockOffsetMs);
  const folded = floor === undefined ? 0 : foldable(state, region, floor).length;
  if (floor === undefined || folded === 0) return undefined;
  return { state: rewrittenIn(certify(state, region, floor), region), floor, folded };
}

/**
 * A version the resolver of `region` rewrites (a compaction, a hold): written in `region`,
 * it stays on that region's line only (design §3.2). Another region's line continues where
 * that region wrote it, never from a copy written here, which may replace a later version
 * of that line there.
 */
export function rewrittenIn(state: ItemState, region: string): ItemState {
  const tip = state.tip !== undefined && actorRegion(state.tip) === region ? state.tip : undefined;
  return { ...state, tip, by: region };
}
