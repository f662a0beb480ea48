/**
 * Small pieces of the text a person reads: values, ages, aligned columns.
 */
import { canonicalJson } from '../shared/dynamodb/attribute-value';

/**
 * A plain value in one short line: JSON, cut at `width` characters.
 *
 * @example
 * shortValue(['apple', 'pear']); // '["apple","pear"]'
 */
export function shortValue(value: unknown, width = 60): string {
  const text = value === undefined ? '(none)' : canonicalJson(value);
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/**
 * How long ago, in the largest unit that fits.
 *
 * @example
 * formatAge(90_000); // '1 min ago'
 */
export function formatAge(ageMs: number): string {
  if (ageMs < 0) return `in ${formatDuration(-ageMs)}`;
  return `${formatDuration(ageMs)} ago`;
}

/**
 * A duration in the largest unit that fits: ms, s, min, h or d.
 *
 * @example
 * formatDuration(7_200_000); // '2 h'
 */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.floor(ms / 1_000)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)} h`;
  return `${Math.floor(ms / 86_400_000)} d`;
}

/**
 * Rows as aligned columns (the last column is not padded).
 *
 * @example
 * columns([['status', 'priority', '"PAID"'], ['total', 'lww', '30']]);
 */
export function columns(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) => indent + row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join('  ')).join('\n');
}

/**
 * `count noun`, with an `s` when the count is not one.
 *
 * @example
 * plural(3, 'message'); // '3 messages'
 */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
