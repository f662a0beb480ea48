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

const ZERO = 48;
const NINE = 57;

/** About one byte per two significant digits, plus one (counted in one pass: this runs for every number of every write-back). */
function numberSize(number: string): number {
  let significant = 0;
  let pendingZeros = 0;
  for (let i = 0; i < number.length; i += 1) {
    const code = number.charCodeAt(i);
    if (code === 101 || code === 69) break; // e, E: the exponent does not count
    if (code < ZERO || code > NINE) continue; // sign, decimal point
    if (code === ZERO) {
      // Leading zeros never count; trailing ones only if a significant digit follows.
      if (significant > 0) pendingZeros += 1;
      continue;
    }
    significant += pendingZeros + 1;
    pendingZeros = 0;
  }
  return Math.ceil(Math.max(significant, 1) / 2) + 1;
}

function base64Bytes(value: string): number {
  return Buffer.byteLength(value, 'base64');
}
