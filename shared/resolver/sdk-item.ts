/**
 * Crossing between Concord's wire-form images (binary as base64 strings, as stream
 * records carry them) and the AWS SDK's attribute values (binary as bytes).
 */
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { parseAttributeMap, type AttributeMap, type AttributeValue } from '../dynamodb/attribute-value';

/** An item as the SDK sends it. */
export type SdkItem = Record<string, SdkAttributeValue>;

/**
 * Converts a wire-form image to the SDK's form: base64 binaries become bytes. Parts
 * without binaries are the same in both forms and are passed on as they are, not
 * copied (an item without binaries comes back itself).
 *
 * @example
 * await dynamodb.send(new PutItemCommand({ TableName, Item: toSdkItem(merged.item) }));
 */
export function toSdkItem(image: AttributeMap): SdkItem {
  let item: SdkItem | undefined;
  for (const name in image) {
    const value = image[name] as AttributeValue;
    const converted = toSdkValue(value);
    // Without a prototype: the keys are attribute names, which may be `__proto__`.
    if (converted !== value && item === undefined) item = Object.assign(Object.create(null) as SdkItem, image);
    if (item !== undefined) item[name] = converted;
  }
  return item ?? (image as SdkItem);
}

function toSdkValue(value: AttributeValue): SdkAttributeValue {
  if ('B' in value) return { B: Buffer.from(value.B, 'base64') };
  if ('BS' in value) return { BS: value.BS.map((member) => Buffer.from(member, 'base64')) };
  if ('L' in value) {
    const members = value.L.map(toSdkValue);
    return members.every((member, index) => member === value.L[index]) ? (value as SdkAttributeValue) : { L: members };
  }
  if ('M' in value) {
    const members = toSdkItem(value.M);
    return members === value.M ? (value as SdkAttributeValue) : { M: members };
  }
  return value as SdkAttributeValue;
}

/**
 * Converts an item the SDK returned to the wire form, validated.
 *
 * @example
 * const current = fromSdkItem(response.Item);
 */
export function fromSdkItem(item: SdkItem): AttributeMap {
  return parseAttributeMap(item, '');
}
