/**
 * The join of dotted state, the one mechanism under every merge rule: a write that one
 * side holds survives unless the other side has seen it (its causal context covers the
 * dot) and no longer holds it, because then the other side overwrote it.
 */
import { sees, type CausalContext } from '../clock/context';
import type { Dot } from '../clock/dot';

/**
 * Joins two maps of dot to payload (a register's writes, the existence writes).
 * `tie` settles a dot both sides hold with different payloads, which valid histories
 * never produce; it must be commutative so that the join stays one.
 *
 * @example
 * joinDots(new Map([[d1, 'a']]), new Map([[d2, 'b']]), seenD1, seenD2, tie); // both survive when neither saw the other
 */
export function joinDots<T>(a: ReadonlyMap<Dot, T>, b: ReadonlyMap<Dot, T>, seenA: CausalContext, seenB: CausalContext, tie: (x: T, y: T) => T): ReadonlyMap<Dot, T> {
  if (a === b || sameDots(a, b, tie)) return a;
  const kept: [Dot, T][] = [];
  for (const [dot, mine] of a) {
    if (b.has(dot)) kept.push([dot, tie(mine, b.get(dot) as T)]);
    else if (!sees(seenB, dot)) kept.push([dot, mine]);
  }
  for (const [dot, theirs] of b) if (!a.has(dot) && !sees(seenA, dot)) kept.push([dot, theirs]);
  kept.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return new Map(kept);
}

/** True when both sides hold exactly the same dots with payloads the tie keeps as `a`'s: most attributes in a conflict. */
function sameDots<T>(a: ReadonlyMap<Dot, T>, b: ReadonlyMap<Dot, T>, tie: (x: T, y: T) => T): boolean {
  if (a.size !== b.size) return false;
  for (const [dot, mine] of a) {
    if (!b.has(dot) || tie(mine, b.get(dot) as T) !== mine) return false;
  }
  return true;
}

/** Joins two sorted lists of dots (an add-wins set element's adds). */
export function joinDotList(a: readonly Dot[], b: readonly Dot[], seenA: CausalContext, seenB: CausalContext): readonly Dot[] {
  // Most elements hold the same adds on both sides: nothing to decide.
  if (a.length === b.length && a.every((dot, i) => dot === b[i])) return a;
  const kept = new Set<Dot>();
  for (const dot of a) if (b.includes(dot) || !sees(seenB, dot)) kept.add(dot);
  for (const dot of b) if (a.includes(dot) || !sees(seenA, dot)) kept.add(dot);
  return [...kept].sort();
}

/** The keys of several maps, each once, in sorted order: the canonical order of every image. */
export function sortedKeys(...maps: readonly ReadonlyMap<string, unknown>[]): string[] {
  const keys = new Set<string>();
  for (const map of maps) for (const key of map.keys()) keys.add(key);
  return [...keys].sort();
}
