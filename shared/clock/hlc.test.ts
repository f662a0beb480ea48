import fc from 'fast-check';
import { HybridClock, clockRegion, formatClock, isClock, parseClock } from './hlc';
import { ClockFormatError } from '../errors';

describe('HybridClock', () => {
  it('issues strictly increasing clocks when the wall clock stands still', () => {
    // Prepare
    const clock = new HybridClock('us-east-1', () => 1_000);

    // Act
    const issued = [clock.tick(), clock.tick(), clock.tick()];

    // Assess
    expect([...issued].sort()).toEqual(issued);
    expect(new Set(issued).size).toBe(3);
  });

  it('stays monotonic when the wall clock goes backwards', () => {
    // Prepare
    let now = 5_000;
    const clock = new HybridClock('eu-west-1', () => now);
    const before = clock.tick();

    // Act
    now = 1_000;
    const after = clock.tick();

    // Assess
    expect(after > before).toBe(true);
  });

  it('never issues a clock below one it observed from a region whose wall clock is ahead', () => {
    // Prepare
    const behind = new HybridClock('us-east-1', () => 1_000);
    const ahead = new HybridClock('eu-west-1', () => 9_000_000).tick();

    // Act
    const next = behind.tick(ahead);

    // Assess
    expect(next > ahead).toBe(true);
  });

  it('string order is clock order for any wall times and counters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999_999_999 }), fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 9_999_999_999_999 }), fc.integer({ min: 0, max: 99_999 }), (w1, c1, w2, c2) => {
        const a = formatClock({ wallMs: w1, counter: c1, region: 'r' });
        const b = formatClock({ wallMs: w2, counter: c2, region: 'r' });
        const numeric = w1 === w2 ? Math.sign(c1 - c2) : Math.sign(w1 - w2);
        expect(a < b ? -1 : a > b ? 1 : 0).toBe(numeric);
      }),
      { numRuns: 1000 },
    );
  });

  it('moves to the next millisecond when the counter is exhausted', () => {
    // Prepare
    const clock = new HybridClock('us-east-1', () => 1_000);
    clock.observe(formatClock({ wallMs: 1_000, counter: 99_999, region: 'eu-west-1' }));

    // Act
    const next = parseClock(clock.tick());

    // Assess
    expect(next).toEqual({ wallMs: 1_001, counter: 0, region: 'us-east-1' });
  });
});

describe('clock strings', () => {
  it('round-trip through parse and format', () => {
    const clock = '1732850000000.00042.ap-southeast-2';
    expect(formatClock(parseClock(clock))).toBe(clock);
    expect(clockRegion(clock)).toBe('ap-southeast-2');
  });

  it('reject a string that is not a clock with a typed error', () => {
    expect(() => parseClock('17328.1.us-east-1')).toThrow(ClockFormatError);
    expect(isClock('1732850000000.00042.')).toBe(false);
  });
});
