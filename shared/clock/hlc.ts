/**
 * Clocks, and the hybrid clock a writer process ticks (design §2, §6.3). A clock is
 * `<wall ms, 13 digits>.<counter, 5 digits>`: string order is time order.
 */
import { ClockFormatError } from '../errors';

/** A clock string such as `1732850000000.00003`. */
export type Clock = string;

/** The length of every clock string. */
export const CLOCK_LENGTH = 19;
const MAX_WALL_MS = 9_999_999_999_999;
const MAX_COUNTER = 99_999;
const DOT = 46;

/** The parts of a clock. */
export interface ClockParts {
  readonly wallMs: number;
  readonly counter: number;
}

/** True when `value` is a clock string. */
export function isClock(value: unknown): value is Clock {
  return typeof value === 'string' && value.length === CLOCK_LENGTH && isClockAt(value, 0);
}

/** True when `text` holds a clock at `start` (checked by hand: this runs for every dot decoded). */
export function isClockAt(text: string, start: number): boolean {
  if (text.charCodeAt(start + 13) !== DOT) return false;
  for (let i = start; i < start + CLOCK_LENGTH; i += 1) {
    const code = text.charCodeAt(i);
    if (i !== start + 13 && !(code >= 48 && code <= 57)) return false;
  }
  return true;
}

/**
 * Formats clock parts.
 *
 * @example
 * formatClock({ wallMs: 1732850000000, counter: 3 }); // '1732850000000.00003'
 */
export function formatClock({ wallMs, counter }: ClockParts): Clock {
  return `${String(wallMs).padStart(13, '0')}.${String(counter).padStart(5, '0')}`;
}

/**
 * Splits a clock.
 *
 * @throws ClockFormatError when the string is not a clock
 */
export function parseClock(clock: Clock): ClockParts {
  if (!isClock(clock)) throw new ClockFormatError(clock);
  return { wallMs: Number(clock.slice(0, 13)), counter: Number(clock.slice(14)) };
}

/** The wall time of a clock, in epoch milliseconds. */
export function clockWallMs(clock: Clock): number {
  return Number(clock.slice(0, 13));
}

/** The smallest clock after `clock`, or undefined when `clock` is the last one the format holds. */
export function nextClock(clock: Clock): Clock | undefined {
  const { wallMs, counter } = parseClock(clock);
  if (counter < MAX_COUNTER) return formatClock({ wallMs, counter: counter + 1 });
  return wallMs < MAX_WALL_MS ? formatClock({ wallMs: wallMs + 1, counter: 0 }) : undefined;
}

/** The largest clock before `clock`, or undefined for the first one. */
export function previousClock(clock: Clock): Clock | undefined {
  const { wallMs, counter } = parseClock(clock);
  if (counter > 0) return formatClock({ wallMs, counter: counter - 1 });
  return wallMs > 0 ? formatClock({ wallMs: wallMs - 1, counter: MAX_COUNTER }) : undefined;
}

/** The last clock of a millisecond: every clock of that millisecond or earlier is at or below it. */
export function lastClockOf(wallMs: number): Clock {
  return formatClock({ wallMs: Math.max(0, Math.min(Math.floor(wallMs), MAX_WALL_MS)), counter: MAX_COUNTER });
}

/** A clock issued above a given one. */
export interface Tick {
  readonly clock: Clock;
  /** True when the clock it had to exceed was beyond the offset: used for this write only, not adopted. */
  readonly confined: boolean;
}

/** Options of {@link HybridClock}. */
export interface HybridClockOptions {
  /** The wall clock, epoch ms (default `Date.now`). */
  readonly now?: () => number;
  /** How far ahead of the wall clock a clock seen on an item may be and still be adopted (default 500 ms). */
  readonly maxOffsetMs?: number;
}

/** The default bound on clock error (design §7, A1). */
export const DEFAULT_MAX_CLOCK_OFFSET_MS = 500;

/**
 * A writer process's hybrid clock: each tick is above every clock it issued or adopted,
 * and follows the wall clock when the wall clock is ahead. It never adopts a clock more
 * than `maxOffsetMs` ahead of its wall clock: such a clock is exceeded for one write only.
 *
 * @example
 * const clock = new HybridClock();
 * clock.tick();                  // '1732850000000.00000'
 * clock.tickAbove(itemLineClock); // { clock, confined: false }, or confined when the item is far ahead
 */
export class HybridClock {
  private last: Clock = formatClock({ wallMs: 0, counter: 0 });

  /** The latest clock issued or adopted. */
  get issued(): Clock {
    return this.last;
  }
  private readonly now: () => number;
  readonly maxOffsetMs: number;

  constructor(options: HybridClockOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxOffsetMs = options.maxOffsetMs ?? DEFAULT_MAX_CLOCK_OFFSET_MS;
  }

  /** A clock on another wall clock that goes on from this one's latest clock (for models that fork a world). */
  fork(now: () => number): HybridClock {
    const copy = new HybridClock({ now, maxOffsetMs: this.maxOffsetMs });
    copy.last = this.last;
    return copy;
  }

  /** A new clock, above every clock issued or adopted, and at least the wall clock. */
  tick(): Clock {
    const wall = formatClock({ wallMs: Math.min(Math.floor(this.now()), MAX_WALL_MS), counter: 0 });
    // The process clock never reaches the end of the format: it stays within the offset of the wall clock.
    this.last = wall > this.last ? wall : (nextClock(this.last) as Clock);
    return this.last;
  }

  /**
   * A new clock above `floor` too. Adopted when `floor` is within the offset of the wall
   * clock; otherwise issued for this write alone (`confined`). Undefined when no clock
   * is above `floor`.
   */
  tickAbove(floor: Clock): Tick | undefined {
    const clock = this.tick();
    if (clock > floor) return { clock, confined: false };
    const above = nextClock(floor);
    if (above === undefined) return undefined;
    if (clockWallMs(above) - this.now() <= this.maxOffsetMs) {
      this.last = above;
      return { clock: above, confined: false };
    }
    return { clock: above, confined: true };
  }
}
