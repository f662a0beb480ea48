/**
 * DynamoDB's item size, computed the way DynamoDB documents it, so a merged item that
 * can never be written is recognised before the write (and quarantined) instead of
 * failing its record on every retry.
 */
import type { AttributeMap, AttributeValue } from '../dynamodb/attribute-value';

/** DynamoDB's largest item: 400 KB, attribute names included. */
export const MAX_ITEM_BYTES = 400 * 1024;

/**
 * The size DynamoDB counts for an item: attribute names and values in UTF-8, numbers by
 * significant digits, binaries by bytes, 1 byte per boolean or null, 3 bytes per list
 * or map plus 1 per element.
 *
 * @example
 * itemSizeBytes({ pk: { S: 'A' } }); // 3
 */
export function itemSizeBytes(item: AttributeMap): number {
  let size = 0;
  for (const name in item) size += Buffer.byteLength(name) + valueSize(item[name] as AttributeValue);
  return size;
}

function valueSize(value: AttributeValue): number {
  if ('S' in value) return Buffer.byteLength(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return base64Bytes(value.B);
  if ('SS' in value) return value.SS.reduce((sum, member) => sum + Buffer.byteLength(member), 0);
  if ('NS' in value) return value.NS.reduce((sum, member) => sum + numberSize(member), 0);
  if ('BS' in value) return value.BS.reduce((sum, member) => sum + base64Bytes(member), 0);
  if ('L' in value) return value.L.reduce((sum, member) => sum + 1 + valueSize(member), 3);
  if ('M' in value) return 3 + itemSizeBytes(value.M) + Object.keys(value.M).length;
  return 1;
}

/**
 * A number is stored as base-100 digits aligned on the decimal point (zero pairs at
 * either end dropped), plus one byte, plus one more when negative: 2.5 is "02|50", 3
 * bytes, where "one byte per two significant digits" would say 2. Measured on DynamoDB
 * Local, whose stream's SizeBytes count this way.
 */
function numberSize(number: string): number {
  const [mantissa = '', exponent = '0'] = number.toLowerCase().split('e');
  const [whole = '', fraction = ''] = mantissa.replace(/^[-+]/, '').split('.');
  const digits = whole + fraction;
  const significant = digits.replace(/^0+/, '').replace(/0+$/, '');
  if (significant === '') return 1;
  // Powers of ten of the first and last significant digits; pair k holds powers 2k and 2k + 1.
  const first = whole.length + Number(exponent) - (digits.length - digits.replace(/^0+/, '').length) - 1;
  const last = first - significant.length + 1;
  const pairs = Math.floor(first / 2) - Math.floor(last / 2) + 1;
  return pairs + 1 + (mantissa.startsWith('-') ? 1 : 0);
}

function base64Bytes(value: string): number {
  return Buffer.byteLength(value, 'base64');
}
