import fc from 'fast-check';
import { Causality, compareVectors, dominates, joinVectors, type VersionVector } from './version-vector';
import { formatClock } from './hlc';

const at = (region: string, wallMs: number): string => formatClock({ wallMs, counter: 0, region });
const vector = fc
  .record({ a: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }), b: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }) })
  .map((entries): VersionVector => Object.fromEntries(Object.entries(entries).flatMap(([region, ms]) => (ms === undefined ? [] : [[region, at(region, ms)]]))));

describe('compareVectors', () => {
  const a1 = { a: at('a', 1) };
  const a1b1 = { a: at('a', 1), b: at('b', 1) };
  const b2 = { b: at('b', 2) };

  it.each([
    ['equal', a1, a1, Causality.Equal],
    ['before', a1, a1b1, Causality.Before],
    ['after', a1b1, a1, Causality.After],
    ['concurrent', a1, b2, Causality.Concurrent],
  ])('finds %s', (_, a, b, expected) => {
    expect(compareVectors(a, b)).toBe(expected);
  });

  it('agrees with dominates in both directions', () => {
    fc.assert(
      fc.property(vector, vector, (a, b) => {
        const relation = compareVectors(a, b);
        expect(dominates(a, b) && dominates(b, a)).toBe(relation === Causality.Equal);
        expect(dominates(b, a) && !dominates(a, b)).toBe(relation === Causality.Before);
        expect(!dominates(a, b) && !dominates(b, a)).toBe(relation === Causality.Concurrent);
      }),
      { numRuns: 500 },
    );
  });
});

describe('joinVectors', () => {
  it('is the least upper bound: dominates both inputs and is idempotent, commutative, associative', () => {
    fc.assert(
      fc.property(vector, vector, vector, (a, b, c) => {
        const ab = joinVectors(a, b);
        expect(dominates(ab, a) && dominates(ab, b)).toBe(true);
        expect(joinVectors(a, a)).toEqual(a);
        expect(ab).toEqual(joinVectors(b, a));
        expect(joinVectors(ab, c)).toEqual(joinVectors(a, joinVectors(b, c)));
      }),
      { numRuns: 500 },
    );
  });
});
