/**
 * The MD5 digests SQS returns with every message, computed exactly as SQS documents
 * them ("Calculating the MD5 message digest for message attributes"), so that SDK
 * clients validating them accept the local endpoint's answers.
 */
import { createHash } from 'node:crypto';

/** A message attribute value in wire form (binary as base64). */
export interface MessageAttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

/** Transport type byte of a message attribute in the digest: 1 for String/Number, 2 for Binary. */
const TransportType = { String: 1, Binary: 2 } as const;

/**
 * MD5 (hex) of the UTF-8 bytes of a message body.
 *
 * @example
 * md5OfBody('hello'); // '5d41402abc4b2a76b9719d911017c592'
 */
export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/**
 * MD5 (hex) of message attributes: for each attribute in name order, the name, the
 * data type and the value, each as a 4-byte big-endian length and its bytes, with the
 * transport type byte between type and value. `undefined` when there are none.
 *
 * @example
 * md5OfMessageAttributes({ attribName1: { DataType: 'String', StringValue: 'attribValue 1' } });
 * // '19e27d4e946b072f3f58da80d94fd778'
 */
export function md5OfMessageAttributes(attributes: Readonly<Record<string, MessageAttributeValue>> | undefined): string | undefined {
  const names = Object.keys(attributes ?? {}).sort();
  if (attributes === undefined || names.length === 0) return undefined;
  const hash = createHash('md5');
  for (const name of names) {
    const value = attributes[name] as MessageAttributeValue;
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(value.DataType, 'utf8')));
    if (value.DataType.startsWith('Binary')) {
      hash.update(Buffer.of(TransportType.Binary));
      hash.update(lengthPrefixed(Buffer.from(value.BinaryValue ?? '', 'base64')));
    } else {
      hash.update(Buffer.of(TransportType.String));
      hash.update(lengthPrefixed(Buffer.from(value.StringValue ?? '', 'utf8')));
    }
  }
  return hash.digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
