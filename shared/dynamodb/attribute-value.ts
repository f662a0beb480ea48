/**
 * DynamoDB attribute values in their JSON wire form (binary as base64 strings), as a
 * stream record carries them. Parsed and validated once at the boundary; everything
 * inside Concord then works on these plain, serializable values.
 */
import { MalformedAttributeError } from '../errors';

export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { L: AttributeValue[] }
  | { M: AttributeMap };

/** An item image or a map value: attribute name to value. */
export type AttributeMap = Record<string, AttributeValue>;

const TYPE_KEYS = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'] as const;
type TypeKey = (typeof TYPE_KEYS)[number];

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function toBase64(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  throw new MalformedAttributeError(path, 'binary must be a base64 string or bytes');
}

function stringArray(value: unknown, path: string, type: 'SS' | 'NS' | 'BS'): string[] {
  if (!Array.isArray(value)) throw new MalformedAttributeError(path, `${type} must be an array`);
  if (value.length === 0) throw new MalformedAttributeError(path, `${type} must not be empty`);
  const members = value.map((member, index) => {
    if (type === 'BS') return toBase64(member, `${path}[${index}]`);
    if (typeof member !== 'string') throw new MalformedAttributeError(`${path}[${index}]`, `${type} members must be strings`);
    if (type === 'NS' && !NUMBER.test(member)) throw new MalformedAttributeError(`${path}[${index}]`, `not a number: ${JSON.stringify(member)}`);
    return member;
  });
  // Sets are unordered: a canonical order makes equal sets equal bytes.
  return [...new Set(members)].sort();
}

/**
 * Validates one attribute value and returns it in canonical form (sets sorted and
 * de-duplicated, binary as base64). Type keys holding `null` next to the real one,
 * as some marshallers write them, are ignored.
 *
 * @throws MalformedAttributeError naming the path and the reason
 * @example
 * parseAttributeValue({ SS: ['b', 'a'] }, 'tags'); // { SS: ['a', 'b'] }
 */
export function parseAttributeValue(raw: unknown, path: string): AttributeValue {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new MalformedAttributeError(path, 'an attribute value must be an object with one type key');
  }
  let type: TypeKey | undefined;
  let value: unknown;
  for (const [key, member] of Object.entries(raw)) {
    if (member === null || member === undefined) continue;
    if (!(TYPE_KEYS as readonly string[]).includes(key)) throw new MalformedAttributeError(path, `unknown type key "${key}"`);
    if (type !== undefined) throw new MalformedAttributeError(path, `more than one type key (${type}, ${key})`);
    type = key as TypeKey;
    value = member;
  }
  switch (type) {
    case undefined:
      throw new MalformedAttributeError(path, 'no type key holds a value');
    case 'S':
      if (typeof value !== 'string') throw new MalformedAttributeError(path, 'S must be a string');
      return { S: value };
    case 'N':
      if (typeof value !== 'string' || !NUMBER.test(value)) throw new MalformedAttributeError(path, `N must be a number string, got ${JSON.stringify(value)}`);
      return { N: value };
    case 'B':
      return { B: toBase64(value, path) };
    case 'BOOL':
      if (typeof value !== 'boolean') throw new MalformedAttributeError(path, 'BOOL must be true or false');
      return { BOOL: value };
    case 'NULL':
      if (value !== true) throw new MalformedAttributeError(path, 'NULL must be true');
      return { NULL: true };
    case 'SS':
    case 'NS':
    case 'BS':
      return { [type]: stringArray(value, path, type) } as AttributeValue;
    case 'L':
      if (!Array.isArray(value)) throw new MalformedAttributeError(path, 'L must be an array');
      return { L: value.map((member, index) => parseAttributeValue(member, `${path}[${index}]`)) };
    case 'M':
      return { M: parseAttributeMap(value, path) };
  }
}

/**
 * Validates a map of attribute values (an item image, or the content of an `M`).
 *
 * @example
 * parseAttributeMap({ pk: { S: 'CART#1' } }, 'NewImage');
 */
export function parseAttributeMap(raw: unknown, path: string): AttributeMap {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new MalformedAttributeError(path, 'must be a map of attribute values');
  }
  const map: AttributeMap = {};
  for (const [name, member] of Object.entries(raw)) {
    map[name] = parseAttributeValue(member, path === '' ? name : `${path}.${name}`);
  }
  return map;
}

/** Structural equality of two canonical attribute values (absent equals absent). */
export function attributeValuesEqual(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const [typeA, valueA] = only(a);
  const [typeB, valueB] = only(b);
  if (typeA !== typeB) return false;
  if (typeA === 'M') return mapsEqual(valueA as AttributeMap, valueB as AttributeMap);
  if (Array.isArray(valueA)) {
    const listB = valueB as unknown[];
    if (valueA.length !== listB.length) return false;
    return typeA === 'L'
      ? valueA.every((member, i) => attributeValuesEqual(member as AttributeValue, listB[i] as AttributeValue))
      : valueA.every((member, i) => member === listB[i]);
  }
  return valueA === valueB;
}

function mapsEqual(a: AttributeMap, b: AttributeMap): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => attributeValuesEqual(a[key], b[key]));
}

function only(value: AttributeValue): [string, unknown] {
  for (const key in value) return [key, (value as Record<string, unknown>)[key]];
  return ['', undefined];
}

/**
 * JSON with object keys sorted at every level: equal values give equal strings.
 *
 * @example
 * canonicalJson({ b: 1, a: [2] }); // '{"a":[2],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/** Orders attribute values by their canonical JSON; used only to break ties deterministically. */
export function compareAttributeValues(a: AttributeValue, b: AttributeValue): number {
  const left = canonicalJson(a);
  const right = canonicalJson(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
