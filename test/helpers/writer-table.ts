/**
 * A Concord table on a local DynamoDB endpoint for the writer's tests and benchmark:
 * writers of the example rules, the stored image as the core sees it, and an
 * emulation of DynamoDB's `ReturnValuesOnConditionCheckFailure`, which dynalite ignores.
 */
import exampleRules from '../../rules/example';
import { parseAttributeMap, type AttributeMap } from '../../shared/dynamodb/attribute-value';
import { createConcordTable, type ConcordTable, type ConcordTableOptions } from '../../shared/writer';
import { concordTableDefinition, startLocalDynamo, type LocalDynamo } from '../../local/dynamodb';

export type ExampleSpec = typeof exampleRules.spec;
export type ExampleTable = ConcordTable<ExampleSpec>;

/** A local endpoint with one Concord table of the example rules. */
export interface WriterBed {
  readonly dynamo: LocalDynamo;
  readonly tableName: string;
  /** A writer of the table for `region` (us-east-1 unless given); all share one client. */
  writer(options?: Partial<ConcordTableOptions<ExampleSpec>>): ExampleTable;
  /** The stored item as the core parses it, read past the proxy (not counted). */
  image(key: Record<string, string>): Promise<AttributeMap | undefined>;
  /** Stores a wire-form image as is, past the proxy. */
  store(image: AttributeMap): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts dynalite behind the counting proxy and creates the table.
 *
 * @example
 * const bed = await startWriterBed();
 * const table = bed.writer({ region: 'eu-west-1' });
 */
export async function startWriterBed(tableName = 'concord-writer'): Promise<WriterBed> {
  const dynamo = await startLocalDynamo({ tables: [concordTableDefinition(tableName)] });
  const client = dynamo.client();
  return {
    dynamo,
    tableName,
    writer: (options = {}) => createConcordTable({ client, tableName, region: 'us-east-1', rules: exampleRules, ...options }),
    async image(key) {
      const response = await dynamo.call('GetItem', { TableName: tableName, Key: wireKey(key), ConsistentRead: true });
      const item = response.body.Item;
      return item === undefined ? undefined : parseAttributeMap(item, 'Item');
    },
    async store(image) {
      const response = await dynamo.call('PutItem', { TableName: tableName, Item: image });
      if (response.status !== 200) throw new Error(`PutItem failed: ${JSON.stringify(response.body)}`);
    },
    close: () => dynamo.close(),
  };
}

/** A key of the example table in wire form. */
export function wireKey(key: Record<string, string>): AttributeMap {
  return Object.fromEntries(Object.entries(key).map(([name, value]) => [name, { S: value }]));
}

/**
 * Makes the next `times` PutItems lose a race: just before each reaches dynalite,
 * another write changes the item's `wid`, so the put's condition fails. Returns the
 * removal of the interference.
 */
export function interfereWithPuts(dynamo: LocalDynamo, times: number): () => void {
  let left = times;
  return dynamo.intercept(async (request, forward) => {
    if (request.operation !== 'PutItem' || left === 0) return forward();
    left -= 1;
    const body = request.body as { TableName: string; Item: AttributeMap };
    await dynamo.call('UpdateItem', {
      TableName: body.TableName,
      Key: { pk: body.Item.pk, sk: body.Item.sk },
      UpdateExpression: 'SET #cc.#wid = :wid',
      ConditionExpression: 'attribute_exists(#cc)',
      ExpressionAttributeNames: { '#cc': '_cc', '#wid': 'wid' },
      ExpressionAttributeValues: { ':wid': { S: `interloper-${left}` } },
    });
    return forward();
  });
}

/**
 * Starts a bed before the tests of the enclosing `describe` and closes it after them.
 *
 * @example
 * const env = useWriterBed();
 * it('…', async () => { await env.table.increment(key, 'onHand', 1); });
 */
export function useWriterBed(): { readonly bed: WriterBed; readonly table: ExampleTable } {
  const env = {} as { bed: WriterBed; table: ExampleTable };
  beforeAll(async () => {
    env.bed = await startWriterBed();
    env.table = env.bed.writer();
  });
  afterAll(() => env.bed.close());
  return env;
}
