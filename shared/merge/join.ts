/**
 * The join of two item states (design §5.2), independent of any rule: contexts pointwise,
 * every register and the existence writes by their dots, counters slot by slot, sets
 * element by element. Commutative, associative and idempotent by construction; the rules
 * only choose what the joined state shows (see `encodeItem`).
 */
import { joinContexts, latestSeen, type CausalContext } from '../clock/context';
import { actorRegion } from '../clock/dot';
import { attributeValuesEqual, compareAttributeValues, type AttributeValue } from '../dynamodb/attribute-value';
import { joinCounters, joinSets } from '../item/crdt';
import type { CounterState, Hold, ItemState, Register, SetState } from '../item/state';
import { joinDots } from './dots';
import { holdReleased, joinHold } from './holds';

type Payload = AttributeValue | null;

// Valid histories never give one dot two values; if corrupt input does, the larger wins on both sides.
function tieValues(a: Payload, b: Payload): Payload {
  if (a === null) return b;
  if (b === null || attributeValuesEqual(a, b)) return a;
  return compareAttributeValues(a, b) >= 0 ? a : b;
}

function tieExistence(a: boolean, b: boolean): boolean {
  return a || b;
}

// A side without the attribute still joins as empty state: what it has seen and dropped stays dropped.
function joinMaps<T>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>, join: (x: T | undefined, y: T | undefined) => T, keep: (value: T) => boolean): Map<string, T> {
  const joined = new Map<string, T>();
  for (const name of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const value = join(a.get(name), b.get(name));
    if (keep(value)) joined.set(name, value);
  }
  return joined;
}

const NO_REGISTER: Register = new Map();
const NO_COUNTER: CounterState = new Map();
const NO_SET: SetState = new Map();

/** Without a writing region: the `by` of the version that has seen the later clock, so `by` is a join too. */
function laterBy(a: ItemState, b: ItemState): string {
  const latestA = latestSeen(a.context) ?? '';
  const latestB = latestSeen(b.context) ?? '';
  if (latestA !== latestB) return latestA > latestB ? a.by : b.by;
  return a.by >= b.by ? a.by : b.by;
}

/**
 * Holds of both sides; a hold whose writes the joined context has seen is released
 * (the quarantined writes are back, ./holds.ts).
 */
export function joinHolds(a: ReadonlyMap<string, Hold>, b: ReadonlyMap<string, Hold>, joined: CausalContext): ReadonlyMap<string, Hold> {
  if (a.size === 0 && b.size === 0) return a;
  const holds = new Map<string, Hold>();
  for (const [key, hold] of [...a, ...b]) holds.set(key, joinHold(holds.get(key), hold));
  for (const [key, [, last]] of holds) if (holdReleased(key, last, joined)) holds.delete(key);
  return holds;
}

export interface JoinOptions {
  /**
   * The region where the result is written over `b`, that region's current version: the
   * result is `by` that region, and stays on `b`'s line if `b` was on that region's line
   * (design §3.2).
   */
  readonly writtenIn?: string;
}

/**
 * Joins two item states of one key. `wid` is left to the caller: it names the event
 * that produced a version (a write, a resolution).
 *
 * @example
 * const joined = joinStates(decodeItem(oldImage, table), decodeItem(newImage, table), { writtenIn: 'eu-west-1' });
 */
export function joinStates(a: ItemState, b: ItemState, options: JoinOptions = {}): ItemState {
  const seenA = a.context;
  const seenB = b.context;
  const context = joinContexts(seenA, seenB);
  const writtenIn = options.writtenIn;
  return {
    key: a.key,
    versioned: a.versioned || b.versioned,
    context,
    tip: writtenIn !== undefined && b.tip !== undefined && actorRegion(b.tip) === writtenIn ? b.tip : undefined,
    holds: joinHolds(a.holds, b.holds, context),
    ex: joinDots(a.ex, b.ex, seenA, seenB, tieExistence),
    by: writtenIn ?? laterBy(a, b),
    wid: a.wid,
    registers: joinMaps<Register>(a.registers, b.registers, (x, y) => joinDots(x ?? NO_REGISTER, y ?? NO_REGISTER, seenA, seenB, tieValues), (register) => register.size > 0),
    counters: joinMaps<CounterState>(a.counters, b.counters, (x, y) => joinCounters(x ?? NO_COUNTER, y ?? NO_COUNTER, context), () => true),
    sets: joinMaps<SetState>(a.sets, b.sets, (x, y) => joinSets(x ?? NO_SET, y ?? NO_SET, seenA, seenB), () => true),
  };
}
