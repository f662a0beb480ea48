import { isClock } from '../../shared/clock/hlc';
import type { PlainItem } from '../../shared/rules/types';
import { useWriterBed } from '../helpers/writer-table';

describe('ConcordTable reads', () => {
  const env = useWriterBed();

  /** Writes items `sk` = ITEM#00 … ITEM#<count-1> in one partition and deletes those `deleted` selects. */
  async function partition(pk: string, count: number, deleted: (index: number) => boolean): Promise<string[]> {
    const live: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const sk = `ITEM#${String(i).padStart(2, '0')}`;
      await env.table.put({ pk, sk }, { coupon: `C${i}` });
      if (deleted(i)) await env.table.delete({ pk, sk });
      else live.push(sk);
    }
    return live;
  }

  const sortKeys = (items: readonly PlainItem[]): unknown[] => items.map((item) => item.sk);

  it('get hides the envelope', async () => {
    // Prepare
    const key = { pk: 'CART#get', sk: 'CART' };
    await env.table.addToSet(key, 'items', 'apple');

    // Act
    const item = await env.table.get(key);

    // Assess
    expect(item).toEqual({ ...key, items: new Set(['apple']) });
  });

  it('get with withEnvelope returns the item and its decoded envelope', async () => {
    // Prepare
    const key = { pk: 'CART#get-envelope', sk: 'CART' };
    const { clock } = await env.table.update(key, { set: { coupon: 'SAVE10' } });

    // Act
    const read = await env.table.get(key, { consistentRead: true, withEnvelope: true });

    // Assess
    const tip = read?.envelope?.tip as string;
    expect(tip.startsWith('us-east-1~')).toBe(true);
    expect(read).toEqual({ item: { ...key, coupon: 'SAVE10' }, envelope: { fl: {}, vv: { [tip]: clock }, hlc: clock, tip, by: 'us-east-1', wid: expect.stringMatching(new RegExp(`^${clock}\\.us-east-1\\.`)) } });
  });

  it('get returns an item written without Concord, with no envelope', async () => {
    // Prepare
    const key = { pk: 'CART#legacy', sk: 'CART' };
    await env.bed.store({ pk: { S: key.pk }, sk: { S: key.sk }, coupon: { S: 'OLD' } });

    // Act
    const read = await env.table.get(key, { withEnvelope: true });

    // Assess
    expect(read).toEqual({ item: { ...key, coupon: 'OLD' }, envelope: undefined });
  });

  it('get of a missing item returns undefined', async () => {
    // Act
    const item = await env.table.get({ pk: 'CART#missing', sk: 'CART' });

    // Assess
    expect(item).toBeUndefined();
  });

  it('get of a deleted item returns undefined, with or without the envelope', async () => {
    // Prepare
    const key = { pk: 'CART#get-deleted', sk: 'CART' };
    await env.table.put(key, { coupon: 'SAVE10' });
    await env.table.delete(key);

    // Act
    const plain = await env.table.get(key, { consistentRead: true });
    const enveloped = await env.table.get(key, { consistentRead: true, withEnvelope: true });

    // Assess
    expect(plain).toBeUndefined();
    expect(enveloped).toBeUndefined();
  });

  it('query leaves tombstones out', async () => {
    // Prepare
    const live = await partition('CART#query', 6, (i) => i % 2 === 0);

    // Act
    const page = await env.table.query({ partitionKey: 'CART#query' });

    // Assess
    expect(sortKeys(page.items)).toEqual(live);
    expect(page.lastEvaluatedKey).toBeUndefined();
  });

  it('query with a limit returns that many live items per page across tombstones in between, and pages to the end', async () => {
    // Prepare
    const live = await partition('CART#pages', 10, (i) => [1, 2, 3, 6].includes(i));
    const pages: unknown[][] = [];

    // Act
    let page = await env.table.query({ partitionKey: 'CART#pages', limit: 2 });
    pages.push(sortKeys(page.items));
    while (page.lastEvaluatedKey !== undefined) {
      page = await env.table.query({ partitionKey: 'CART#pages', limit: 2, exclusiveStartKey: page.lastEvaluatedKey });
      pages.push(sortKeys(page.items));
    }

    // Assess
    expect(pages.flat()).toEqual(live);
    expect(pages.slice(0, 3).map((items) => items.length)).toEqual([2, 2, 2]);
  });

  it('query with a limit keeps asking past a page of tombstones', async () => {
    // Prepare
    await partition('CART#skip', 5, (i) => i < 3);

    // Act
    const page = await env.table.query({ partitionKey: 'CART#skip', limit: 2 });

    // Assess
    expect(sortKeys(page.items)).toEqual(['ITEM#03', 'ITEM#04']);
    expect(page.roundTrips).toBeGreaterThan(1);
  });

  it.each([
    [{ eq: 'ITEM#02' }, ['ITEM#02']],
    [{ lt: 'ITEM#02' }, ['ITEM#00', 'ITEM#01']],
    [{ le: 'ITEM#01' }, ['ITEM#00', 'ITEM#01']],
    [{ gt: 'ITEM#02' }, ['ITEM#03']],
    [{ ge: 'ITEM#02' }, ['ITEM#02', 'ITEM#03']],
    [{ between: ['ITEM#01', 'ITEM#02'] as const }, ['ITEM#01', 'ITEM#02']],
    [{ beginsWith: 'ITEM#0' }, ['ITEM#00', 'ITEM#01', 'ITEM#02', 'ITEM#03']],
  ])('query narrows the sort key with %j', async (sortKey, expected) => {
    // Prepare
    const pk = `CART#sort-${Object.keys(sortKey)[0]}`;
    await partition(pk, 4, () => false);

    // Act
    const page = await env.table.query({ partitionKey: pk, sortKey });

    // Assess
    expect(sortKeys(page.items)).toEqual(expected);
  });

  it('query in descending order with envelopes', async () => {
    // Prepare
    await partition('CART#descending', 3, () => false);

    // Act
    const page = await env.table.query({ partitionKey: 'CART#descending', scanIndexForward: false, withEnvelope: true, consistentRead: true });

    // Assess
    expect(page.items.map(({ item }) => item.sk)).toEqual(['ITEM#02', 'ITEM#01', 'ITEM#00']);
    expect(page.items.every(({ envelope }) => isClock(envelope?.hlc))).toBe(true);
  });
});
