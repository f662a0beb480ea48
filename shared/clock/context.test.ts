import { MAX_GAPS_PER_REGION, advance, covers, joinContexts, sees, type CausalContext } from './context';
import { formatClock } from './hlc';

const at = (region: string, wallMs: number): string => formatClock({ wallMs, counter: 0, region });
const HOUR = 3_600_000;
const none: CausalContext = { vv: {}, gaps: {} };

describe('sees', () => {
  it('sees a dot up to the region entry and outside its gaps', () => {
    // Prepare
    const context: CausalContext = { vv: { a: at('a', 10) }, gaps: { a: [[at('a', 2), at('a', 5)]] } };

    // Act
    const seen = [1, 2, 3, 5, 10, 11].map((ms) => sees(context, at('a', ms)));

    // Assess
    expect(seen).toEqual([true, true, false, true, true, false]);
  });

  it('sees the legacy dot always', () => {
    expect(sees(none, '')).toBe(true);
  });
});

describe('advance', () => {
  it('records no gap on a version that holds every write of the region', () => {
    const next = advance({ vv: { a: at('a', 1) }, gaps: {} }, at('a', 3), true, HOUR);
    expect(next).toEqual({ vv: { a: at('a', 3) }, gaps: {} });
  });

  it('records the range it cannot vouch for as a gap on any other version', () => {
    const next = advance({ vv: { a: at('a', 1), b: at('b', 2) }, gaps: {} }, at('a', 3), false, HOUR);
    expect(next.gaps).toEqual({ a: [[at('a', 1), at('a', 3)]] });
  });

  it('opens the gap from the start when the version saw nothing of the region', () => {
    expect(advance({ vv: { b: at('b', 2) }, gaps: {} }, at('a', 3), false, HOUR).gaps).toEqual({ a: [['', at('a', 3)]] });
  });

  it('forgets gaps older than the retention', () => {
    // Prepare
    const old: CausalContext = { vv: { a: at('a', 1_000) }, gaps: { a: [[at('a', 1), at('a', 1_000)]] } };

    // Act
    const next = advance(old, at('a', 1_000 + HOUR + 1), false, HOUR);

    // Assess
    expect(next.gaps.a).toEqual([[at('a', 1_000), at('a', 1_000 + HOUR + 1)]]);
  });

  it(`keeps at most ${MAX_GAPS_PER_REGION} gaps per region, the newest`, () => {
    // Prepare
    let context: CausalContext = none;
    for (let ms = 1; ms <= MAX_GAPS_PER_REGION + 5; ms += 1) context = advance(context, at('a', ms * 10), false, HOUR);

    // Assess
    expect(context.gaps.a).toHaveLength(MAX_GAPS_PER_REGION);
    expect(context.gaps.a?.at(-1)).toEqual([at('a', (MAX_GAPS_PER_REGION + 4) * 10), at('a', (MAX_GAPS_PER_REGION + 5) * 10)]);
  });
});

describe('joinContexts', () => {
  it('closes a gap where the other side saw its dots', () => {
    // Prepare: one side skipped a2..a4, the other saw up to a3.
    const gapped: CausalContext = { vv: { a: at('a', 5) }, gaps: { a: [[at('a', 1), at('a', 5)]] } };
    const other: CausalContext = { vv: { a: at('a', 3) }, gaps: {} };

    // Act
    const joined = joinContexts(gapped, other, HOUR);

    // Assess
    expect(joined).toEqual({ vv: { a: at('a', 5) }, gaps: { a: [[at('a', 3), at('a', 5)]] } });
  });

  it('keeps the dots neither side saw as a gap', () => {
    const joined = joinContexts({ vv: { a: at('a', 9) }, gaps: { a: [[at('a', 2), at('a', 9)]] } }, { vv: { a: at('a', 2) }, gaps: {} }, HOUR);
    expect(joined.gaps).toEqual({ a: [[at('a', 2), at('a', 9)]] });
  });

  it('is commutative and idempotent', () => {
    const a: CausalContext = { vv: { a: at('a', 9), b: at('b', 3) }, gaps: { a: [[at('a', 2), at('a', 6)]] } };
    const b: CausalContext = { vv: { a: at('a', 4), b: at('b', 7) }, gaps: { b: [['', at('b', 7)]] } };
    expect(joinContexts(a, b, HOUR)).toEqual(joinContexts(b, a, HOUR));
    expect(joinContexts(a, a, HOUR)).toEqual(a);
  });
});

describe('covers', () => {
  it('covers a context it saw everything of', () => {
    expect(covers({ vv: { a: at('a', 5) }, gaps: {} }, { vv: { a: at('a', 3) }, gaps: { a: [[at('a', 1), at('a', 3)]] } })).toBe(true);
  });

  it('does not cover a write that falls in its own gap', () => {
    // The case the lab found: the later version's vector is ahead, but it never saw a3.
    expect(covers({ vv: { a: at('a', 5) }, gaps: { a: [[at('a', 1), at('a', 5)]] } }, { vv: { a: at('a', 3) }, gaps: {} })).toBe(false);
  });

  it('covers a context whose own gap matches its gap', () => {
    expect(covers({ vv: { a: at('a', 5) }, gaps: { a: [[at('a', 1), at('a', 3)]] } }, { vv: { a: at('a', 4) }, gaps: { a: [[at('a', 1), at('a', 3)]] } })).toBe(true);
  });
});
