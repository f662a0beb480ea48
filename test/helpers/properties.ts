/**
 * Settings of every property test: a fixed seed in `npm test` (CI is deterministic; the
 * seed is printed with any failure), random seeds and more runs under `npm run explore`
 * (CONCORD_EXPLORE=1), a given seed with CONCORD_SEED to replay a failure.
 */
import type fc from 'fast-check';

/** The seed `npm test` uses for every property. */
export const CI_SEED = 20261201;

/** True under `npm run explore`. */
export const exploring = process.env.CONCORD_EXPLORE === '1';

/**
 * fast-check parameters for a property: `numRuns` as given in CI, scaled up when exploring.
 *
 * @example
 * fc.assert(property, propertySettings({ numRuns: 300 }));
 */
export function propertySettings<T>(settings: fc.Parameters<T> = {}): fc.Parameters<T> {
  const replay = process.env.CONCORD_SEED;
  const seed = replay !== undefined ? Number(replay) : exploring ? Math.floor(Math.random() * 2 ** 31) : CI_SEED;
  const numRuns = (settings.numRuns ?? 100) * (exploring ? Number(process.env.CONCORD_EXPLORE_SCALE ?? 10) : 1);
  return { ...settings, seed, numRuns };
}
