/**
 * The stream adapter on records the running engine produced: each of DynamoDB Local's
 * departures from AWS arrives repaired (local/dynamodb-local-stream.test.ts shows each
 * repair on the engine's raw shapes).
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { EU } from '../helpers/items';
import { useEngineDatabase, type EngineTable } from '../helpers/engine';

const TABLE = 'concord-engine-adapter';
const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'A' } });

describe("DynamoDB Local's stream through the adapter", () => {
  const database = useEngineDatabase('adapter');
  let table: EngineTable;

  beforeAll(async () => {
    table = await database.table(EU, TABLE);
  });

  /** Puts `item` and returns its INSERT record, with the times around the write and the read. */
  async function insert(item: Record<string, unknown>): Promise<{ record: DynamoDBRecord; beforeS: number; afterS: number }> {
    const beforeS = Math.floor(Date.now() / 1000);
    await table.client.send(new PutItemCommand({ TableName: TABLE, Item: item as never }));
    const [record] = await table.stream.next(1);
    return { record: record as DynamoDBRecord, beforeS, afterS: Math.floor(Date.now() / 1000) };
  }

  it('gives an empty map its "M"', async () => {
    // Act
    const { record } = await insert({ ...key('EMPTY#1'), crdt: { M: { items: { M: {} } } } });

    // Assess
    expect(record.dynamodb?.NewImage?.crdt).toEqual({ M: { items: { M: {} } } });
  });

  it('gives the creation time to the second, between the write and the read', async () => {
    // Act
    const { record, beforeS, afterS } = await insert(key('TIME#1'));

    // Assess
    const created = record.dynamodb?.ApproximateCreationDateTime as number;
    expect(created >= beforeS && created <= afterS).toBe(true);
  });

  it('names the region the engine stands in for', async () => {
    // Act
    const { record } = await insert(key('REGION#1'));

    // Assess
    expect({ region: record.awsRegion, arn: record.eventSourceARN?.split(':')[3] }).toEqual({ region: EU, arn: EU });
  });

  it('gives a TTL deletion the event name REMOVE and the TTL service identity', async () => {
    // Prepare
    await insert({ ...key('TTL#1'), _ttl: { N: String(Math.floor(Date.now() / 1000) - 60) } });

    // Act
    const records = await table.stream.readUntil((read) => read.length > 0);

    // Assess
    expect(records.map(({ eventName, userIdentity }) => ({ eventName, userIdentity }))).toEqual([{ eventName: 'REMOVE', userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } }]);
  });
});
