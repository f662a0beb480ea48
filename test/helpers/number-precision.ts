/**
 * DynamoDB's 38 significant digits on the local endpoint. DynamoDB refuses a write that
 * would store a number with more ("DynamoDB only supports precision up to 38 digits",
 * a ValidationException), also when an update expression's arithmetic makes it (checked
 * on DynamoDB Local); dynalite refuses such a number in a request but stores one its
 * arithmetic makes. This makes the endpoint refuse those UpdateItems as DynamoDB does.
 */
import type { LocalDynamo, DynamoJson } from '../../local';

const REFUSAL = { status: 400, body: { __type: 'com.amazon.coral.validate#ValidationException', message: 'DynamoDB only supports precision up to 38 digits' } };

/** Significant digits of a DynamoDB number string. */
export function significantDigits(number: string): number {
  return number.replace(/[eE].*$/, '').replace(/[-+.]/g, '').replace(/^0+/, '').replace(/0+$/, '').length;
}

/** True when a wire-form value holds, at any depth, a number of more than 38 significant digits. */
function holdsImpreciseNumber(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const wire = value as { N?: unknown; NS?: unknown };
  if (typeof wire.N === 'string' && significantDigits(wire.N) > 38) return true;
  if (Array.isArray(wire.NS) && wire.NS.some((member) => typeof member === 'string' && significantDigits(member) > 38)) return true;
  return Object.values(value).some(holdsImpreciseNumber);
}

/**
 * Makes UpdateItems that leave a number of more than 38 significant digits fail as on
 * DynamoDB: the item is put back as it was and the request is refused. Returns the removal.
 */
export function refuseImpreciseNumbers(dynamo: LocalDynamo): () => void {
  return dynamo.intercept(async (request, forward) => {
    if (request.operation !== 'UpdateItem') return forward();
    const { TableName, Key } = request.body as { TableName: string; Key: DynamoJson };
    const before = (await dynamo.call('GetItem', { TableName, Key, ConsistentRead: true })).body.Item;
    const response = await forward();
    if (response.status !== 200) return response;
    const after = (await dynamo.call('GetItem', { TableName, Key, ConsistentRead: true })).body.Item;
    if (!holdsImpreciseNumber(after)) return response;
    if (before === undefined) await dynamo.call('DeleteItem', { TableName, Key });
    else await dynamo.call('PutItem', { TableName, Item: before });
    return REFUSAL;
  });
}
