/**
 * DynamoDB calls per write, counted by the local endpoint: on dynalite as it is, and
 * with DynamoDB's `ReturnValuesOnConditionCheckFailure` emulated (a failed condition
 * returns the item, which saves the read).
 */
import { WritePath, type WriteResult } from '../../shared/writer';
import exampleRules from '../../rules/example';
import { merge } from '../../shared/merge/merge';
import { EU, US, Writers } from '../helpers/items';
import { returnItemsOnConditionFailure } from '../../local';
import { interfereWithPuts, useWriterBed, wireKey, type ExampleTable } from '../helpers/writer-table';

const cart = (id: string): { pk: string; sk: string } => ({ pk: `CART#${id}`, sk: 'CART' });
const stock = (id: string): { pk: string; sk: string } => ({ pk: `STOCK#${id}`, sk: 'STOCK' });

describe('round trips per write', () => {
  const env = useWriterBed();
  const undo: (() => void)[] = [];

  afterEach(() => undo.splice(0).forEach((remove) => remove()));

  /** Runs `write` and returns the calls the endpoint received, per operation. */
  async function callsOf(write: () => Promise<WriteResult>): Promise<{ calls: Record<string, number>; result: WriteResult }> {
    env.bed.dynamo.calls.reset();
    const result = await write();
    return { calls: env.bed.dynamo.calls.snapshot(), result };
  }

  it.each<[string, (table: ExampleTable) => Promise<unknown>, (table: ExampleTable) => Promise<WriteResult>]>([
    ['update', (table) => table.put(cart('rt-update'), { coupon: 'A' }), (table) => table.update(cart('rt-update'), { set: { coupon: 'B' }, remove: ['note'] })],
    ['increment', (table) => table.increment(stock('rt-increment'), 'onHand', 1), (table) => table.increment(stock('rt-increment'), 'onHand', -1)],
    ['addToSet', (table) => table.addToSet(cart('rt-add'), 'items', 'apple'), (table) => table.addToSet(cart('rt-add'), 'items', 'pear')],
    ['removeFromSet', (table) => table.addToSet(cart('rt-remove'), 'items', 'apple', 'pear'), (table) => table.removeFromSet(cart('rt-remove'), 'items', 'pear')],
  ])('%s of an existing item without contention takes one UpdateItem', async (_, prepare, write) => {
    // Prepare
    await prepare(env.table);

    // Act
    const { calls, result } = await callsOf(() => write(env.table));

    // Assess
    expect(calls).toEqual({ UpdateItem: 1 });
    expect(result).toMatchObject({ roundTrips: 1, path: WritePath.Fast });
  });

  it('an update of a new item takes a failed UpdateItem and a PutItem', async () => {
    // Prepare
    const key = { pk: 'CART#rt-new', sk: 'CART' };

    // Act
    const { calls, result } = await callsOf(() => env.table.addToSet(key, 'items', 'apple'));

    // Assess
    expect(calls).toEqual({ UpdateItem: 1, PutItem: 1 });
    expect(result).toMatchObject({ roundTrips: 2, path: WritePath.Slow });
  });

  it('put takes a GetItem and a PutItem', async () => {
    // Prepare
    const key = { pk: 'CART#rt-put', sk: 'CART' };
    await env.table.put(key, { coupon: 'A' });

    // Act
    const { calls, result } = await callsOf(() => env.table.put(key, { coupon: 'B' }));

    // Assess
    expect(calls).toEqual({ GetItem: 1, PutItem: 1 });
    expect(result.roundTrips).toBe(2);
  });

  it('delete takes a GetItem and a PutItem', async () => {
    // Prepare
    const key = { pk: 'CART#rt-delete', sk: 'CART' };
    await env.table.put(key, { coupon: 'A' });

    // Act
    const { calls, result } = await callsOf(() => env.table.delete(key));

    // Assess
    expect(calls).toEqual({ GetItem: 1, PutItem: 1 });
    expect(result.roundTrips).toBe(2);
  });

  it('a write the fast path cannot express takes a GetItem and a PutItem', async () => {
    // Prepare
    const key = { pk: 'STOCK#rt-remove-counter', sk: 'STOCK' };
    await env.table.increment(key, 'onHand', 3);

    // Act
    const { calls, result } = await callsOf(() => env.table.update(key, { remove: ['onHand'] }));

    // Assess
    expect(calls).toEqual({ GetItem: 1, PutItem: 1 });
    expect(result.roundTrips).toBe(2);
  });

  it('on dynalite, an existing item the fast condition rejects takes four calls', async () => {
    // Prepare
    const key = { pk: 'STOCK#rt-slot-dynalite', sk: 'STOCK' };
    await env.bed.writer({ region: EU }).increment(key, 'onHand', 1);

    // Act
    const { calls, result } = await callsOf(() => env.table.increment(key, 'onHand', 1));

    // Assess
    expect(calls).toEqual({ UpdateItem: 1, PutItem: 2, GetItem: 1 });
    expect(result.roundTrips).toBe(4);
  });

  it('where a failed condition returns the item (DynamoDB), an existing item the fast condition rejects takes two calls', async () => {
    // Prepare
    const key = { pk: 'STOCK#rt-slot-dynamodb', sk: 'STOCK' };
    await env.bed.writer({ region: EU }).increment(key, 'onHand', 1);
    undo.push(returnItemsOnConditionFailure(env.bed.dynamo));

    // Act
    const { calls, result } = await callsOf(() => env.table.increment(key, 'onHand', 1));

    // Assess
    expect(calls).toEqual({ UpdateItem: 1, PutItem: 1 });
    expect(result.roundTrips).toBe(2);
  });

  it('regression (issue 8, case 8): once an overwrite in its region is resolved, the region\'s writes take one UpdateItem again from the second on', async () => {
    // Prepare: EU's concurrent version replaced US's (last writer wins); US's resolver merged US's write back
    const key = { pk: 'STOCK#rt-after-merge', sk: 'STOCK' };
    const writers = new Writers();
    const base = writers.write(US, undefined, wireKey(key), { type: 'update', increment: { onHand: 10 } });
    const ours = writers.write(US, base, wireKey(key), { type: 'update', increment: { onHand: 1 } });
    const theirs = writers.write(EU, base, wireKey(key), { type: 'update', increment: { onHand: 2 } });
    await env.bed.store(merge(ours, theirs, exampleRules, { table: env.bed.tableName, writtenIn: US }).item);
    undo.push(returnItemsOnConditionFailure(env.bed.dynamo));
    await env.table.increment(key, 'onHand', 1);

    // Act
    const { calls } = await callsOf(() => env.table.increment(key, 'onHand', 1));

    // Assess
    expect(calls).toEqual({ UpdateItem: 1 });
    expect((await env.bed.image(key))?.onHand).toEqual({ N: '15' });
  });

  it('on dynalite, each lost race adds a GetItem and a PutItem', async () => {
    // Prepare
    const key = { pk: 'CART#rt-race-dynalite', sk: 'CART' };
    await env.table.put(key, { coupon: 'A' });
    undo.push(interfereWithPuts(env.bed.dynamo, 2));

    // Act
    const { calls, result } = await callsOf(() => env.table.put(key, { coupon: 'B' }));

    // Assess
    expect(calls).toEqual({ GetItem: 3, PutItem: 3 });
    expect(result.roundTrips).toBe(6);
  });

  it('after a lost race, an update tries the fast path again, above the clock it read', async () => {
    // Prepare
    const key = { pk: 'STOCK#rt-race-fast', sk: 'STOCK' };
    await env.table.increment(key, 'onHand', 1);
    await env.bed.writer({ now: () => Date.now() + 60_000 }).increment(key, 'onHand', 1);
    undo.push(interfereWithPuts(env.bed.dynamo, 2));

    // Act
    const { calls, result } = await callsOf(() => env.table.increment(key, 'onHand', 1));

    // Assess
    expect(calls).toEqual({ UpdateItem: 2, PutItem: 2, GetItem: 1 });
    expect(result).toMatchObject({ roundTrips: 5, path: WritePath.Fast });
  });

  it('where a failed condition returns the item (DynamoDB), each lost race adds a PutItem', async () => {
    // Prepare
    const key = { pk: 'CART#rt-race-dynamodb', sk: 'CART' };
    await env.table.put(key, { coupon: 'A' });
    undo.push(returnItemsOnConditionFailure(env.bed.dynamo), interfereWithPuts(env.bed.dynamo, 2));

    // Act
    const { calls, result } = await callsOf(() => env.table.put(key, { coupon: 'B' }));

    // Assess
    expect(calls).toEqual({ GetItem: 1, PutItem: 3 });
    expect(result.roundTrips).toBe(4);
  });
});
