/**
 * `npm run record-fixtures`: records test/fixtures/dynamodb-local-item-lifecycle.json from
 * DynamoDB Local's stream (Java 17 needed): plain writes (no Concord envelope) to a fresh
 * table, and the stream events they produced, as Lambda would deliver them: read through local/dynamodb-local-stream.ts, which repairs where the
 * engine departs from AWS. Event ids, sequence numbers and times change from one
 * recording to the next; shapes, images and sizes do not.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { concordTableDefinition } from '../local/dynamodb';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { DynamoDbLocalStream } from '../local/dynamodb-local-stream';

// The SDK's notice about Node versions is noise in a script's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const FIXTURES_DIR = join(__dirname, '..', 'test', 'fixtures');
const REGION = 'us-east-1';
const TABLE = 'concord-dev';
const credentials = { accessKeyId: 'fixtures', secretAccessKey: 'fixtures' };

const FILE = 'dynamodb-local-item-lifecycle.json';
const RECORDS = 4;
const ada = { pk: { S: 'PROFILE#ada' }, sk: { S: 'PROFILE' } };

/** INSERT, MODIFY and REMOVE of an item holding every attribute type (an empty map and an empty list among them), and an item created by an update. */
async function writeLifecycle(client: DynamoDBClient): Promise<void> {
  const item = {
    ...ada,
    name: { S: 'Ada' },
    visits: { N: '12' },
    balance: { N: '-2.5' },
    avatar: { B: new Uint8Array([137, 80, 78, 71]) },
    keys: { BS: [new Uint8Array([1, 2]), new Uint8Array([3])] },
    roles: { SS: ['admin', 'editor'] },
    scores: { NS: ['7', '10.25'] },
    verified: { BOOL: true },
    deletedAt: { NULL: true },
    history: { L: [{ S: 'signup' }, { N: '1' }, { M: { step: { S: 'verify' } } }] },
    address: { M: { city: { S: 'London' }, geo: { M: { lat: { N: '51.5' } } } } },
    preferences: { M: {} },
    notes: { L: [] },
  };
  await client.send(new PutItemCommand({ TableName: TABLE, Item: item }));
  await client.send(
    new UpdateItemCommand({
      TableName: TABLE,
      Key: ada,
      UpdateExpression: 'SET #visits = #visits + :one, #address.#city = :city ADD #roles :roles REMOVE #deletedAt',
      ExpressionAttributeNames: { '#visits': 'visits', '#address': 'address', '#city': 'city', '#roles': 'roles', '#deletedAt': 'deletedAt' },
      ExpressionAttributeValues: { ':one': { N: '1' }, ':city': { S: 'Paris' }, ':roles': { SS: ['owner'] } },
    }),
  );
  await client.send(
    new UpdateItemCommand({ TableName: TABLE, Key: { pk: { S: 'PROFILE#grace' }, sk: { S: 'PROFILE' } }, UpdateExpression: 'SET #n = :n', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': { S: 'Grace' } } }),
  );
  await client.send(new DeleteItemCommand({ TableName: TABLE, Key: ada }));
}

async function main(): Promise<void> {
  const engine = await startDynamoDbLocal();
  const config = { endpoint: engine.endpoint, region: REGION, credentials };
  const client = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  try {
    const created = await client.send(new CreateTableCommand(concordTableDefinition(TABLE)));
    const stream = new DynamoDbLocalStream(streams, created.TableDescription?.LatestStreamArn as string, REGION);
    await writeLifecycle(client);
    const records = await stream.next(RECORDS);
    const source = `Recorded from DynamoDB Local ${engine.version} by scripts/record-fixtures.ts (npm run record-fixtures), read through local/dynamodb-local-stream.ts`;
    writeFileSync(join(FIXTURES_DIR, FILE), `${JSON.stringify({ source, events: [{ Records: records }] }, null, 2)}\n`);
    process.stdout.write(`wrote test/fixtures/${FILE}: ${records.length} records\n`);
  } finally {
    client.destroy();
    streams.destroy();
    await engine.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
