/**
 * The subset of EventBridge event patterns the local bus understands: nested objects
 * whose leaves are arrays of exact values (strings, numbers, booleans, null) or
 * `{ "prefix": "..." }`. A leaf matches when the event's value (or, for an array
 * value, any of its elements) equals one of the listed values. Every other operator
 * (`anything-but`, `numeric`, `exists`, `suffix`, `wildcard`, `$or`, ...) is refused
 * with a clear error rather than matched wrongly.
 */

type Scalar = string | number | boolean | null;

type ValueMatcher = { readonly exact: Scalar } | { readonly prefix: string };

/** A compiled pattern: field name → nested pattern or the values it accepts. */
export interface EventPattern {
  readonly fields: ReadonlyMap<string, EventPattern | readonly ValueMatcher[]>;
}

/** Why a pattern was refused. */
export const EventPatternProblem = {
  /** Not a pattern EventBridge would accept either (AWS: `InvalidEventPatternException`). */
  Invalid: 'invalid',
  /** Valid on AWS but outside the local subset. */
  Unsupported: 'unsupported',
} as const;
export type EventPatternProblem = (typeof EventPatternProblem)[keyof typeof EventPatternProblem];

/** A pattern that cannot be compiled, naming the path of the offending part. */
export class EventPatternError extends Error {
  override readonly name = 'EventPatternError';
  constructor(
    readonly problem: EventPatternProblem,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`event pattern ${problem === EventPatternProblem.Invalid ? 'is not valid' : 'is not supported locally'} at ${path || '(root)'}: ${reason}`);
  }
}

/**
 * Parses and compiles an event pattern.
 *
 * @throws EventPatternError for a malformed pattern or an operator outside the subset
 * @example
 * const pattern = compileEventPattern('{"source":["concord"],"detail":{"outcome":[{"prefix":"res"}]}}');
 * matchesEventPattern(pattern, { source: 'concord', detail: { outcome: 'resolved' } }); // true
 */
export function compileEventPattern(source: string): EventPattern {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    throw new EventPatternError(EventPatternProblem.Invalid, '', `not JSON (${(error as Error).message})`);
  }
  return compileObject(parsed, '');
}

function compileObject(value: unknown, path: string): EventPattern {
  if (!isObject(value)) throw new EventPatternError(EventPatternProblem.Invalid, path, 'expected a JSON object');
  const fields = new Map<string, EventPattern | readonly ValueMatcher[]>();
  for (const [name, child] of Object.entries(value)) {
    const childPath = path === '' ? name : `${path}.${name}`;
    if (name.startsWith('$')) throw new EventPatternError(EventPatternProblem.Unsupported, childPath, `operator ${name} (only exact values and prefix are supported)`);
    fields.set(name, Array.isArray(child) ? compileLeaf(child, childPath) : compileObject(child, childPath));
  }
  if (fields.size === 0) throw new EventPatternError(EventPatternProblem.Invalid, path, 'empty object');
  return { fields };
}

function compileLeaf(values: unknown[], path: string): ValueMatcher[] {
  if (values.length === 0) throw new EventPatternError(EventPatternProblem.Invalid, path, 'empty arrays are not allowed');
  return values.map((value) => {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { exact: value };
    if (!isObject(value)) throw new EventPatternError(EventPatternProblem.Invalid, path, `unexpected value ${JSON.stringify(value)}`);
    const [operator, ...others] = Object.keys(value);
    if (operator === 'prefix' && others.length === 0 && typeof value.prefix === 'string') return { prefix: value.prefix };
    throw new EventPatternError(EventPatternProblem.Unsupported, path, `operator ${JSON.stringify(value)} (only exact values and {"prefix": "<string>"} are supported)`);
  });
}

/**
 * Whether an event (in the JSON form EventBridge delivers: `source`, `detail-type`,
 * `detail`, ...) matches a compiled pattern.
 *
 * @example
 * matchesEventPattern(compileEventPattern('{"detail-type":["ConflictResolved"]}'), { 'detail-type': 'ConflictResolved' }); // true
 */
export function matchesEventPattern(pattern: EventPattern, event: Record<string, unknown>): boolean {
  for (const [name, expected] of pattern.fields) {
    const actual = event[name];
    if (isCompiledPattern(expected)) {
      if (!isObject(actual) || !matchesEventPattern(expected, actual)) return false;
    } else if (!(Array.isArray(actual) ? actual : [actual]).some((value) => expected.some((matcher) => matchesValue(matcher, value)))) {
      return false;
    }
  }
  return true;
}

function matchesValue(matcher: ValueMatcher, value: unknown): boolean {
  if ('prefix' in matcher) return typeof value === 'string' && value.startsWith(matcher.prefix);
  return value !== undefined && value === matcher.exact;
}

function isCompiledPattern(value: EventPattern | readonly ValueMatcher[]): value is EventPattern {
  return !Array.isArray(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
