/**
 * The join of two item states, independent of any rule: version vectors pointwise max,
 * every register and the existence writes by their dots, counters slot-wise, sets
 * element-wise. Commutative, associative and idempotent by construction; the rules
 * only choose what the joined state shows (see `encodeItem`).
 */
import { joinContexts } from '../clock/context';
import { latestClock } from '../clock/version-vector';
import { attributeValuesEqual, compareAttributeValues, type AttributeValue } from '../dynamodb/attribute-value';
import { joinCounters, joinSets } from '../item/crdt';
import { contextOf, isExactFor, type CounterState, type ItemState, type Register, type SetState } from '../item/state';
import { isEmpty, joinDots, sortedKeys } from './dots';

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
function joinRecords<T extends object>(a: Readonly<Record<string, T>>, b: Readonly<Record<string, T>>, join: (x: T, y: T) => T, keepEmpty: boolean): Record<string, T> {
  const joined: Record<string, T> = {};
  const empty = {} as T;
  for (const name of sortedKeys(a, b)) {
    const value = join(a[name] ?? empty, b[name] ?? empty);
    if (keepEmpty || !isEmpty(value)) joined[name] = value;
  }
  return joined;
}

/** Without a writing region: the `by` of the version with the later clock, so `by` is a join too. */
function laterBy(a: ItemState, b: ItemState): string {
  const hlcA = latestClock(a.vv) ?? '';
  const hlcB = latestClock(b.vv) ?? '';
  if (hlcA !== hlcB) return hlcA > hlcB ? a.by : b.by;
  return a.by >= b.by ? a.by : b.by;
}

export interface JoinOptions {
  /** How long a gap in a causal context is kept (see clock/context.ts). */
  readonly gapRetentionMs: number;
  /**
   * The region where the result is written over `b`, that region's current version: the
   * result is `by` that region, and holds every write of it if `b` did (see `ItemState.tip`).
   */
  readonly writtenIn?: string;
}

/**
 * Joins two item states of one key. `wid` is left to the caller: it names the event
 * that produced a version (a write's dot, a resolution's conflict id).
 *
 * @example
 * const joined = joinStates(decodeItem(oldImage, table), decodeItem(newImage, table), { gapRetentionMs });
 */
export function joinStates(a: ItemState, b: ItemState, options: JoinOptions): ItemState {
  const seenA = contextOf(a);
  const seenB = contextOf(b);
  const { vv, gaps } = joinContexts(seenA, seenB, options.gapRetentionMs);
  const writtenIn = options.writtenIn;
  return {
    key: a.key,
    versioned: a.versioned || b.versioned,
    vv,
    gaps,
    tip: writtenIn !== undefined && isExactFor(b, writtenIn) ? writtenIn : '',
    ex: joinDots(a.ex, b.ex, seenA, seenB, tieExistence),
    // The region that writes the result (design.md §2; resolveIn: origin relies on it).
    by: writtenIn ?? laterBy(a, b),
    wid: a.wid,
    registers: joinRecords<Register>(a.registers, b.registers, (x, y) => joinDots(x, y, seenA, seenB, tieValues), false),
    counters: joinRecords<CounterState>(a.counters, b.counters, (x, y) => joinCounters(x, y, seenA, seenB), true),
    sets: joinRecords<SetState>(a.sets, b.sets, (x, y) => joinSets(x, y, seenA, seenB), true),
  };
}
