/**
 * DynamoDB's item size, computed the way DynamoDB documents it, so a merged item that
 * can never be written is recognised before the write (and quarantined) instead of
 * failing its record on every retry.
 */
import type { AttributeMap, AttributeValue } from '../dynamodb/attribute-value';

/** DynamoDB's largest item: 400 KB, attribute names included. */
export const MAX_ITEM_BYTES = 400 * 1024;

/** How the parts of an item are counted: exactly, or bounded from above without encoding them. */
interface Measure {
  string(text: string): number;
  number(text: string): number;
  binary(base64: string): number;
}

const EXACT: Measure = { string: (text) => Buffer.byteLength(text), number: numberSize, binary: base64Bytes };

/**
 * At least the exact counts: UTF-8 takes at most 3 bytes per UTF-16 unit, a number at
 * most one byte per two digits plus 3, base64 decodes to fewer bytes than characters.
 */
const BOUND: Measure = { string: (text) => 3 * text.length, number: (text) => text.length + 3, binary: (base64) => base64.length };

/**
 * The size DynamoDB counts for an item: attribute names and values in UTF-8, numbers by
 * significant digits, binaries by bytes, 1 byte per boolean or null, 3 bytes per list
 * or map plus 1 per element.
 *
 * @example
 * itemSizeBytes({ pk: { S: 'A' } }); // 3
 */
export function itemSizeBytes(item: AttributeMap): number {
  return sizeOf(item, EXACT);
}

/**
 * The size of an item over DynamoDB's limit, or undefined when it is within it. Decided
 * by a bound that encodes no string and reads no number's digits, exactly only for an
 * item the bound does not clear: nearly every item is far under the limit.
 *
 * @example
 * oversize(merged.item); // undefined
 */
export function oversize(item: AttributeMap, limit = MAX_ITEM_BYTES): number | undefined {
  if (sizeOf(item, BOUND) <= limit) return undefined;
  const size = sizeOf(item, EXACT);
  return size > limit ? size : undefined;
}

function sizeOf(item: AttributeMap, measure: Measure): number {
  let size = 0;
  for (const name in item) size += measure.string(name) + valueSize(item[name] as AttributeValue, measure);
  return size;
}

function valueSize(value: AttributeValue, measure: Measure): number {
  if ('S' in value) return measure.string(value.S);
  if ('N' in value) return measure.number(value.N);
  if ('B' in value) return measure.binary(value.B);
  if ('SS' in value) return value.SS.reduce((sum, member) => sum + measure.string(member), 0);
  if ('NS' in value) return value.NS.reduce((sum, member) => sum + measure.number(member), 0);
  if ('BS' in value) return value.BS.reduce((sum, member) => sum + measure.binary(member), 0);
  if ('L' in value) return value.L.reduce((sum, member) => sum + 1 + valueSize(member, measure), 3);
  if ('M' in value) {
    let size = 3;
    for (const name in value.M) size += 1 + measure.string(name) + valueSize(value.M[name] as AttributeValue, measure);
    return size;
  }
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
