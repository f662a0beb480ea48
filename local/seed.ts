/**
 * Seeds a local table from a JSON file holding an array of items in DynamoDB JSON wire
 * form (binary as base64), as `events/seed.json` does for `npm run local`.
 */
import { readFile } from 'node:fs/promises';
import { parseAttributeMap } from '../shared';
import type { LocalDynamo } from './dynamodb';

/**
 * Validates every item of the file, then writes them with PutItem straight to
 * dynalite (wire form needs no conversion there: binary stays base64 on the wire).
 * Returns how many items were written.
 *
 * @throws Error naming the file and the item when the file is not an array of valid items
 * @example
 * const count = await seedTable(dynamo, 'concord-dev', 'events/seed.json');
 */
export async function seedTable(dynamo: LocalDynamo, table: string, file: string): Promise<number> {
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${file} must hold a JSON array of items`);
  const items = parsed.map((item, index) => parseAttributeMap(item, `${file}[${index}]`));
  for (const [index, item] of items.entries()) {
    const response = await dynamo.call('PutItem', { TableName: table, Item: item });
    if (response.status !== 200) throw new Error(`${file}[${index}]: PutItem failed: ${JSON.stringify(response.body)}`);
  }
  return items.length;
}
