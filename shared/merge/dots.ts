/**
 * The join of dotted state, the one mechanism under every merge rule: a write that one
 * side holds survives unless the other side has seen it (its causal context covers
 * the dot) and no longer holds it, because then the other side overwrote it.
 */
import { sees, type CausalContext } from '../clock/context';
import type { Clock } from '../clock/hlc';

/**
 * Joins two maps of dot to payload (a register's writes, the existence writes).
 * `tie` settles a dot both sides hold with different payloads, which valid histories
 * never produce; it must be commutative so that the join stays one.
 *
 * @example
 * joinDots({ [d1]: 'a' }, { [d2]: 'b' }, vvWithD1, vvWithD2, tie); // both survive when neither saw the other
 */
export function joinDots<T>(
  a: Readonly<Record<Clock, T>>,
  b: Readonly<Record<Clock, T>>,
  seenA: CausalContext,
  seenB: CausalContext,
  tie: (x: T, y: T) => T,
): Readonly<Record<Clock, T>> {
  if (sameDots(a, b, tie)) return a;
  const kept: [Clock, T][] = [];
  for (const dot in a) {
    const mine = a[dot] as T;
    if (dot in b) kept.push([dot, tie(mine, b[dot] as T)]);
    else if (!sees(seenB, dot)) kept.push([dot, mine]);
  }
  for (const dot in b) if (!(dot in a) && !sees(seenA, dot)) kept.push([dot, b[dot] as T]);
  kept.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return Object.fromEntries(kept);
}

/** True when both sides hold exactly the same dots with payloads the tie keeps as `a`'s: most attributes in a conflict. */
function sameDots<T>(a: Readonly<Record<Clock, T>>, b: Readonly<Record<Clock, T>>, tie: (x: T, y: T) => T): boolean {
  let count = 0;
  for (const dot in a) {
    if (!(dot in b) || tie(a[dot] as T, b[dot] as T) !== a[dot]) return false;
    count += 1;
  }
  for (const _ in b) count -= 1;
  return count === 0;
}

/** Joins two lists of dots (an add-wins set element's adds). */
export function joinDotList(a: readonly Clock[], b: readonly Clock[], seenA: CausalContext, seenB: CausalContext): readonly Clock[] {
  // Most elements hold the same adds on both sides: nothing to decide.
  if (a.length === b.length && a.every((dot, i) => dot === b[i])) return a;
  const kept = new Set<Clock>();
  for (const dot of a) if (b.includes(dot) || !sees(seenB, dot)) kept.add(dot);
  for (const dot of b) if (a.includes(dot) || !sees(seenA, dot)) kept.add(dot);
  return [...kept].sort();
}

/** True when no key is present. */
export function isEmpty(record: object): boolean {
  for (const _ in record) return false;
  return true;
}

/** The largest key of a record of dots, or undefined. */
export function largestDot(record: Readonly<Record<Clock, unknown>>): Clock | undefined {
  let largest: Clock | undefined;
  for (const dot in record) if (largest === undefined || dot > largest) largest = dot;
  return largest;
}

/** The keys of several records, each once, in sorted order: the canonical order of every image. */
export function sortedKeys(...records: readonly object[]): string[] {
  const [first, ...rest] = records;
  const keys = first === undefined ? [] : Object.keys(first);
  for (const record of rest) for (const key in record) if (!(first !== undefined && key in first) && !keys.includes(key)) keys.push(key);
  return keys.sort();
}
