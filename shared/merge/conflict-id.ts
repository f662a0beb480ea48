import { createHash } from 'node:crypto';
import { canonicalJson, type AttributeMap } from '../dynamodb/attribute-value';
import type { VersionVector } from '../clock/version-vector';

/**
 * The id of a conflict: a hash of the table, the key and both version vectors in a
 * canonical order, so every region that resolves the same conflict names it alike
 * and audit consumers can drop duplicates.
 *
 * @example
 * conflictId('concord-prod', { pk: { S: 'CART#1' }, sk: { S: 'CART' } }, oldVv, newVv); // 32 hex digits
 */
export function conflictId(table: string, key: AttributeMap, a: VersionVector, b: VersionVector): string {
  const [first, second] = [canonicalJson(a), canonicalJson(b)].sort();
  return createHash('sha256').update(`${table}\n${canonicalJson(key)}\n${first}\n${second}`).digest('hex').slice(0, 32);
}
