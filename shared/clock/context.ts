/**
 * Causal contexts: what a version has seen, exactly. A version vector alone says "every
 * write of region R up to vv[R]", which is only true while each region's writes to an
 * item form one chain. Global Tables break that: a concurrent write replicated into R
 * can replace R's own latest write there, and R's next write would then claim the lost
 * one. So a write made on a version that may lack its region's latest write records the
 * range it cannot vouch for as a gap: the R-dots strictly between the base's vv[R] and
 * its own dot are not seen.
 */
import { clockRegion, clockWallMs, type Clock } from './hlc';
import { joinVectors, type VersionVector } from './version-vector';

/** An open range of one region's dots that a version has not seen: lo < dot < hi. */
export type Gap = readonly [lo: Clock, hi: Clock];
/** Region to its gaps, sorted and disjoint. */
export type Gaps = Readonly<Record<string, readonly Gap[]>>;

/** What a version has seen: every dot up to its vector's entry, minus its gaps. */
export interface CausalContext {
  readonly vv: VersionVector;
  readonly gaps: Gaps;
}

/** The most gaps kept per region; beyond it the oldest are dropped (see README). */
export const MAX_GAPS_PER_REGION = 32;

/**
 * True when the write named by `dot` is included in a version with this context. The
 * legacy dot (a value from before Concord) has been seen by everyone.
 *
 * @example
 * sees({ vv: { us: '…5.us' }, gaps: { us: [['…1.us', '…5.us']] } }, '…3.us'); // false: in a gap
 */
export function sees(context: CausalContext, dot: Clock): boolean {
  if (dot === '') return true;
  const region = clockRegion(dot);
  const entry = context.vv[region];
  if (entry === undefined || entry < dot) return false;
  const gaps = context.gaps[region];
  if (gaps !== undefined) for (const [lo, hi] of gaps) if (lo < dot && dot < hi) return false;
  return true;
}

/**
 * The context of a write made at `dot` on a version with context `base`. When the base
 * is not exact for the dot's region (it may lack that region's latest write), the range
 * between what the base saw of the region and the new dot becomes a gap.
 */
export function advance(base: CausalContext, dot: Clock, baseIsExact: boolean, retentionMs: number): CausalContext {
  const region = clockRegion(dot);
  const vv = { ...base.vv, [region]: dot };
  // Gaps are collected when one is added (and in joins), so that a write on an exact
  // base changes nothing but the vector: what the writer's one-call update does.
  if (baseIsExact) return { vv, gaps: base.gaps };
  const lo = base.vv[region] ?? '';
  const gaps = { ...base.gaps, [region]: [...(base.gaps[region] ?? []), [lo, dot] as Gap] };
  return collect({ vv, gaps }, retentionMs);
}

/**
 * The context of a version that has seen what either has seen: vectors joined, and a
 * gap kept only where neither side saw the dots.
 *
 * @example
 * joinContexts(withGap, withoutGap); // the gap closes where the other side saw its dots
 */
export function joinContexts(a: CausalContext, b: CausalContext, retentionMs: number): CausalContext {
  const vv = joinVectors(a.vv, b.vv);
  const gaps: Record<string, Gap[]> = {};
  for (const region in vv) {
    const top = vv[region] as Clock;
    const joined = intersect(unseenBelow(a, region, top), unseenBelow(b, region, top));
    if (joined.length > 0) gaps[region] = joined;
  }
  return collect({ vv, gaps }, retentionMs);
}

/** The open ranges of `region`'s dots below `top` that a context has not seen. */
function unseenBelow(context: CausalContext, region: string, top: Clock): Gap[] {
  const entry = context.vv[region];
  const unseen = [...(context.gaps[region] ?? [])];
  if (entry === undefined) return [['', top]];
  if (entry < top) unseen.push([entry, top]);
  return unseen;
}

function intersect(a: readonly Gap[], b: readonly Gap[]): Gap[] {
  const result: Gap[] = [];
  for (const [loA, hiA] of a) {
    for (const [loB, hiB] of b) {
      const lo = loA > loB ? loA : loB;
      const hi = hiA < hiB ? hiA : hiB;
      if (lo < hi) result.push([lo, hi]);
    }
  }
  return result.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
}

/**
 * True when `a` has seen every write `b` has seen.
 *
 * @example
 * covers(current, oldImage); // the resolver's "superseded" test
 */
export function covers(a: CausalContext, b: CausalContext): boolean {
  for (const region in b.vv) {
    const top = b.vv[region] as Clock;
    const mine = a.vv[region];
    if (mine === undefined || mine < top) return false;
    // Every gap of `a` below b's entry must be a range `b` has not seen either.
    for (const [lo, hi] of a.gaps[region] ?? []) {
      if (lo >= top) continue;
      if (hi > top) return false; // b saw `top` itself, a did not
      if (!(b.gaps[region] ?? []).some(([loB, hiB]) => loB <= lo && hi <= hiB)) return false;
    }
  }
  return true;
}

/**
 * Forgets gaps older than the retention, and the oldest beyond the cap per region:
 * by then the resolver has merged back whatever writes a gap could hide (records older
 * than the stream's bounded retry age have gone to the on-failure destination).
 */
function collect(context: CausalContext, retentionMs: number): CausalContext {
  let latest = 0;
  for (const region in context.vv) latest = Math.max(latest, clockWallMs(context.vv[region] as Clock));
  const gaps: Record<string, readonly Gap[]> = {};
  for (const region of Object.keys(context.gaps).sort()) {
    const kept = (context.gaps[region] as readonly Gap[]).filter(([, hi]) => clockWallMs(hi) >= latest - retentionMs).slice(-MAX_GAPS_PER_REGION);
    if (kept.length > 0) gaps[region] = kept;
  }
  return { vv: context.vv, gaps };
}
