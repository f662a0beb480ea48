/**
 * Spans of virtual time as people write them on the command line and read them in the
 * outputs: `500ms`, `90s`, `30m`, `1.5h`.
 */

/** Milliseconds per unit, largest first. */
const UNITS: readonly (readonly [unit: string, ms: number])[] = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/** Every unit a span may take. */
export const SPAN_UNITS: readonly string[] = UNITS.map(([unit]) => unit);

/**
 * The ms of a span written with one of `units` (decimals allowed), rounded to whole ms;
 * `0` needs no unit. NaN when the text is not such a span.
 *
 * @example
 * parseSpan('1.5h'); // 5400000
 * parseSpan('90', ['s']); // NaN: no unit
 */
export function parseSpan(text: string, units: readonly string[] = SPAN_UNITS): number {
  if (text === '0') return 0;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  const unit = UNITS.find(([name]) => name === match?.[2] && units.includes(name));
  return match === null || unit === undefined ? NaN : Math.round(Number(match[1]) * unit[1]);
}

/**
 * A whole number of ms as a span in the largest unit that says it exactly in at most
 * three decimals, which {@link parseSpan} reads back to the same ms.
 *
 * @example
 * formatSpan(5_400_000); // '1.5h'
 * formatSpan(90_000); // '1.5m'
 * formatSpan(250); // '250ms'
 */
export function formatSpan(ms: number): string {
  for (const [unit, size] of UNITS) {
    const text = `${Number((ms / size).toFixed(3))}${unit}`;
    if (ms >= size && parseSpan(text) === ms) return text;
  }
  return `${ms}ms`;
}
