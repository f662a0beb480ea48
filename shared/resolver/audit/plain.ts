/**
 * Attribute values as plain JSON for audit events: what a reader of the central bus
 * expects to see (`"qty": 3`, `"tags": ["a", "b"]`), not DynamoDB's wire form.
 */
import type { AttributeMap, AttributeValue } from '../../dynamodb/attribute-value';

/** A JSON value. */
export type Json = string | number | boolean | null | Json[] | { [name: string]: Json };

/**
 * Converts one attribute value to JSON: numbers stay numbers unless a double cannot hold
 * them exactly (then their string), sets become sorted arrays, binaries base64 strings.
 *
 * @example
 * toPlain({ NS: ['2', '1'] }); // [1, 2]
 */
export function toPlain(value: AttributeValue): Json {
  if ('S' in value) return value.S;
  if ('N' in value) return plainNumber(value.N);
  if ('B' in value) return value.B;
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('SS' in value) return [...value.SS];
  if ('NS' in value) return value.NS.map(plainNumber);
  if ('BS' in value) return [...value.BS];
  if ('L' in value) return value.L.map(toPlain);
  return toPlainMap(value.M);
}

/**
 * Converts a map of attribute values (a key, an image) to a JSON object.
 *
 * @example
 * toPlainMap({ pk: { S: 'STOCK#1' }, sk: { S: 'STOCK' } }); // { pk: 'STOCK#1', sk: 'STOCK' }
 */
export function toPlainMap(map: AttributeMap): { [name: string]: Json } {
  // Without a prototype: the keys are attribute names, which may be `__proto__`.
  const plain = Object.create(null) as { [name: string]: Json };
  for (const name of Object.keys(map).sort()) plain[name] = toPlain(map[name] as AttributeValue);
  return plain;
}

// A double holds 15 significant decimal digits exactly; DynamoDB numbers may have 38.
function plainNumber(text: string): Json {
  const digits = text.replace(/[eE].*$/, '').replace(/[-.]/g, '').replace(/^0+/, '');
  const number = Number(text);
  return digits.length <= 15 && Number.isFinite(number) ? number : text;
}
