import { clockWallMs } from '../../shared/clock/hlc';
import { WritePath } from '../../shared/writer';
import { useWriterBed } from '../helpers/writer-table';

describe('ConcordTable writes', () => {
  const env = useWriterBed();

  it('put creates an item that get returns as plain values', async () => {
    // Prepare
    const key = { pk: 'ORDER#put-create', sk: 'ORDER' };
    const receipt = new Uint8Array([0, 1, 254, 255]);

    // Act
    await env.table.put(key, { status: 'PENDING', total: 30, tags: new Set(['gift']), receipt, lines: [{ sku: 'A', qty: 2 }] });

    // Assess
    expect(await env.table.get(key)).toEqual({ ...key, status: 'PENDING', total: 30, tags: new Set(['gift']), receipt, lines: [{ sku: 'A', qty: 2 }] });
  });

  it('put replaces the attributes of an existing item', async () => {
    // Prepare
    const key = { pk: 'ORDER#put-replace', sk: 'ORDER' };
    await env.table.put(key, { status: 'PENDING', notes: 'ring twice' });

    // Act
    await env.table.put(key, { status: 'PAID' });

    // Assess
    expect(await env.table.get(key)).toEqual({ ...key, status: 'PAID' });
  });

  it('update sets and removes attributes and keeps the others', async () => {
    // Prepare
    const key = { pk: 'CART#update', sk: 'CART' };
    await env.table.put(key, { coupon: 'SAVE10', note: 'gift', updatedAt: '2024-01-01' });

    // Act
    await env.table.update(key, { set: { coupon: 'SAVE20' }, remove: ['note'] });

    // Assess
    expect(await env.table.get(key)).toEqual({ ...key, coupon: 'SAVE20', updatedAt: '2024-01-01' });
  });

  it('update creates an item that does not exist yet', async () => {
    // Prepare
    const key = { pk: 'CART#update-new', sk: 'CART' };

    // Act
    await env.table.update(key, { set: { coupon: 'WELCOME' } });

    // Assess
    expect(await env.table.get(key)).toEqual({ ...key, coupon: 'WELCOME' });
  });

  it('increment adds positive and negative deltas to a counter', async () => {
    // Prepare
    const key = { pk: 'STOCK#increment', sk: 'STOCK' };
    await env.table.increment(key, 'onHand', 10);

    // Act
    await env.table.increment(key, 'onHand', -3);
    await env.table.increment(key, 'onHand', 5);

    // Assess
    expect(await env.table.get(key)).toEqual({ ...key, onHand: 12 });
  });

  it('increment below zero shows a negative total', async () => {
    // Prepare
    const key = { pk: 'STOCK#negative', sk: 'STOCK' };
    await env.table.increment(key, 'reserved', 1);

    // Act
    await env.table.increment(key, 'reserved', -4);

    // Assess
    expect((await env.table.get(key))?.reserved).toBe(-3);
  });

  it('addToSet and removeFromSet change a string set', async () => {
    // Prepare
    const key = { pk: 'CART#sets', sk: 'CART' };
    await env.table.addToSet(key, 'items', 'apple', 'pear');

    // Act
    await env.table.addToSet(key, 'items', 'plum', 'apple');
    await env.table.removeFromSet(key, 'items', 'pear');

    // Assess
    expect((await env.table.get(key))?.items).toEqual(new Set(['apple', 'plum']));
  });

  it('removing the last element of a set leaves the attribute absent', async () => {
    // Prepare
    const key = { pk: 'CART#emptied', sk: 'CART' };
    await env.table.addToSet(key, 'items', 'apple');
    await env.table.addToSet(key, 'items', 'pear');

    // Act
    await env.table.removeFromSet(key, 'items', 'apple', 'pear');

    // Assess
    expect(await env.table.get(key)).toEqual(key);
  });

  it('delete leaves a tombstone with the TTL attribute set to the rules’ retention after the delete', async () => {
    // Prepare
    const key = { pk: 'CART#delete', sk: 'CART' };
    await env.table.put(key, { coupon: 'SAVE10' });

    // Act
    const { clock } = await env.table.delete(key);

    // Assess
    const image = await env.bed.image(key);
    expect(image?._ttl).toEqual({ N: String(Math.floor(clockWallMs(clock) / 1000) + env.table.rules.table.tombstoneRetentionSeconds) });
    expect(image?.coupon).toBeUndefined();
    expect(await env.table.get(key)).toBeUndefined();
  });

  it('a write after a delete brings the item back with only what it writes', async () => {
    // Prepare
    const key = { pk: 'CART#revived', sk: 'CART' };
    await env.table.put(key, { coupon: 'SAVE10', items: new Set(['apple']) });
    await env.table.delete(key);

    // Act
    await env.table.addToSet(key, 'items', 'pear');

    // Assess
    expect(await env.table.get(key)).toEqual({ ...key, items: new Set(['pear']) });
  });

  it('each write returns its clock, of this region and later than the previous one', async () => {
    // Prepare
    const key = { pk: 'STOCK#clocks', sk: 'STOCK' };
    const first = await env.table.increment(key, 'onHand', 1);

    // Act
    const second = await env.table.increment(key, 'onHand', 1);

    // Assess
    expect(second.wid.startsWith(`${second.clock}.us-east-1.`)).toBe(true);
    expect(second.clock > first.clock).toBe(true);
    expect(second.path).toBe(WritePath.Fast);
    expect((await env.table.get(key, { withEnvelope: true }))?.envelope?.hlc).toBe(second.clock);
  });
});
