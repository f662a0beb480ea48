/**
 * Counter and add-wins set state: reading it (adopting a value written before
 * Concord), joining it, and what it shows.
 */
import { RuleApplicationError } from '../errors';
import { joinDotList, sortedKeys } from '../merge/dots';
import type { VersionVector } from '../clock/version-vector';
import type { Clock } from '../clock/hlc';
import { LEGACY_DOT, LEGACY_SLOT, type CounterState, type ItemState, type PnSlot, type SetState } from './state';

/**
 * The counter state of an attribute; a counter that only has a plain number from before
 * Concord starts from it, in the legacy slot (every region adopts the same slot, so the
 * adoption joins with itself).
 */
export function counterOf(state: ItemState, attribute: string, entity: string): CounterState {
  const counter = state.counters[attribute];
  if (counter !== undefined) return counter;
  const legacy = state.registers[attribute]?.[LEGACY_DOT];
  if (legacy === undefined || legacy === null) return {};
  const total = 'N' in legacy ? Number(legacy.N) : NaN;
  if (!Number.isSafeInteger(total)) throw new RuleApplicationError(entity, attribute, `a counter holds ${JSON.stringify(legacy)}, not a whole number`);
  return { [LEGACY_SLOT]: { p: Math.max(total, 0), n: Math.max(-total, 0) } };
}

/** The value a counter shows: Σp − Σn, summed in region order. */
export function counterTotal(counter: CounterState): number {
  let total = 0;
  for (const region of Object.keys(counter).sort()) {
    const slot = counter[region] as PnSlot;
    total += slot.p - slot.n;
  }
  return total;
}

/** The slot-wise maximum: each region only ever grows its own slot. */
export function joinCounters(a: CounterState, b: CounterState): CounterState {
  const joined: Record<string, PnSlot> = {};
  for (const region of sortedKeys(a, b)) {
    const left = a[region];
    const right = b[region];
    joined[region] = left === undefined ? (right as PnSlot) : right === undefined ? left : { p: Math.max(left.p, right.p), n: Math.max(left.n, right.n) };
  }
  return joined;
}

/** Adds `delta` to `region`'s slot. */
export function incrementCounter(counter: CounterState, region: string, delta: number): CounterState {
  const slot = counter[region] ?? { p: 0, n: 0 };
  const next = delta >= 0 ? { p: slot.p + delta, n: slot.n } : { p: slot.p, n: slot.n - delta };
  return { ...counter, [region]: next };
}

/**
 * The add-wins set state of an attribute; a plain string set from before Concord is
 * adopted with the legacy dot, which every version has seen (so a remover's view wins
 * over it, and a concurrent add's does not).
 */
export function setOf(state: ItemState, attribute: string, entity: string): SetState {
  const set = state.sets[attribute];
  if (set !== undefined) return set;
  const legacy = state.registers[attribute]?.[LEGACY_DOT];
  if (legacy === undefined || legacy === null) return {};
  if (!('SS' in legacy)) throw new RuleApplicationError(entity, attribute, `an add-wins set holds ${JSON.stringify(legacy)}, not a string set`);
  return Object.fromEntries(legacy.SS.map((element) => [element, [LEGACY_DOT]]));
}

/** Joins two add-wins sets element by element; an element with no surviving add is gone. */
export function joinSets(a: SetState, b: SetState, vvA: VersionVector, vvB: VersionVector): SetState {
  const joined: Record<string, readonly Clock[]> = {};
  for (const element of sortedKeys(a, b)) {
    const dots = joinDotList(a[element] ?? [], b[element] ?? [], vvA, vvB);
    if (dots.length > 0) joined[element] = dots;
  }
  return joined;
}

/** The members a set shows, in canonical order. */
export function setMembers(set: SetState): string[] {
  return Object.keys(set)
    .filter((element) => (set[element] as readonly Clock[]).length > 0)
    .sort();
}
