/**
 * Counter and add-wins set state (design §4): reading it (adopting a value written before
 * Concord), joining it, folding it, and what it shows. Counters are exact: slots and
 * totals are arbitrary-precision integers.
 */
import { RuleApplicationError } from '../errors';
import { actorRegion, isActor, type Actor, type Dot } from '../clock/dot';
import type { CausalContext } from '../clock/context';
import { wholeNumber } from '../dynamodb/number';
import { joinDotList } from '../merge/dots';
import { foldedSlot, LEGACY_DOT, LEGACY_SLOT, type CounterState, type ItemState, type PnSlot, type SetState } from './state';

const NO_SLOT: PnSlot = { p: 0n, n: 0n };

/**
 * The counter state of an attribute; a counter that only has a plain number from before
 * Concord starts from it, in the legacy slot (every region adopts the same slot, so the
 * adoption joins with itself).
 *
 * @throws RuleApplicationError when the legacy value is not a whole number
 */
export function counterOf(state: ItemState, attribute: string, entity: string): CounterState {
  const counter = state.counters.get(attribute);
  if (counter !== undefined) return counter;
  const legacy = state.registers.get(attribute)?.get(LEGACY_DOT);
  if (legacy === undefined || legacy === null) return new Map();
  const total = 'N' in legacy ? wholeNumber(legacy.N) : undefined;
  if (total === undefined) throw new RuleApplicationError(entity, attribute, `a counter holds a value of type ${Object.keys(legacy)[0]} that is not a whole number`);
  return new Map([[LEGACY_SLOT, total >= 0n ? { p: total, n: 0n } : { p: 0n, n: -total }]]);
}

/** The value a counter shows: Σp − Σn. */
export function counterTotal(counter: CounterState): bigint {
  let total = 0n;
  for (const slot of counter.values()) total += slot.p - slot.n;
  return total;
}

/**
 * Adds `delta` to the slot of `actor` (the writing epoch).
 *
 * @example
 * incrementCounter(counter, 'eu-west-1~k3F9aZ2q', -2n);
 */
export function incrementCounter(counter: CounterState, actor: Actor, delta: bigint): CounterState {
  const next = new Map(counter);
  const slot = counter.get(actor) ?? NO_SLOT;
  next.set(actor, delta >= 0n ? { p: slot.p + delta, n: slot.n } : { p: slot.p, n: slot.n - delta });
  return next;
}

function maxSlot(a: PnSlot, b: PnSlot): PnSlot {
  return { p: a.p > b.p ? a.p : b.p, n: a.n > b.n ? a.n : b.n };
}

/**
 * Joins two counters; `joined` is the join of their versions' contexts. Every slot joins
 * by max: an epoch's slot grows only along its epoch, and a region's folded slot only as
 * its floor rises (a higher floor folds a superset of epochs, design §3.3). An epoch's slot
 * stays while its epoch is in the joined context; once a floor covers it, it is in the
 * folded slot of the side with that floor.
 */
export function joinCounters(a: CounterState, b: CounterState, joined: CausalContext): CounterState {
  if (a === b) return a;
  const slots = new Map<string, PnSlot>();
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (isActor(key) && !joined.vv.has(key)) continue;
    slots.set(key, maxSlot(a.get(key) ?? NO_SLOT, b.get(key) ?? NO_SLOT));
  }
  return slots;
}

/**
 * Moves the slots of `folded` epochs into their regions' folded slots (design §3.3).
 *
 * @example
 * foldCounter(counter, ['us-east-1~k3F9aZ2q']);
 */
export function foldCounter(counter: CounterState, folded: ReadonlySet<Actor>): CounterState {
  let next: Map<string, PnSlot> | undefined;
  for (const [key, slot] of counter) {
    if (!folded.has(key)) continue;
    next ??= new Map(counter);
    next.delete(key);
    const into = foldedSlot(actorRegion(key));
    const base = next.get(into) ?? NO_SLOT;
    next.set(into, { p: base.p + slot.p, n: base.n + slot.n });
  }
  return next ?? counter;
}

/**
 * The add-wins set state of an attribute; a plain string set from before Concord is
 * adopted with the legacy dot, which every version has seen (so a remover's view wins
 * over it, and a concurrent add's does not).
 *
 * @throws RuleApplicationError when the legacy value is not a string set
 */
export function setOf(state: ItemState, attribute: string, entity: string): SetState {
  const set = state.sets.get(attribute);
  if (set !== undefined) return set;
  const legacy = state.registers.get(attribute)?.get(LEGACY_DOT);
  if (legacy === undefined || legacy === null) return new Map();
  if (!('SS' in legacy)) throw new RuleApplicationError(entity, attribute, `an add-wins set holds a value of type ${Object.keys(legacy)[0]}, not a string set (SS)`);
  return new Map(legacy.SS.map((element) => [element, [LEGACY_DOT]]));
}

/** Joins two add-wins sets element by element; an element with no surviving add is gone. */
export function joinSets(a: SetState, b: SetState, seenA: CausalContext, seenB: CausalContext): SetState {
  if (a === b) return a;
  const joined = new Map<string, readonly Dot[]>();
  for (const element of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const dots = joinDotList(a.get(element) ?? [], b.get(element) ?? [], seenA, seenB);
    if (dots.length > 0) joined.set(element, dots);
  }
  return joined;
}

/** The members a set shows, in canonical order. */
export function setMembers(set: SetState): string[] {
  const members: string[] = [];
  for (const [element, dots] of set) if (dots.length > 0) members.push(element);
  return members.sort();
}
