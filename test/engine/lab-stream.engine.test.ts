/**
 * The lab's stream path against the real one: the same writes, sent to a lab region
 * (dynalite, records captured by `Region` into its `RegionStream`) and to DynamoDB Local
 * (its own stream, through the adapter), give records of the same shape: event name,
 * keys, images, view type and size, with sequence numbers that grow.
 */
import { BatchWriteItemCommand, DeleteItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import exampleRules from '../../rules/example';
import { Region } from '../../lab/region';
import { compareSequenceNumbers } from '../../lab/stream';
import { EU } from '../helpers/items';
import { useEngineDatabase, type EngineTable } from '../helpers/engine';

const TABLE = 'concord-engine-lab';
const NOW = Date.UTC(2026, 0, 1);
const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'A' } });

/**
 * Writes of every kind, including ones that change nothing and so leave no record.
 * Numbers are written in DynamoDB's normal form: DynamoDB stores `2.50` as `2.5`, while
 * dynalite, and so the lab, keeps it as written.
 */
async function writeSequence(client: DynamoDBClient): Promise<void> {
  const first = { ...key('A#1'), n: { N: '1' }, tags: { SS: ['x'] }, nested: { M: { inner: { M: {} }, list: { L: [{ S: 'v' }, { N: '2.5' }] } } }, flag: { BOOL: true }, nothing: { NULL: true } };
  await client.send(new PutItemCommand({ TableName: TABLE, Item: first }));
  await client.send(new UpdateItemCommand({ TableName: TABLE, Key: key('A#1'), UpdateExpression: 'SET n = :n ADD tags :t REMOVE flag', ExpressionAttributeValues: { ':n': { N: '2' }, ':t': { SS: ['y'] } } }));
  await client.send(new UpdateItemCommand({ TableName: TABLE, Key: key('A#1'), UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '2' } } }));
  await client.send(new PutItemCommand({ TableName: TABLE, Item: key('A#1'), ConditionExpression: 'attribute_not_exists(pk)' })).catch(() => undefined);
  await client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: [{ PutRequest: { Item: { ...key('B#1'), b: { B: new Uint8Array([1, 2, 3]) } } } }, { PutRequest: { Item: { ...key('C#1'), ns: { NS: ['1', '20'] } } } }] } }));
  await client.send(new UpdateItemCommand({ TableName: TABLE, Key: key('D#1'), UpdateExpression: 'SET s = :s', ExpressionAttributeValues: { ':s': { S: 'created by an update' } } }));
  await client.send(new DeleteItemCommand({ TableName: TABLE, Key: key('A#1') }));
  await client.send(new DeleteItemCommand({ TableName: TABLE, Key: key('Z#1') }));
}

const RECORDS_WRITTEN = 6;

/** What must agree between the two streams. */
function shapeOf(record: DynamoDBRecord): unknown {
  const { eventName, eventVersion, eventSource, awsRegion, userIdentity, dynamodb } = record;
  const { Keys, NewImage, OldImage, StreamViewType, SizeBytes } = dynamodb ?? {};
  return { eventName, eventVersion, eventSource, awsRegion, userIdentity, Keys, NewImage, OldImage, StreamViewType, SizeBytes };
}

const grows = (records: readonly DynamoDBRecord[]): boolean => records.every((record, i) => i === 0 || compareSequenceNumbers(records[i - 1]?.dynamodb?.SequenceNumber as string, record.dynamodb?.SequenceNumber as string) < 0);

describe("the lab's stream next to DynamoDB Local's", () => {
  const database = useEngineDatabase('lab-stream');
  let region: Region;
  let engine: EngineTable;
  const recorded = { lab: [] as DynamoDBRecord[], engine: [] as DynamoDBRecord[] };

  beforeAll(async () => {
    region = await Region.start({ name: EU, table: TABLE, settings: exampleRules.table, shards: 1, now: () => NOW });
    engine = await database.table(EU, TABLE);
    await writeSequence(region.dynamo.client({ maxAttempts: 1 }));
    await writeSequence(engine.client);
    recorded.lab = region.stream.records().map((captured) => captured.record);
    recorded.engine = await engine.stream.next(RECORDS_WRITTEN);
  });
  afterAll(() => region.close());

  it('holds a record of the same shape for each write that changed an item, and none for the others', () => {
    expect(recorded.lab.map(shapeOf)).toEqual(recorded.engine.map(shapeOf));
  });

  it('numbers the records of a shard in growing order, as the engine does', () => {
    expect({ lab: grows(recorded.lab), engine: grows(recorded.engine) }).toEqual({ lab: true, engine: true });
  });
});
