import { ClockFormatError } from '../errors';
import { formatClock, HybridClock, isClock, nextClock, parseClock, previousClock } from './hlc';

const T0 = 1_732_850_000_000;

describe('clock strings', () => {
  it('format and parse as each other\'s inverse, in an order that is time order', () => {
    // Act
    const clock = formatClock({ wallMs: T0, counter: 3 });

    // Assess
    expect(clock).toBe('1732850000000.00003');
    expect(parseClock(clock)).toEqual({ wallMs: T0, counter: 3 });
    expect(formatClock({ wallMs: T0, counter: 99_999 }) < formatClock({ wallMs: T0 + 1, counter: 0 })).toBe(true);
  });

  it.each(['1732850000000.0000', '1732850000000.00003.us-east-1', 'x', ''])('rejects %j', (text) => {
    expect(isClock(text)).toBe(false);
    expect(() => parseClock(text)).toThrow(ClockFormatError);
  });

  it('has no clock after the last one the format holds, and none before the first', () => {
    expect(nextClock('9999999999999.99999')).toBeUndefined();
    expect(previousClock('0000000000000.00000')).toBeUndefined();
    expect(nextClock('1732850000000.99999')).toBe('1732850000001.00000');
  });
});

describe('HybridClock', () => {
  it('ticks at its wall clock, and above its last tick when the wall clock stands still', () => {
    // Prepare
    const clock = new HybridClock({ now: () => T0 });

    // Act
    const [first, second] = [clock.tick(), clock.tick()];

    // Assess
    expect([first, second]).toEqual([formatClock({ wallMs: T0, counter: 0 }), formatClock({ wallMs: T0, counter: 1 })]);
  });

  it('adopts an item clock within the offset bound: later ticks stay above it', () => {
    // Prepare
    const clock = new HybridClock({ now: () => T0, maxOffsetMs: 500 });

    // Act
    const above = clock.tickAbove(formatClock({ wallMs: T0 + 300, counter: 0 }));

    // Assess
    expect(above).toEqual({ clock: formatClock({ wallMs: T0 + 300, counter: 1 }), confined: false });
    expect(clock.tick() > (above?.clock as string)).toBe(true);
  });

  it('exceeds an item clock beyond the offset bound for that write alone, never adopting it', () => {
    // Prepare: an item whose clock is 10 minutes ahead.
    const clock = new HybridClock({ now: () => T0, maxOffsetMs: 500 });

    // Act
    const above = clock.tickAbove(formatClock({ wallMs: T0 + 600_000, counter: 0 }));
    const next = clock.tick();

    // Assess
    expect(above).toEqual({ clock: formatClock({ wallMs: T0 + 600_000, counter: 1 }), confined: true });
    expect(next < formatClock({ wallMs: T0 + 1, counter: 0 })).toBe(true);
  });

  it('is not disabled by a forged clock at the end of the format', () => {
    // Prepare
    const clock = new HybridClock({ now: () => T0 });

    // Act
    const above = clock.tickAbove('9999999999999.99999');

    // Assess
    expect(above).toBeUndefined();
    expect(isClock(clock.tick())).toBe(true);
  });

  it('goes on from a fork with the same latest clock', () => {
    // Prepare
    const clock = new HybridClock({ now: () => T0 });
    clock.tick();

    // Act
    const fork = clock.fork(() => T0);

    // Assess
    expect(fork.tick()).toBe(formatClock({ wallMs: T0, counter: 1 }));
  });
});
