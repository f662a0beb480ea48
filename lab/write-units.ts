/**
 * DynamoDB write capacity units, as AWS counts them: a write consumes one unit per
 * kilobyte (rounded up) of the larger of the item before and after it; a failed
 * conditional write consumes them too. Replicated writes cost as much in each replica.
 */
import type { AttributeMap } from '../shared/dynamodb/attribute-value';
import { itemSizeBytes } from '../shared/resolver/item-size';

/**
 * The write units of one write.
 *
 * @example
 * writeUnits(oldImage, newImage); // 2 when the larger image is between 1 and 2 KB
 */
export function writeUnits(before: AttributeMap | undefined, after: AttributeMap | undefined): number {
  const bytes = Math.max(before === undefined ? 0 : itemSizeBytes(before), after === undefined ? 0 : itemSizeBytes(after));
  return Math.max(1, Math.ceil(bytes / 1024));
}
