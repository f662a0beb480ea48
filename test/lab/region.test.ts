/**
 * A lab region captures a stream record around every write any client makes to its
 * endpoint, shaped as AWS's (NEW_AND_OLD_IMAGES), and none for a write that changes
 * nothing; replicated writes and TTL deletes yield their records too.
 */
import { BatchWriteItemCommand, DeleteItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import exampleRules from '../../rules/example';
import { Region } from '../../lab/region';
import { compareSequenceNumbers, RegionStream, TTL_USER_IDENTITY, WriteOrigin, type CapturedRecord } from '../../lab/stream';
import { parseAttributeMap } from '../../shared/dynamodb/attribute-value';
import { fixture } from '../helpers/fixtures';
import { keyOf } from '../helpers/items';
import { pkOf } from '../helpers/lab-regions';

const TABLE = 'concord-lab-test';
const NOW = Date.UTC(2025, 0, 1);

describe('Region', () => {
  let region: Region;
  let client: DynamoDBClient;
  let local: CapturedRecord[];

  beforeAll(async () => {
    region = await Region.start({ name: 'eu-west-1', table: TABLE, settings: exampleRules.table, shards: 2, now: () => NOW });
    client = region.dynamo.client({ maxAttempts: 1 });
    region.onLocalWrite((record) => local.push(record));
  });
  afterAll(() => region.close());
  beforeEach(() => {
    local = [];
  });

  const recordsOf = (pk: string): CapturedRecord[] => region.stream.records().filter((captured) => pkOf(captured) === pk);

  it('records INSERT, MODIFY and REMOVE with the images around each write of any client', async () => {
    // Act
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'A#1' }, sk: { S: 'A' }, n: { N: '1' } } }));
    await client.send(new UpdateItemCommand({ TableName: TABLE, Key: { pk: { S: 'A#1' }, sk: { S: 'A' } }, UpdateExpression: 'SET n = :two', ExpressionAttributeValues: { ':two': { N: '2' } } }));
    await client.send(new DeleteItemCommand({ TableName: TABLE, Key: { pk: { S: 'A#1' }, sk: { S: 'A' } } }));

    // Assess
    expect(recordsOf('A#1').map(({ record }) => [record.eventName, record.dynamodb?.OldImage?.n, record.dynamodb?.NewImage?.n])).toEqual([
      ['INSERT', undefined, { N: '1' }],
      ['MODIFY', { N: '1' }, { N: '2' }],
      ['REMOVE', { N: '2' }, undefined],
    ]);
  });

  it('records nothing for a write that changes nothing, or that fails its condition', async () => {
    // Prepare
    const item = { pk: { S: 'B#1' }, sk: { S: 'A' }, n: { N: '1' } };
    await client.send(new PutItemCommand({ TableName: TABLE, Item: item }));

    // Act
    await client.send(new PutItemCommand({ TableName: TABLE, Item: item }));
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...item, n: { N: '5' } }, ConditionExpression: 'attribute_not_exists(pk)' })).catch(() => undefined);

    // Assess
    expect(recordsOf('B#1').map(({ record }) => record.eventName)).toEqual(['INSERT']);
  });

  it('records each item of a BatchWriteItem', async () => {
    // Act
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: { [TABLE]: [{ PutRequest: { Item: { pk: { S: 'C#1' }, sk: { S: 'A' } } } }, { PutRequest: { Item: { pk: { S: 'C#2' }, sk: { S: 'A' } } } }] },
      }),
    );

    // Assess
    expect([...recordsOf('C#1'), ...recordsOf('C#2')].map(({ record }) => record.eventName)).toEqual(['INSERT', 'INSERT']);
  });

  it('hands local writes to replication, and not the writes replication applied', async () => {
    // Act
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'D#1' }, sk: { S: 'A' } } }));
    const replicated = await region.applyReplicated(keyOf('D#2'), { ...keyOf('D#2'), n: { N: '7' } });

    // Assess
    expect({ local: local.map((captured) => pkOf(captured)), replicated: replicated?.origin }).toEqual({ local: ['D#1'], replicated: WriteOrigin.Replica });
  });

  it('marks a TTL delete with the service identity and hands it to replication', async () => {
    // Prepare
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'E#1' }, sk: { S: 'A' } } }));
    local = [];

    // Act
    const expired = await region.expire(keyOf('E#1'));

    // Assess
    expect({ identity: expired?.record.userIdentity, name: expired?.record.eventName, local: local.length }).toEqual({ identity: TTL_USER_IDENTITY, name: 'REMOVE', local: 1 });
  });

  it('numbers records in growing order on each shard', async () => {
    // Prepare
    for (let i = 0; i < 12; i += 1) await client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: `F#${i}` }, sk: { S: 'A' } } }));

    // Act
    const perShard = region.stream.shards.map((shard) => shard.records.map(({ record }) => record.dynamodb?.SequenceNumber as string));

    // Assess
    for (const numbers of perShard) expect([...numbers].sort(compareSequenceNumbers)).toEqual(numbers);
  });
});

describe('RegionStream records', () => {
  it('count SizeBytes as DynamoDB does (the records recorded from DynamoDB Local)', () => {
    // Prepare
    const recorded = (fixture('dynamodb-local-item-lifecycle.json').events ?? []).flatMap((event) => event.Records);
    const stream = new RegionStream({ region: 'us-east-1', table: 'T', createdMs: NOW, shards: 1 });

    // Act
    const sizes = recorded.map(({ dynamodb }) => {
      const image = (raw: unknown) => (raw === undefined ? undefined : parseAttributeMap(raw, 'image'));
      return stream.append({ key: parseAttributeMap(dynamodb?.Keys, 'Keys'), oldImage: image(dynamodb?.OldImage), newImage: image(dynamodb?.NewImage), origin: WriteOrigin.Local }, NOW).record.dynamodb?.SizeBytes;
    });

    // Assess
    expect(sizes).toEqual(recorded.map(({ dynamodb }) => dynamodb?.SizeBytes));
  });
});
