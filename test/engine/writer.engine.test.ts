/**
 * The writer library on DynamoDB Local, Amazon's own engine: what each call leaves in
 * the table, read back through the library, and the totals of concurrent writers. (The
 * envelope's bytes are the core's business and are not looked at here.)
 */
import exampleRules from '../../rules/example';
import { createConcordTable, type ConcordTableOptions } from '../../shared/writer';
import { EU, US } from '../helpers/items';
import { useEngineDatabase, type EngineTable } from '../helpers/engine';
import type { ExampleSpec, ExampleTable } from '../helpers/writer-table';

const TABLE = 'concord-engine-writer';
const WRITERS = 50;

describe('the writer library on DynamoDB Local', () => {
  const database = useEngineDatabase('writer');
  let engine: EngineTable;
  let table: ExampleTable;

  const writer = (options: Partial<ConcordTableOptions<ExampleSpec>> = {}): ExampleTable => createConcordTable({ client: engine.client, tableName: TABLE, region: US, rules: exampleRules, ...options });

  beforeAll(async () => {
    engine = await database.table(US, TABLE);
    table = writer();
  });

  it('put then get returns the values written', async () => {
    // Prepare
    const key = { pk: 'ORDER#put', sk: 'ORDER' };

    // Act
    await table.put(key, { status: 'PENDING', total: 30 });

    // Assess
    expect(await table.get(key, { consistentRead: true })).toEqual({ ...key, status: 'PENDING', total: 30 });
  });

  it('update sets and removes attributes of an existing item', async () => {
    // Prepare
    const key = { pk: 'CART#update', sk: 'CART' };
    await table.put(key, { coupon: 'OLD', note: 'gift' });

    // Act
    await table.update(key, { set: { coupon: 'SAVE10' }, remove: ['note'] });

    // Assess
    expect(await table.get(key, { consistentRead: true })).toEqual({ ...key, coupon: 'SAVE10' });
  });

  it('increment moves a counter up and down', async () => {
    // Prepare
    const key = { pk: 'STOCK#increment', sk: 'STOCK' };
    await table.increment(key, 'onHand', 10);

    // Act
    await table.increment(key, 'onHand', -3);

    // Assess
    expect((await table.get(key, { consistentRead: true }))?.onHand).toBe(7);
  });

  it('addToSet and removeFromSet leave the elements added and not removed', async () => {
    // Prepare
    const key = { pk: 'CART#set', sk: 'CART' };
    await table.addToSet(key, 'items', 'apple', 'pear', 'plum');

    // Act
    await table.removeFromSet(key, 'items', 'pear');

    // Assess
    expect((await table.get(key, { consistentRead: true }))?.items).toEqual(new Set(['apple', 'plum']));
  });

  it('delete makes the item read as absent', async () => {
    // Prepare
    const key = { pk: 'CART#delete', sk: 'CART' };
    await table.addToSet(key, 'items', 'apple');

    // Act
    await table.delete(key);

    // Assess
    expect(await table.get(key, { consistentRead: true })).toBeUndefined();
  });

  it('query with a limit returns that many live items, past the deleted ones', async () => {
    // Prepare
    const pk = 'CART#query';
    for (let i = 0; i < 6; i += 1) await table.put({ pk, sk: `ITEM#${i}` }, { coupon: `C${i}` });
    for (const i of [0, 1, 3]) await table.delete({ pk, sk: `ITEM#${i}` });

    // Act
    const page = await table.query({ partitionKey: pk, sortKey: { beginsWith: 'ITEM#' }, limit: 2, consistentRead: true });

    // Assess
    expect(page.items.map((item) => item.sk)).toEqual(['ITEM#2', 'ITEM#4']);
  });

  it('50 concurrent increments of one item by writers of one region all count', async () => {
    // Prepare
    const key = { pk: 'STOCK#concurrent', sk: 'STOCK' };
    const writers = Array.from({ length: WRITERS }, () => writer());

    // Act
    await Promise.all(writers.map((each, i) => each.increment(key, 'onHand', i + 1)));

    // Assess
    expect((await table.get(key, { consistentRead: true }))?.onHand).toBe((WRITERS * (WRITERS + 1)) / 2);
  });

  // One writer sends its writes to an item one at a time (one call each); 50 writers race.
  it.each([
    ['one writer', 1, 1],
    ['50 writers', WRITERS, 6],
  ])('50 concurrent increments of an existing item from %s land within their calls per write', async (_, instances, mostCallsPerWrite) => {
    // Prepare
    const key = { pk: `STOCK#calls-${instances}`, sk: 'STOCK' };
    const writers = Array.from({ length: instances }, () => writer());
    await writers[0]?.increment(key, 'onHand', 1);

    // Act
    const results = await Promise.all(Array.from({ length: WRITERS }, (_, i) => (writers[i % instances] as ExampleTable).increment(key, 'onHand', 1)));

    // Assess
    const calls = results.reduce((sum, result) => sum + result.roundTrips, 0) / WRITERS;
    expect((await table.get(key, { consistentRead: true }))?.onHand).toBe(WRITERS + 1);
    expect(calls).toBeLessThanOrEqual(mostCallsPerWrite); // 2.8–3.3 measured
  });

  it('50 concurrent set adds to one item by writers of one region all survive', async () => {
    // Prepare
    const key = { pk: 'CART#concurrent', sk: 'CART' };
    const writers = Array.from({ length: WRITERS }, () => writer());
    const elements = writers.map((_, i) => `sku-${i}`);

    // Act
    await Promise.all(writers.map((each, i) => each.addToSet(key, 'items', elements[i] as string)));

    // Assess
    expect((await table.get(key, { consistentRead: true }))?.items).toEqual(new Set(elements));
  });

  it('concurrent increments by writers of two regions on one table all count', async () => {
    // Prepare
    const key = { pk: 'STOCK#two-regions', sk: 'STOCK' };
    const writers = Array.from({ length: 20 }, (_, i) => writer({ region: i % 2 === 0 ? US : EU }));

    // Act
    await Promise.all(writers.map((each) => each.increment(key, 'onHand', 1)));

    // Assess
    expect((await table.get(key, { consistentRead: true }))?.onHand).toBe(20);
  });
});
