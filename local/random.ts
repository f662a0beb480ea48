/**
 * A small seeded pseudo-random generator, so that fault injection and anything else
 * drawn by chance in the local endpoints is reproducible from a seed.
 */

/** Returns numbers in [0, 1), a function of the seed and of how many were drawn before. */
export type Random = () => number;

/**
 * Creates a seeded generator (mulberry32: 32-bit state, fast, good enough for picking
 * which calls fail; not for cryptography).
 *
 * @example
 * const random = seededRandom(42);
 * const coin = random() < 0.5; // the same sequence for every run seeded with 42
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
