/**
 * Points in time on the command line: `--since 24h` (a duration back from now: s, m,
 * h or d) or an ISO 8601 date.
 */
import { CommandLineError } from '../shared/errors';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+)(s|m|h|d)$/;

/**
 * The epoch ms a `--since`-style value names.
 *
 * @throws CommandLineError naming `flag` when the value is neither a duration nor a date
 * @example
 * pointInTime('--since', '24h', Date.now()); // a day ago
 * pointInTime('--since', '2026-01-01T00:00:00Z', Date.now());
 */
export function pointInTime(flag: string, value: string, now: number): number {
  const duration = DURATION.exec(value);
  if (duration !== null) return now - Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS];
  const date = Date.parse(value);
  if (/^\d{4}-\d{2}-\d{2}/.test(value) && Number.isFinite(date)) return date;
  throw new CommandLineError(flag, `expected a duration back from now (90s, 30m, 24h, 7d) or an ISO date, got ${JSON.stringify(value)}`);
}
