/**
 * The item the writer leaves in DynamoDB is, byte for byte in canonical form, the image
 * the core's `applyWrite` computes from the item before the write and the write's clock,
 * on the fast path and on every way into the slow path.
 */
import exampleRules from '../../rules/example';
import { canonicalJson, type AttributeMap } from '../../shared/dynamodb/attribute-value';
import { decodeItem, emptyState } from '../../shared/item/state';
import { merge } from '../../shared/merge/merge';
import { applyWrite } from '../../shared/write/apply-write';
import type { Change } from '../../shared/write/change';
import { WritePath, type WriteResult } from '../../shared/writer';
import { EU, US, Writers, av } from '../helpers/items';
import { useWriterBed, wireKey, type ExampleTable, type WriterBed } from '../helpers/writer-table';

type Key = { pk: string; sk: string };

interface Case {
  readonly name: string;
  readonly key: Key;
  /** Brings the item to the state the write meets. */
  readonly prepare: (table: ExampleTable, bed: WriterBed) => Promise<unknown>;
  readonly write: (table: ExampleTable) => Promise<WriteResult>;
  /** The same write as the core's change. */
  readonly change: Change;
  readonly path: WritePath;
}

const cart = (id: string): Key => ({ pk: `CART#${id}`, sk: 'CART' });
const stock = (id: string): Key => ({ pk: `STOCK#${id}`, sk: 'STOCK' });

/**
 * Stores a cart whose coupon holds two concurrent writes (siblings) from US and EU, as a
 * resolver in `mergedIn` wrote it over that region's copy (US's copy is `us`, EU's `eu`).
 */
async function storeCartWithSiblings(bed: WriterBed, key: Key, mergedIn: typeof US | typeof EU = US): Promise<void> {
  const writers = new Writers();
  const base = writers.write(US, undefined, wireKey(key), { type: 'update', set: av({ coupon: 'BASE', updatedAt: '1' }), addToSet: { items: ['apple'] } });
  const us = writers.write(US, base, wireKey(key), { type: 'update', set: av({ coupon: 'US10' }) });
  const eu = writers.write(EU, base, wireKey(key), { type: 'update', set: av({ coupon: 'EU20' }) });
  const [arrived, copy] = mergedIn === US ? [eu, us] : [us, eu];
  await bed.store(merge(arrived, copy, exampleRules, { table: bed.tableName, writtenIn: mergedIn }).item);
}

