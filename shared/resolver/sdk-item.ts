/**
 * Crossing between Concord's wire-form images (binary as base64 strings, as stream
 * records carry them) and the AWS SDK's attribute values (binary as bytes).
 */
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { parseAttributeMap, type AttributeMap, type AttributeValue } from '../dynamodb/attribute-value';

/** An item as the SDK sends it. */
export type SdkItem = Record<string, SdkAttributeValue>;

/**
 * Converts a wire-form image to the SDK's form: base64 binaries become bytes.
 *
 * @example
 * await dynamodb.send(new PutItemCommand({ TableName, Item: toSdkItem(merged.item) }));
 */
export function toSdkItem(image: AttributeMap): SdkItem {
  const item: SdkItem = {};
  for (const name in image) item[name] = toSdkValue(image[name] as AttributeValue);
  return item;
}

function toSdkValue(value: AttributeValue): SdkAttributeValue {
  if ('B' in value) return { B: Buffer.from(value.B, 'base64') };
  if ('BS' in value) return { BS: value.BS.map((member) => Buffer.from(member, 'base64')) };
  if ('L' in value) return { L: value.L.map(toSdkValue) };
  if ('M' in value) return { M: toSdkItem(value.M) };
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
