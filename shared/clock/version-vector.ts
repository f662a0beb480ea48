/**
 * Version vectors: per region, the clock of the latest write from that region that a
 * version includes. Whether a version has seen a given write also depends on the gaps
 * of its causal context (see context.ts).
 */
import type { Clock } from './hlc';
import { sortedKeys } from '../merge/dots';

/** Region to clock. */
export type VersionVector = Readonly<Record<string, Clock>>;

/** How two version vectors relate. */
export const Causality = {
  Equal: 'equal',
  Before: 'before',
  After: 'after',
  Concurrent: 'concurrent',
} as const;
export type Causality = (typeof Causality)[keyof typeof Causality];

/**
 * Compares `a` with `b`: `before` when b has seen everything a has and more.
 *
 * @example
 * compareVectors({ us: c1 }, { us: c1, eu: c2 }); // 'before'
 */
export function compareVectors(a: VersionVector, b: VersionVector): Causality {
  let aAhead = false;
  let bAhead = false;
  for (const region in a) {
    const mine = a[region] as Clock;
    const theirs = b[region];
    if (theirs === undefined || mine > theirs) aAhead = true;
    else if (mine < theirs) bAhead = true;
  }
  for (const region in b) if (a[region] === undefined) bAhead = true;
  if (aAhead && bAhead) return Causality.Concurrent;
  if (aAhead) return Causality.After;
  if (bAhead) return Causality.Before;
  return Causality.Equal;
}

/** True when `a` has seen every write `b` has (a ≥ b pointwise). */
export function dominates(a: VersionVector, b: VersionVector): boolean {
  for (const region in b) {
    const mine = a[region];
    if (mine === undefined || mine < (b[region] as Clock)) return false;
  }
  return true;
}

/**
 * The pointwise maximum: the version that has seen what either has seen.
 *
 * @example
 * joinVectors({ us: '…1.us' }, { eu: '…2.eu' }); // { eu: '…2.eu', us: '…1.us' }
 */
export function joinVectors(a: VersionVector, b: VersionVector): Record<string, Clock> {
  const joined: Record<string, Clock> = {};
  for (const region of sortedKeys(a, b)) {
    const left = a[region];
    const right = b[region];
    joined[region] = (left === undefined ? right : right === undefined || left >= right ? left : right) as Clock;
  }
  return joined;
}

/**
 * The latest clock of a version vector (a version's `hlc`), or undefined for an empty
 * one: a write to the version must take a larger clock.
 *
 * @example
 * latestClock({ us: '…1.us', eu: '…2.eu' }); // '…2.eu'
 */
export function latestClock(vv: VersionVector): Clock | undefined {
  let latest: Clock | undefined;
  for (const region in vv) if (latest === undefined || (vv[region] as Clock) > latest) latest = vv[region];
  return latest;
}
