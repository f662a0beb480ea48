/**
 * Counter and add-wins set state: reading it (adopting a value written before
 * Concord), joining it, and what it shows.
 */
import { RuleApplicationError } from '../errors';
import { joinDotList, sortedKeys } from '../merge/dots';
import { sees, type Gap } from '../clock/context';
import type { CausalContext } from '../clock/context';
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
  if (!Number.isSafeInteger(total)) throw new RuleApplicationError(entity, attribute, `a counter holds a value of type ${Object.keys(legacy)[0]} that is not a whole number`);
  return { [LEGACY_SLOT]: { p: Math.max(total, 0), n: Math.max(-total, 0) } };
}

/** The value a counter shows: Σp − Σn, summed in slot order. */
export function counterTotal(counter: CounterState): number {
  let total = 0;
  for (const key of Object.keys(counter).sort()) {
    const slot = counter[key] as PnSlot;
    total += slot.p - slot.n;
  }
  return total;
}

const NO_SLOT: PnSlot = { p: 0, n: 0 };

/** The dot of the write that opened a branch slot (`<region>@<dot>`), or undefined for a region's own slot. */
function branchDot(key: string): Clock | undefined {
  const at = key.indexOf('@');
  return at < 0 ? undefined : key.slice(at + 1);
}

/**
 * The slot-wise maximum (each slot grows along one history). A branch slot that one
 * side no longer holds although it has seen the dot that opened it was folded into its
 * region's slot there, and is dropped.
 */
export function joinCounters(a: CounterState, b: CounterState, seenA: CausalContext, seenB: CausalContext): CounterState {
  const joined: Record<string, PnSlot> = {};
  for (const key of sortedKeys(a, b)) {
    const left = a[key];
    const right = b[key];
    const dot = branchDot(key);
    if (dot !== undefined && (left === undefined ? sees(seenA, dot) : right === undefined && sees(seenB, dot))) continue;
    const l = left ?? NO_SLOT;
    const r = right ?? NO_SLOT;
    joined[key] = { p: Math.max(l.p, r.p), n: Math.max(l.n, r.n) };
  }
  return joined;
}

/** The region's write: its dot and the gaps in its region's history after the write. */
export interface CounterWrite {
  readonly region: string;
  readonly dot: Clock;
  readonly gaps: readonly Gap[];
}

/**
 * Adds `delta` for a write. A region whose history of the item has no gap grows its own
 * slot; with a gap (its slot may be behind a history of the region that will be merged
 * back) it grows the slot of the branch after the latest gap, opened by the first
 * increment there. A branch slot with no gap below it any more is folded into the
 * region's slot: every write of the region before it has been seen.
 */
export function incrementCounter(counter: CounterState, write: CounterWrite, delta: number): CounterState {
  const { region, dot, gaps } = write;
  const next: Record<string, PnSlot> = {};
  let own = counter[region] ?? NO_SLOT;
  let current: string | undefined;
  const latestGapEnd = gaps.at(-1)?.[1];
  for (const key of Object.keys(counter).sort()) {
    const slot = counter[key] as PnSlot;
    const opened = key.startsWith(`${region}@`) ? branchDot(key) : undefined;
    if (opened === undefined) {
      if (key !== region) next[key] = slot;
    } else if (!gaps.some(([lo]) => lo < opened)) {
      own = { p: own.p + slot.p, n: own.n + slot.n };
    } else {
      next[key] = slot;
      if (latestGapEnd !== undefined && opened >= latestGapEnd) current = key;
    }
  }
  if (own !== NO_SLOT || latestGapEnd === undefined) next[region] = own;
  if (latestGapEnd === undefined) next[region] = grow(own, delta);
  else {
    const key = current ?? `${region}@${dot}`;
    next[key] = grow(next[key] ?? NO_SLOT, delta);
  }
  return next;
}

function grow(slot: PnSlot, delta: number): PnSlot {
  return delta >= 0 ? { p: slot.p + delta, n: slot.n } : { p: slot.p, n: slot.n - delta };
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
  if (!('SS' in legacy)) throw new RuleApplicationError(entity, attribute, `an add-wins set holds a value of type ${Object.keys(legacy)[0]}, not a string set (SS)`);
  return Object.fromEntries(legacy.SS.map((element) => [element, [LEGACY_DOT]]));
}

/** Joins two add-wins sets element by element; an element with no surviving add is gone. */
export function joinSets(a: SetState, b: SetState, seenA: CausalContext, seenB: CausalContext): SetState {
  if (sameElements(a, b)) return a;
  const joined: Record<string, readonly Clock[]> = {};
  for (const element of sortedKeys(a, b)) {
    const dots = joinDotList(a[element] ?? [], b[element] ?? [], seenA, seenB);
    if (dots.length > 0) joined[element] = dots;
  }
  return joined;
}

/** True when both sides hold the same elements with the same adds: nothing to decide. */
function sameElements(a: SetState, b: SetState): boolean {
  let count = 0;
  for (const element in a) {
    const left = a[element] as readonly Clock[];
    const right = b[element];
    if (right === undefined || left.length !== right.length || left.some((dot, i) => dot !== right[i])) return false;
    count += 1;
  }
  for (const _ in b) count -= 1;
  return count === 0;
}

/** The members a set shows, in canonical order. */
export function setMembers(set: SetState): string[] {
  return Object.keys(set)
    .filter((element) => (set[element] as readonly Clock[]).length > 0)
    .sort();
}
