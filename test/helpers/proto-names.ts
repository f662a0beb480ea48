/**
 * The name `__proto__` on the local endpoint. DynamoDB takes it like any other attribute
 * name or map key (DynamoDB Local, Amazon's engine, stores and returns it), but dynalite
 * copies maps into plain objects, where assigning `__proto__` sets the prototype, and
 * refuses the item. For tests of such names, this renames `__proto__` to a stand-in on the
 * wire to dynalite and back in its answers: clients, the SDK and Concord send and receive
 * exactly what DynamoDB would.
 */
import type { LocalDynamo, DynamoJson, DynamoResponse } from '../../local';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import { parseAttributeMap } from '../../shared/dynamodb/attribute-value';

// Whole JSON strings only: inside a JSON string a quote is always escaped, so the quoted
// name cannot match part of another string.
const NAME = JSON.stringify('__proto__');
const STAND_IN = JSON.stringify('\u0001concord-test:proto\u0001');

function rename(body: DynamoJson, from: string, to: string): DynamoJson {
  return JSON.parse(JSON.stringify(body).split(from).join(to)) as DynamoJson;
}

/** What dynalite stores for a body that holds `__proto__`. */
export function toDynalite(body: DynamoJson): DynamoJson {
  return rename(body, NAME, STAND_IN);
}

/** A dynalite answer as DynamoDB would give it. */
export function fromDynalite(response: DynamoResponse): DynamoResponse {
  return { status: response.status, body: rename(response.body, STAND_IN, NAME) };
}

/**
 * Makes every request through the proxy (the SDK clients') carry `__proto__` to dynalite
 * and back. Returns the removal.
 */
export function carryProtoNames(dynamo: LocalDynamo): () => void {
  return dynamo.intercept(async (request, forward) => fromDynalite(await forward(toDynalite(request.body))));
}

/** Stores a wire-form image as is, straight to dynalite (past the proxy). */
export async function storeRaw(dynamo: LocalDynamo, tableName: string, image: AttributeMap): Promise<void> {
  const response = fromDynalite(await dynamo.call('PutItem', toDynalite({ TableName: tableName, Item: image })));
  if (response.status !== 200) throw new Error(`PutItem failed: ${JSON.stringify(response.body)}`);
}

/** The stored image under `key`, read straight from dynalite (consistent). */
export async function readRaw(dynamo: LocalDynamo, tableName: string, key: AttributeMap): Promise<AttributeMap | undefined> {
  const response = fromDynalite(await dynamo.call('GetItem', toDynalite({ TableName: tableName, Key: key, ConsistentRead: true })));
  if (response.status !== 200) throw new Error(`GetItem failed: ${JSON.stringify(response.body)}`);
  const item = response.body.Item;
  return item === undefined ? undefined : parseAttributeMap(item, 'Item');
}
