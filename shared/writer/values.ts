/**
 * The three forms an item takes in the writer: the plain JavaScript values an
 * application passes (as with the DocumentClient), Concord's wire form (binary as
 * base64, what the core computes on), and the SDK's form (binary as bytes, what the
 * client sends and receives).
 */
import { convertToAttr, unmarshall, type marshallOptions, type unmarshallOptions } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { InvalidKeyError, InvalidWriteError, MalformedAttributeError } from '../errors';
import { parseAttributeMap, parseAttributeValue, type AttributeMap, type AttributeValue } from '../dynamodb/attribute-value';
import type { PlainItem, TableSettings } from '../rules/types';
import { dict } from '../dynamodb/dict';

/** An item or key as the SDK client sends and receives it. */
export type SdkItem = Record<string, SdkAttributeValue>;

/** How plain values are converted, as in the DocumentClient's `translateConfig`. */
export interface TranslateConfig {
  readonly marshallOptions?: marshallOptions;
  readonly unmarshallOptions?: unmarshallOptions;
}

/** Undefined attributes are left out, as `removeUndefinedValues` does in the DocumentClient. */
export const DEFAULT_TRANSLATE_CONFIG: TranslateConfig = { marshallOptions: { removeUndefinedValues: true } };

/**
 * Converts one plain value to its wire form.
 *
 * @throws InvalidWriteError naming the attribute when DynamoDB cannot store the value
 * @example
 * toWireValue(new Set(['a']), 'items', {}); // { SS: ['a'] }
 */
export function toWireValue(value: unknown, attribute: string, options: marshallOptions = {}): AttributeValue {
  try {
    return parseAttributeValue(convertToAttr(value, options), attribute);
  } catch (error) {
    const reason = error instanceof MalformedAttributeError ? error.reason : (error as Error).message;
    throw new InvalidWriteError(attribute, `cannot be stored in DynamoDB: ${reason}`);
  }
}

/**
 * Converts the attributes of a plain item to wire form; `undefined` values are left out.
 *
 * @example
 * toWireMap({ coupon: 'SAVE10', note: undefined }); // { coupon: { S: 'SAVE10' } }
 */
export function toWireMap(item: Readonly<Record<string, unknown>>, options: marshallOptions = {}): AttributeMap {
  const map = dict<AttributeValue>();
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) map[name] = toWireValue(value, name, options);
  }
  return map;
}

const KEY_TYPES = ['S', 'N', 'B'];

/**
 * Converts and checks an item key: exactly the table's key attributes, each a string,
 * number or binary.
 *
 * @throws InvalidKeyError naming what is missing, extra or of the wrong type
 * @example
 * toWireKey({ pk: 'CART#1', sk: 'CART' }, rules.table); // { pk: { S: 'CART#1' }, sk: { S: 'CART' } }
 */
export function toWireKey(key: Readonly<Record<string, unknown>>, table: TableSettings, options: marshallOptions = {}): AttributeMap {
  const names = table.sortKey === null ? [table.partitionKey] : [table.partitionKey, table.sortKey];
  const shown = typeof key === 'object' && key !== null ? describePlainKey(key) : String(key);
  if (typeof key !== 'object' || key === null) throw new InvalidKeyError(shown, `a key must be an object with ${names.join(' and ')}`);
  const extra = Object.keys(key).filter((name) => !names.includes(name));
  if (extra.length > 0) throw new InvalidKeyError(shown, `only ${names.join(' and ')} belong in a key, got also ${extra.join(', ')}`);
  const wire: AttributeMap = {};
  for (const name of names) {
    if (key[name] === undefined) throw new InvalidKeyError(shown, `the key attribute ${name} is missing`);
    const value = toWireValue(key[name], name, options);
    if (!KEY_TYPES.includes(Object.keys(value)[0] as string)) throw new InvalidKeyError(shown, `the key attribute ${name} must be a string, number or binary`);
    wire[name] = value;
  }
  return wire;
}

function describePlainKey(key: object): string {
  return Object.entries(key)
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
}

/**
 * Converts a wire-form map to the SDK's form (base64 binary back to bytes).
 *
 * @example
 * await client.send(new PutItemCommand({ TableName, Item: toSdkItem(image) }));
 */
export function toSdkItem(map: AttributeMap): SdkItem {
  // Without a prototype: the keys are attribute names, which may be `__proto__`.
  const item = dict<SdkAttributeValue>();
  for (const name in map) item[name] = toSdkValue(map[name] as AttributeValue);
  return item;
}

/** Converts one wire-form value to the SDK's form. */
export function toSdkValue(value: AttributeValue): SdkAttributeValue {
  if ('B' in value) return { B: Buffer.from(value.B, 'base64') };
  if ('BS' in value) return { BS: value.BS.map((member) => Buffer.from(member, 'base64')) };
  if ('L' in value) return { L: value.L.map(toSdkValue) };
  if ('M' in value) return { M: toSdkItem(value.M) };
  return value as SdkAttributeValue;
}

/** Validates an item the SDK returned and converts it to wire form. */
export function fromSdkItem(item: SdkItem, path: string): AttributeMap {
  return parseAttributeMap(item, path);
}

/**
 * The plain item an application sees: the SDK item without `hidden` attributes
 * (the envelope), unmarshalled.
 *
 * @example
 * toPlainItem(response.Item, ['_cc'], {}); // { pk: 'CART#1', sk: 'CART', items: Set { 'apple' } }
 */
export function toPlainItem(item: SdkItem, hidden: readonly string[], options: unmarshallOptions = {}): PlainItem {
  const visible = dict<SdkAttributeValue>();
  for (const name in item) if (!hidden.includes(name)) visible[name] = item[name] as SdkAttributeValue;
  return unmarshall(visible, options);
}
