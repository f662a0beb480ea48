/**
 * The engine suites' access to DynamoDB Local, which test/engine/global-setup.ts starts
 * once per `npm run test:engine`: per suite a database of its own (DynamoDB Local keeps
 * one per access key and region), with a Concord table per region and its stream.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateTimeToLiveCommand, CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { concordTableDefinition } from '../../local/dynamodb';
import { DynamoDbLocalStream } from '../../local/dynamodb-local-stream';
import { parseAttributeMap, type AttributeMap } from '../../shared/dynamodb/attribute-value';

/** The variable through which the global setup hands the engine's endpoint to the suites. */
export const ENGINE_ENDPOINT_VARIABLE = 'CONCORD_DYNAMODB_LOCAL_ENDPOINT';

/** The table's TTL attribute, as the example rules name it. */
const TTL_ATTRIBUTE = '_ttl';

/** One region's table on the engine, and its stream. */
export interface EngineTable {
  readonly name: string;
  readonly region: string;
  readonly client: DynamoDBClient;
  readonly stream: DynamoDbLocalStream;
  /** The stored item (consistent read), in wire form. */
  item(key: AttributeMap): Promise<AttributeMap | undefined>;
  /** Stores `image` as is, as Global Tables replication would. */
  store(image: AttributeMap): Promise<void>;
}

/** A suite's database on the engine. */
export interface EngineDatabase {
  /** Creates a Concord table (`pk`/`sk`, NEW_AND_OLD_IMAGES stream, TTL on `_ttl`) in `region`. */
  table(region: string, name: string): Promise<EngineTable>;
  /** Destroys the clients it made. */
  close(): void;
}

/** The engine's endpoint, or an error saying how to start it. */
export function engineEndpoint(): string {
  const endpoint = process.env[ENGINE_ENDPOINT_VARIABLE];
  if (endpoint === undefined) throw new Error(`${ENGINE_ENDPOINT_VARIABLE} is not set: run the engine suites with npm run test:engine`);
  return endpoint;
}

/**
 * The credentials of a suite's database: its name (letters and digits only, as DynamoDB
 * Local takes them) as the access key. A process given them as AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY sees the suite's tables.
 *
 * @example
 * engineCredentials('redrive'); // { accessKeyId: 'redrive', secretAccessKey: 'redrive' }
 */
export function engineCredentials(suite: string): { readonly accessKeyId: string; readonly secretAccessKey: string } {
  const accessKeyId = suite.replace(/[^A-Za-z0-9]/g, '');
  return { accessKeyId, secretAccessKey: accessKeyId };
}

/**
 * A database of the suite's own: clients sign with `suite` as their access key (its
 * letters and digits).
 *
 * @example
 * const database = engineDatabase('writer');
 * const table = await database.table('us-east-1', 'concord-engine');
 */
export function engineDatabase(suite: string): EngineDatabase {
  const clients: { destroy(): void }[] = [];
  const config = (region: string) => ({ endpoint: engineEndpoint(), region, credentials: engineCredentials(suite) });
  return {
    async table(region, name) {
      const client = new DynamoDBClient(config(region));
      const streams = new DynamoDBStreamsClient(config(region));
      clients.push(client, streams);
      const created = await client.send(new CreateTableCommand(concordTableDefinition(name)));
      await client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: TTL_ATTRIBUTE } }));
      return {
        name,
        region,
        client,
        stream: new DynamoDbLocalStream(streams, created.TableDescription?.LatestStreamArn as string, region),
        async item(key) {
          const { Item } = await client.send(new GetItemCommand({ TableName: name, Key: key as never, ConsistentRead: true }));
          return Item === undefined ? undefined : parseAttributeMap(Item, 'Item');
        },
        async store(image) {
          await client.send(new PutItemCommand({ TableName: name, Item: image as never }));
        },
      };
    },
    close() {
      for (const client of clients.splice(0)) client.destroy();
    },
  };
}

/**
 * A database for the tests of the enclosing `describe`, its clients destroyed after them.
 *
 * @example
 * const database = useEngineDatabase('resolver');
 */
export function useEngineDatabase(suite: string): EngineDatabase {
  const database = engineDatabase(suite);
  afterAll(() => database.close());
  return database;
}