const cases: readonly Case[] = [
  {
    name: 'update set and remove on a live item',
    key: cart('eq-update'),
    prepare: (table) => table.put(cart('eq-update'), { coupon: 'SAVE10', note: 'gift', items: new Set(['apple']) }),
    write: (table) => table.update(cart('eq-update'), { set: { coupon: 'SAVE20', updatedAt: '2024-06-01' }, remove: ['note'] }),
    change: { type: 'update', set: av({ coupon: 'SAVE20', updatedAt: '2024-06-01' }), remove: ['note'] },
    path: WritePath.Fast,
  },
  {
    name: 'update assigning a whole add-wins set',
    key: cart('eq-assign-set'),
    prepare: (table) => table.addToSet(cart('eq-assign-set'), 'items', 'apple', 'pear'),
    write: (table) => table.update(cart('eq-assign-set'), { set: { items: new Set(['plum', 'pear']) } }),
    change: { type: 'update', set: av({ items: new Set(['plum', 'pear']) }) },
    path: WritePath.Fast,
  },
  {
    name: 'increment of an existing counter slot',
    key: stock('eq-increment'),
    prepare: (table) => table.increment(stock('eq-increment'), 'onHand', 7),
    write: (table) => table.increment(stock('eq-increment'), 'onHand', 5),
    change: { type: 'update', increment: { onHand: 5 } },
    path: WritePath.Fast,
  },
  {
    name: 'negative increment of an existing counter slot',
    key: stock('eq-decrement'),
    prepare: (table) => table.increment(stock('eq-decrement'), 'onHand', 7),
    write: (table) => table.increment(stock('eq-decrement'), 'onHand', -9),
    change: { type: 'update', increment: { onHand: -9 } },
    path: WritePath.Fast,
  },
  {
    name: 'addToSet of a new and an existing element',
    key: cart('eq-add'),
    prepare: (table) => table.addToSet(cart('eq-add'), 'items', 'apple'),
    write: (table) => table.addToSet(cart('eq-add'), 'items', 'apple', 'pear'),
    change: { type: 'update', addToSet: { items: ['apple', 'pear'] } },
    path: WritePath.Fast,
  },
  {
    name: 'removeFromSet emptying the set',
    key: cart('eq-remove'),
    prepare: (table) => table.addToSet(cart('eq-remove'), 'items', 'apple', 'pear'),
    write: (table) => table.removeFromSet(cart('eq-remove'), 'items', 'apple', 'pear', 'absent'),
    change: { type: 'update', removeFromSet: { items: ['apple', 'pear', 'absent'] } },
    path: WritePath.Fast,
  },
  {
    name: 'update of another attribute of an item holding siblings',
    key: cart('eq-beside-siblings'),
    prepare: (_, bed) => storeCartWithSiblings(bed, cart('eq-beside-siblings')),
    write: (table) => table.update(cart('eq-beside-siblings'), { set: { updatedAt: '2' } }),
    change: { type: 'update', set: av({ updatedAt: '2' }) },
    path: WritePath.Fast,
  },
  {
    name: 'update of an attribute holding siblings',
    key: cart('eq-siblings'),
    prepare: (_, bed) => storeCartWithSiblings(bed, cart('eq-siblings')),
    write: (table) => table.update(cart('eq-siblings'), { set: { coupon: 'SETTLED' } }),
    change: { type: 'update', set: av({ coupon: 'SETTLED' }) },
    path: WritePath.Slow,
  },
  {
    // The item may lack US's latest write: the write records a gap, which needs the whole item.
    name: 'update of an item merged in another region',
    key: cart('eq-merged-elsewhere'),
    prepare: (_, bed) => storeCartWithSiblings(bed, cart('eq-merged-elsewhere'), EU),
    write: (table) => table.update(cart('eq-merged-elsewhere'), { set: { updatedAt: '2' } }),
    change: { type: 'update', set: av({ updatedAt: '2' }) },
    path: WritePath.Slow,
  },
  {
    name: 'first increment of a new item',
    key: stock('eq-new'),
    prepare: async () => undefined,
    write: (table) => table.increment(stock('eq-new'), 'onHand', 3),
    change: { type: 'update', increment: { onHand: 3 } },
    path: WritePath.Slow,
  },
  {
    name: 'first increment from a region with no slot yet',
    key: stock('eq-new-slot'),
    prepare: (_, bed) => bed.writer({ region: EU }).increment(stock('eq-new-slot'), 'onHand', 4),
    write: (table) => table.increment(stock('eq-new-slot'), 'onHand', 2),
    change: { type: 'update', increment: { onHand: 2 } },
    path: WritePath.Slow,
  },
  {
    name: 'remove of a counter',
    key: stock('eq-remove-counter'),
    prepare: (table) => table.increment(stock('eq-remove-counter'), 'reserved', 4),
    write: (table) => table.update(stock('eq-remove-counter'), { remove: ['reserved'] }),
    change: { type: 'update', remove: ['reserved'] },
    path: WritePath.Slow,
  },
  {
    name: 'update of a tombstone',
    key: cart('eq-tombstone'),
    prepare: async (table) => {
      await table.put(cart('eq-tombstone'), { coupon: 'SAVE10', items: new Set(['apple']) });
      await table.delete(cart('eq-tombstone'));
    },
    write: (table) => table.update(cart('eq-tombstone'), { set: { coupon: 'AGAIN' } }),
    change: { type: 'update', set: av({ coupon: 'AGAIN' }) },
    path: WritePath.Slow,
  },
  {
    name: 'update of an item written without Concord',
    key: stock('eq-legacy'),
    prepare: (_, bed) => bed.store({ ...wireKey(stock('eq-legacy')), onHand: { N: '9' }, location: { S: 'A1' } }),
    write: (table) => table.increment(stock('eq-legacy'), 'onHand', 1),
    change: { type: 'update', increment: { onHand: 1 } },
    path: WritePath.Slow,
  },
  {
    name: 'put over an existing item',
    key: cart('eq-put'),
    prepare: async (table) => {
      await table.put(cart('eq-put'), { coupon: 'SAVE10', note: 'x' });
      await table.addToSet(cart('eq-put'), 'items', 'apple');
    },
    write: (table) => table.put(cart('eq-put'), { coupon: 'SAVE30', items: new Set(['pear']) }),
    change: { type: 'put', item: av({ coupon: 'SAVE30', items: new Set(['pear']) }) },
    path: WritePath.Slow,
  },
  {
    name: 'delete',
    key: stock('eq-delete'),
    prepare: async (table) => {
      await table.increment(stock('eq-delete'), 'onHand', 5);
      await table.update(stock('eq-delete'), { set: { location: 'B2' } });
    },
    write: (table) => table.delete(stock('eq-delete')),
    change: { type: 'delete' },
    path: WritePath.Slow,
  },
];

describe('the stored item equals applyWrite’s image', () => {
  const env = useWriterBed();

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, { key, prepare, write, change, path }) => {
    // Prepare
    await prepare(env.table, env.bed);
    const before = await env.bed.image(key);

    // Act
    const result = await write(env.table);

    // Assess
    const prior = before === undefined ? emptyState(wireKey(key)) : decodeItem(before, exampleRules.table, wireKey(key));
    const stored = (await env.bed.image(key)) as AttributeMap;
    // The epoch's tag is the writer's draw: applyWrite is given the one it drew.
    const tag = (decodeItem(stored, exampleRules.table).tip as string).split('~')[1] as string;
    const writer = result.wid.split('.').slice(3).join('.');
    const expected = applyWrite(prior, change, { region: US, clock: result.clock, writer, tags: () => tag }, exampleRules).image;
    expect(canonicalJson(stored)).toBe(canonicalJson(expected));
    expect(result.path).toBe(path);
  });
});
