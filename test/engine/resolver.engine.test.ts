/**
 * The resolver on DynamoDB Local: versions written by the writer library in two regions
 * (two databases of the engine), a concurrent one delivered as Global Tables replication
 * would (a plain PutItem), and the real stream records of the region that lost its write,
 * repaired by the stream adapter, fed to the real handler. EventBridge and SQS are the
 * project's local endpoints.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import exampleRules from '../../rules/example';
import { createConcordTable } from '../../shared/writer';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import { LOCAL_STACK_NAMES } from '../../local';
import { EU, US } from '../helpers/items';
import { harnessPerTest, type ResolverHarness } from '../helpers/resolver-harness';
import { useEngineDatabase, type EngineTable } from '../helpers/engine';
import { wireKey, type ExampleTable } from '../helpers/writer-table';

const EIGHT_DAYS_MS = 8 * 24 * 3600 * 1000;

const isRemove = (record: DynamoDBRecord): boolean => record.eventName === 'REMOVE';

describe('the resolver on DynamoDB Local stream records', () => {
  const database = useEngineDatabase('resolver');
  const start = harnessPerTest();
  const regions = {} as Record<typeof US | typeof EU, EngineTable>;
  let harness: ResolverHarness;

  const writer = (table: EngineTable, now?: () => number): ExampleTable =>
    createConcordTable({ client: table.client, tableName: table.name, region: table.region, rules: exampleRules, ...(now === undefined ? {} : { now }) });

  /** Delivers the item `key` of `from` to `to`, as Global Tables replication does. */
  async function replicate(from: EngineTable, to: EngineTable, key: AttributeMap): Promise<void> {
    await to.store((await from.item(key)) as AttributeMap);
  }

  /** Invokes the resolver on every record the us-east-1 stream holds since the last read. */
  async function resolveNewRecords(count: number): Promise<Awaited<ReturnType<ResolverHarness['invoke']>>> {
    return harness.invoke({ Records: await regions[US].stream.next(count) });
  }

  beforeAll(async () => {
    regions[US] = await database.table(US, LOCAL_STACK_NAMES.table);
    regions[EU] = await database.table(EU, LOCAL_STACK_NAMES.table);
  });

  beforeEach(async () => {
    harness = await start({ deps: { dynamodb: regions[US].client } });
  });

  /**
   * us-east-1 adds 2 and eu-west-1 takes 3 from a stock of 10, concurrently; eu-west-1's
   * version reaches us-east-1 and wins there, as last-writer-wins would have it.
   */
  async function stockConflict(pk: string): Promise<AttributeMap> {
    const key = { pk, sk: 'STOCK' };
    await writer(regions[US]).increment(key, 'onHand', 10);
    await replicate(regions[US], regions[EU], wireKey(key));
    await writer(regions[US]).increment(key, 'onHand', 2);
    await writer(regions[EU]).increment(key, 'onHand', -3);
    await replicate(regions[EU], regions[US], wireKey(key));
    return wireKey(key);
  }

  it('merges a concurrent overwrite read from the real stream: both increments count', async () => {
    // Prepare
    const key = await stockConflict('STOCK#engine-conflict');

    // Act
    const response = await resolveNewRecords(3);

    // Assess
    expect({ response, onHand: (await regions[US].item(key))?.onHand, audit: harness.auditEvents().map((event) => event['detail-type']) }).toEqual({
      response: { batchItemFailures: [] },
      onHand: { N: '9' },
      audit: ['ConflictResolved'],
    });
  });

  it('takes its own write-back, read from the real stream, as a causal successor: no second write', async () => {
    // Prepare
    const key = await stockConflict('STOCK#engine-write-back');
    await resolveNewRecords(3);
    const merged = await regions[US].item(key);
    const audited = harness.auditEvents().length;

    // Act
    const response = await resolveNewRecords(1);

    // Assess
    expect({ response, item: await regions[US].item(key), audit: harness.auditEvents().length }).toEqual({ response: { batchItemFailures: [] }, item: merged, audit: audited });
  });

  it('skips the engine TTL deletion of an expired tombstone, without a write or an audit event', async () => {
    // Prepare: a writer eight days behind deletes, so the tombstone's TTL (seven days after the delete) has passed.
    const key = { pk: 'CART#engine-ttl', sk: 'CART' };
    const behind = writer(regions[US], () => Date.now() - EIGHT_DAYS_MS);
    await behind.addToSet(key, 'items', 'apple');
    await behind.delete(key);
    const expiry = (await regions[US].stream.readUntil((records) => records.some(isRemove))).find(isRemove);

    // Act
    const response = await harness.invoke({ Records: [expiry as DynamoDBRecord] });

    // Assess
    expect({ name: expiry?.eventName, response, item: await regions[US].item(wireKey(key)), audit: harness.auditEvents().length }).toEqual({
      name: 'REMOVE',
      response: { batchItemFailures: [] },
      item: undefined,
      audit: 0,
    });
  });
});
