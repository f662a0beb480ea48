/**
 * The `<key>` argument of `inspect` and `resolve`: the key's values in key order
 * (`'CART#42' CART`), each a string, or one JSON object naming the key attributes
 * (`'{"pk":"CART#42","sk":"CART"}'`) for numbers or to be explicit.
 */
import { CommandLineError, InvalidKeyError } from '../shared/errors';
import type { AttributeMap } from '../shared/dynamodb/attribute-value';
import type { TableSettings } from '../shared/rules/types';
import { toWireKey } from '../shared/writer/values';

/** The name of the key argument in usage lines and messages. */
export const KEY_ARGUMENT = '<key>';

/** The positional arguments of a command that takes a key: its values (one per key attribute), or one JSON object. */
export const KEY_POSITIONALS = { min: 1, max: 2, names: [KEY_ARGUMENT] } as const;

/**
 * The key the arguments name.
 *
 * @throws CommandLineError naming `<key>` when the values do not make exactly the table's key
 * @example
 * parseKeyArgument(['CART#42', 'CART'], rules.table); // { pk: { S: 'CART#42' }, sk: { S: 'CART' } }
 * parseKeyArgument(['{"pk":"ORDER#1","sk":"ORDER"}'], rules.table);
 */
export function parseKeyArgument(values: readonly string[], table: TableSettings): AttributeMap {
  const names = table.sortKey === null ? [table.partitionKey] : [table.partitionKey, table.sortKey];
  let plain: Record<string, unknown>;
  if (values.length === 1 && values[0]?.trimStart().startsWith('{')) {
    plain = parseJsonKey(values[0]);
  } else {
    if (values.length !== names.length) {
      throw new CommandLineError(KEY_ARGUMENT, `the table's key is ${names.join(', ')}: give ${names.length === 1 ? 'its value' : `${names.length} values in that order`} (or one JSON object), got ${values.length}`);
    }
    plain = Object.fromEntries(names.map((name, index) => [name, values[index]]));
  }
  try {
    return toWireKey(plain, table);
  } catch (error) {
    if (error instanceof InvalidKeyError) throw new CommandLineError(KEY_ARGUMENT, error.reason);
    throw error;
  }
}

function parseJsonKey(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CommandLineError(KEY_ARGUMENT, `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CommandLineError(KEY_ARGUMENT, 'a JSON key must be an object');
  return parsed as Record<string, unknown>;
}
