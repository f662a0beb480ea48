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

const TYPE_KEYS = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'] as const);
type TypeKey = typeof TYPE_KEYS extends Set<infer K> ? K : never;

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

// Paths are built only for an error message: `parent` and `member` name the value.
type Where = readonly [parent: string, member: string | number];

function pathOf([parent, member]: Where): string {
  if (typeof member === 'number') return `${parent}[${member}]`;
  return parent === '' ? member : member === '' ? parent : `${parent}.${member}`;
}

function fail(where: Where, reason: string): never {
  throw new MalformedAttributeError(pathOf(where), reason);
}

function toBase64(value: unknown, where: Where): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return fail(where, 'binary must be a base64 string or bytes');
}

function stringArray(value: unknown, where: Where, type: 'SS' | 'NS' | 'BS'): string[] {
  if (!Array.isArray(value)) fail(where, `${type} must be an array`);
  if (value.length === 0) fail(where, `${type} must not be empty`);
  const path = pathOf(where);
  let converted = false;
  const members = value.map((member: unknown, index) => {
    if (type === 'BS') {
      const base64 = toBase64(member, [path, index]);
      converted ||= base64 !== member;
      return base64;
    }
    if (typeof member !== 'string') fail([path, index], `${type} members must be strings`);
    if (type === 'NS' && !NUMBER.test(member)) fail([path, index], 'NS members must be number strings');
    return member;
  });
  // Sets are unordered: a canonical order makes equal sets equal bytes.
  if (isStrictlyAscending(members)) return converted ? members : (value as string[]);
  return [...new Set(members)].sort();
}

function isStrictlyAscending(members: readonly string[]): boolean {
  for (let i = 1; i < members.length; i += 1) if ((members[i - 1] as string) >= (members[i] as string)) return false;
  return true;
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
  return parseValue(raw, [path, '']);
}

// A value already in canonical form is returned as it is: validated, not copied.
function parseValue(raw: unknown, where: Where): AttributeValue {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(where, 'an attribute value must be an object with one type key');
  let type: TypeKey | undefined;
  let value: unknown;
  let keys = 0;
  for (const key in raw) {
    keys += 1;
    const member = (raw as Record<string, unknown>)[key];
    if (member === null || member === undefined) continue;
    if (!TYPE_KEYS.has(key as TypeKey)) fail(where, `unknown type key "${key}"`);
    if (type !== undefined) fail(where, `more than one type key (${type}, ${key})`);
    type = key as TypeKey;
    value = member;
  }
  const same = keys === 1;
  switch (type) {
    case undefined:
      return fail(where, 'no type key holds a value');
    case 'S':
      if (typeof value !== 'string') fail(where, 'S must be a string');
      return same ? (raw as AttributeValue) : { S: value };
    case 'N':
      // Names the type, never the value: messages reach logs and audit events.
      if (typeof value !== 'string') fail(where, `N must be a number string, got a ${typeof value}`);
      if (!NUMBER.test(value)) fail(where, 'N must be a number string, got a string that is not a number');
      return same ? (raw as AttributeValue) : { N: value };
    case 'B': {
      const base64 = toBase64(value, where);
      return same && base64 === value ? (raw as AttributeValue) : { B: base64 };
    }
    case 'BOOL':
      if (typeof value !== 'boolean') fail(where, 'BOOL must be true or false');
      return same ? (raw as AttributeValue) : { BOOL: value };
    case 'NULL':
      if (value !== true) fail(where, 'NULL must be true');
      return same ? (raw as AttributeValue) : { NULL: true };
    case 'SS':
    case 'NS':
    case 'BS': {
      const members = stringArray(value, where, type);
      return same && members === value ? (raw as AttributeValue) : ({ [type]: members } as AttributeValue);
    }
    case 'L': {
      if (!Array.isArray(value)) fail(where, 'L must be an array');
      const path = pathOf(where);
      const members = value.map((member, index) => parseValue(member, [path, index]));
      return same && members.every((member, index) => member === value[index]) ? (raw as AttributeValue) : { L: members };
    }
    case 'M': {
      const map = parseMap(value, pathOf(where));
      return same && map === value ? (raw as AttributeValue) : { M: map };
    }
  }
}

function parseMap(raw: unknown, path: string): AttributeMap {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail([path, ''], 'must be a map of attribute values');
  let map: AttributeMap | undefined;
  for (const name in raw) {
    const member = (raw as Record<string, unknown>)[name];
    const parsed = parseValue(member, [path, name]);
    if (parsed !== member && map === undefined) {
      // The first member that needed a canonical copy: copy the map from here on.
      map = {};
      for (const earlier in raw) {
        if (earlier === name) break;
        map[earlier] = (raw as AttributeMap)[earlier] as AttributeValue;
      }
    }
    if (map !== undefined) map[name] = parsed;
  }
  return map ?? (raw as AttributeMap);
}

/**
 * Validates a map of attribute values (an item image, or the content of an `M`).
 *
 * @example
 * parseAttributeMap({ pk: { S: 'CART#1' } }, 'NewImage');
 */
export function parseAttributeMap(raw: unknown, path: string): AttributeMap {
  return parseMap(raw, path);
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
