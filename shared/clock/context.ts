/**
 * Causal contexts (design §3): what a version has seen. Per region a floor (every dot of
 * the region at or below it), per epoch the latest dot seen. Entries at or below their
 * region's floor are folded away, so a context holds only the epochs that are still open
 * or recent.
 */
import { actorRegion, dotActor, dotClock, dotRegion, LEGACY_DOT, type Actor, type Dot } from './dot';
import type { Clock } from './hlc';

/** What a version has seen. */
export interface CausalContext {
  /** Region → clock: every dot of the region with a clock at or below it. */
  readonly floors: ReadonlyMap<string, Clock>;
  /** Actor → the clock of the latest dot of that epoch seen (always above the region's floor). */
  readonly vv: ReadonlyMap<Actor, Clock>;
}

/** The context of a version that has seen nothing. */
export const NOTHING_SEEN: CausalContext = Object.freeze({ floors: new Map<string, Clock>(), vv: new Map<Actor, Clock>() });

/**
 * True when a version with this context has seen the write named by `dot`.
 *
 * @example
 * sees({ floors: new Map([['us', f]]), vv: new Map() }, dot); // true when dot's clock ≤ f
 */
export function sees(context: CausalContext, dot: Dot): boolean {
  if (dot === LEGACY_DOT) return true;
  const clock = dotClock(dot);
  const floor = context.floors.get(dotRegion(dot));
  if (floor !== undefined && clock <= floor) return true;
  const latest = context.vv.get(dotActor(dot));
  return latest !== undefined && clock <= latest;
}

/** The clock of the latest dot of `actor` a context has seen: its entry, else its region's floor. */
export function seenUpTo(context: CausalContext, actor: Actor): Clock | undefined {
  return context.vv.get(actor) ?? context.floors.get(actorRegion(actor));
}

/**
 * The context of a write at `dot` on a version with context `base`.
 *
 * @example
 * advance(base, '1732850000000.00003.eu-west-1~k3F9aZ2q'); // vv gains the epoch's latest dot
 */
export function advance(base: CausalContext, dot: Dot): CausalContext {
  const vv = new Map(base.vv);
  vv.set(dotActor(dot), dotClock(dot));
  return { floors: base.floors, vv };
}

/**
 * The context of a version that has seen what either has: floors and entries by max, then
 * the entries their region's floor now covers dropped.
 *
 * @example
 * joinContexts(a, b);
 */
export function joinContexts(a: CausalContext, b: CausalContext): CausalContext {
  if (a === b) return a;
  const floors = new Map(a.floors);
  for (const [region, floor] of b.floors) {
    const mine = floors.get(region);
    if (mine === undefined || floor > mine) floors.set(region, floor);
  }
  const vv = new Map<Actor, Clock>();
  const keep = (actor: Actor, clock: Clock): void => {
    const floor = floors.get(actorRegion(actor));
    if (floor !== undefined && clock <= floor) return;
    const mine = vv.get(actor);
    if (mine === undefined || clock > mine) vv.set(actor, clock);
  };
  for (const [actor, clock] of a.vv) keep(actor, clock);
  for (const [actor, clock] of b.vv) keep(actor, clock);
  return { floors, vv };
}

/**
 * True when `a` has seen every dot `b` has seen. A region whose floor is lower in `a` is
 * taken as not covered: which dots lie between the two floors is not known (the caller
 * may check the dots `b` holds instead, see classify).
 *
 * @example
 * covers(current, oldImage); // the resolver's "superseded" test
 */
export function covers(a: CausalContext, b: CausalContext): boolean {
  for (const [region, floor] of b.floors) {
    const mine = a.floors.get(region);
    if (mine === undefined || mine < floor) return false;
  }
  for (const [actor, clock] of b.vv) {
    const mine = seenUpTo(a, actor);
    if (mine === undefined || mine < clock) return false;
  }
  return true;
}

/**
 * Raises `region`'s floor to `floor` (never lowers it) and drops the entries it covers.
 * Returns the new context and the epochs folded away.
 */
export function raiseFloor(context: CausalContext, region: string, floor: Clock): { readonly context: CausalContext; readonly folded: readonly Actor[] } {
  const current = context.floors.get(region);
  if (current !== undefined && current >= floor) return { context, folded: [] };
  const floors = new Map(context.floors);
  floors.set(region, floor);
  const vv = new Map<Actor, Clock>();
  const folded: Actor[] = [];
  for (const [actor, clock] of context.vv) {
    if (actorRegion(actor) === region && clock <= floor) folded.push(actor);
    else vv.set(actor, clock);
  }
  return { context: { floors, vv }, folded };
}

/** The latest clock a context has seen (over floors and entries), or undefined for an empty one. */
export function latestSeen(context: CausalContext): Clock | undefined {
  let latest: Clock | undefined;
  for (const clock of context.floors.values()) if (latest === undefined || clock > latest) latest = clock;
  for (const clock of context.vv.values()) if (latest === undefined || clock > latest) latest = clock;
  return latest;
}

/** A context as plain JSON: floors and epochs, keys in order (for audit events and the writer's `withEnvelope`). */
export interface ContextSummary {
  readonly fl: Readonly<Record<string, Clock>>;
  readonly vv: Readonly<Record<Actor, Clock>>;
}

/**
 * The plain form of a context.
 *
 * @example
 * summarize(state.context); // { fl: { 'us-east-1': '…' }, vv: { 'eu-west-1~k3F9aZ2q': '…' } }
 */
export function summarize(context: CausalContext): ContextSummary {
  const plain = (map: ReadonlyMap<string, Clock>): Record<string, Clock> => {
    const record = Object.create(null) as Record<string, Clock>;
    for (const key of [...map.keys()].sort()) record[key] = map.get(key) as Clock;
    return record;
  };
  return { fl: plain(context.floors), vv: plain(context.vv) };
}
