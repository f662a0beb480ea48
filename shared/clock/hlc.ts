/**
 * Hybrid logical clocks in Concord's string form `<wall ms, 13 digits>.<counter, 5
 * digits>.<region>`: string order is clock order, and a clock is also the dot that
 * names one write and its region.
 */
import { ClockFormatError } from '../errors';

/** A clock string such as `1732850000000.00003.eu-west-1`. */
export type Clock = string;

const CLOCK = /^(\d{13})\.(\d{5})\.([A-Za-z0-9_-]+)$/;
const MAX_COUNTER = 99_999;

/** The parts of a clock. */
export interface ClockParts {
  readonly wallMs: number;
  readonly counter: number;
  readonly region: string;
}

/** True when `value` is a well-formed clock string. */
export function isClock(value: unknown): value is Clock {
  // Checked by hand: this runs for every dot of every decoded envelope.
  if (typeof value !== 'string' || value.length < 21 || value.charCodeAt(13) !== DOT || value.charCodeAt(19) !== DOT) return false;
  for (let i = 0; i < 19; i += 1) if (i !== 13 && !isDigit(value.charCodeAt(i))) return false;
  for (let i = 20; i < value.length; i += 1) if (!isRegionChar(value.charCodeAt(i))) return false;
  return true;
}

const DOT = 46;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isRegionChar(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45 || code === 95;
}

/**
 * Splits a clock into its wall time, counter and region.
 *
 * @throws ClockFormatError when the string is not a clock
 * @example
 * parseClock('1732850000000.00003.eu-west-1'); // { wallMs: 1732850000000, counter: 3, region: 'eu-west-1' }
 */
export function parseClock(clock: Clock): ClockParts {
  const match = CLOCK.exec(clock);
  if (match === null) throw new ClockFormatError(clock);
  return { wallMs: Number(match[1]), counter: Number(match[2]), region: match[3] as string };
}

/**
 * Formats clock parts as a clock string.
 *
 * @example
 * formatClock({ wallMs: 1732850000000, counter: 3, region: 'eu-west-1' }); // '1732850000000.00003.eu-west-1'
 */
export function formatClock({ wallMs, counter, region }: ClockParts): Clock {
  return `${String(wallMs).padStart(13, '0')}.${String(counter).padStart(5, '0')}.${region}`;
}

/** The region named by a clock (the region of the write it names). */
export function clockRegion(clock: Clock): string {
  return clock.slice(20);
}

/** The wall time of a clock in milliseconds. */
export function clockWallMs(clock: Clock): number {
  return Number(clock.slice(0, 13));
}

/**
 * A hybrid logical clock for one region: each `tick()` is greater than every clock
 * it issued or observed, and follows the wall clock when the wall clock is ahead.
 *
 * @example
 * const clock = new HybridClock('us-east-1');
 * const dot = clock.tick(item.hlc); // greater than the item's clock, whatever the local time
 */
export class HybridClock {
  private wallMs = 0;
  private counter = 0;

  constructor(
    readonly region: string,
    private readonly now: () => number = Date.now,
  ) {
    if (!/^[A-Za-z0-9_-]+$/.test(region)) throw new ClockFormatError(`region ${region}`);
  }

  /** Raises the clock so that the next tick is greater than `clock`. */
  observe(clock: Clock): void {
    const seen = parseClock(clock);
    if (seen.wallMs > this.wallMs || (seen.wallMs === this.wallMs && seen.counter > this.counter)) {
      this.wallMs = seen.wallMs;
      this.counter = seen.counter;
    }
  }

  /** Issues a new clock, greater than every clock issued or observed, and than `observed` if given. */
  tick(observed?: Clock): Clock {
    if (observed !== undefined) this.observe(observed);
    const physical = Math.floor(this.now());
    if (physical > this.wallMs) {
      this.wallMs = physical;
      this.counter = 0;
    } else if (this.counter < MAX_COUNTER) {
      this.counter += 1;
    } else {
      // The counter is exhausted within one millisecond: borrow the next one.
      this.wallMs += 1;
      this.counter = 0;
    }
    return formatClock({ wallMs: this.wallMs, counter: this.counter, region: this.region });
  }
}
