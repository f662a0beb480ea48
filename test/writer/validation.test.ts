/**
 * What the rules forbid fails before any call to DynamoDB, with one clear message each.
 */
import { ConcordError, InvalidKeyError, InvalidWriteError } from '../../shared/errors';
import type { ConcordTable, WriteResult } from '../../shared/writer';
import { useWriterBed } from '../helpers/writer-table';

const cart = { pk: 'CART#invalid', sk: 'CART' };
const stock = { pk: 'STOCK#invalid', sk: 'STOCK' };
const order = { pk: 'ORDER#invalid', sk: 'ORDER' };

describe('writes the rules forbid', () => {
  const env = useWriterBed();
  // Untyped: the typed API already rejects most of these writes at compile time.
  const table = (): ConcordTable => env.table as unknown as ConcordTable;

  beforeEach(() => env.bed.dynamo.calls.reset());
  afterEach(() => expect(env.bed.dynamo.calls.total).toBe(0));

  it.each<[string, () => Promise<WriteResult>, string]>([
    ['increment of a non-counter', () => table().increment(cart, 'coupon', 1), 'invalid write of "coupon": increment needs a counter, the rule is lww'],
    ['addToSet on a non-set', () => table().addToSet(cart, 'coupon', 'x'), 'invalid write of "coupon": addToSet needs an add-wins set, the rule is lww'],
    ['removeFromSet on a union', () => table().removeFromSet(order, 'tags', 'x'), 'invalid write of "tags": removeFromSet needs an add-wins set, the rule is union'],
    ['a fractional delta', () => table().increment(stock, 'onHand', 1.5), 'invalid write of "onHand": a counter moves by whole numbers (safe integers or bigints within 38 digits), got a number'],
    ['addToSet with no element', () => table().addToSet(cart, 'items'), 'invalid write of "items": addToSet takes a non-empty list of elements'],
    ['addToSet of an empty string', () => table().addToSet(cart, 'items', ''), 'invalid write of "items": set elements must be non-empty strings'],
    ['removeFromSet of an element too long to be a name', () => table().removeFromSet(cart, 'items', 'x'.repeat(65_536)), 'invalid write of "items": a set element may have at most 65535 bytes'],
    ['a put of a set with an empty element', () => table().put(cart, { items: new Set(['apple', '']) }), 'invalid write of "items": set elements must be non-empty strings'],
    ['writing a key attribute', () => table().update(cart, { set: { sk: 'OTHER' } }), 'invalid write of "sk": key attributes cannot be written; they name the item'],
    ['writing the envelope', () => table().put(cart, { _cc: { hlc: 'x' } }), 'invalid write of "_cc": reserved for Concord'],
    ['removing the TTL attribute', () => table().update(cart, { remove: ['_ttl'] }), 'invalid write of "_ttl": reserved for Concord'],
    ['a value of the wrong type', () => table().update(order, { set: { total: '30' } }), 'invalid write of "total": the lww rule takes a number (N), got S'],
    ['a list where a string set is declared', () => table().put(order, { tags: ['gift'] }), 'invalid write of "tags": the union rule takes a stringSet (SS), got L'],
    ['a fractional counter value', () => table().update(stock, { set: { onHand: 2.5 } }), 'invalid write of "onHand": a counter holds a whole number, got a fraction'],
    ['one attribute in two operations', () => table().update(cart, { set: { coupon: 'A' }, remove: ['coupon'] }), 'invalid write of "coupon": appears in more than one operation of one change'],
    ['an update with nothing to write', () => table().update(cart, { set: { coupon: undefined } }), 'invalid write: an update needs attributes to set or remove'],
    [
      'a value DynamoDB cannot store',
      () => table().put(cart, { coupon: new Set() }),
      'invalid write of "coupon": cannot be stored in DynamoDB: Pass a non-empty set, or options.convertEmptyValues=true.',
    ],
    ['a number set holding a string', () => table().put(cart, { sizes: new Set([1, 'a']) }), 'invalid write of "sizes": cannot be stored in DynamoDB: NS members must be number strings'],
  ])('%s fails with InvalidWriteError', async (_, write, message) => {
    // Act
    const failure = write();

    // Assess
    await expect(failure).rejects.toBeInstanceOf(InvalidWriteError);
    await expect(failure).rejects.toThrow(message);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a key without its sort key', { pk: 'CART#1' }, 'invalid key pk=CART#1: the key attribute sk is missing'],
    ['a key with other attributes', { pk: 'CART#1', sk: 'CART', coupon: 'A' }, 'invalid key pk=CART#1 sk=CART coupon=A: only pk and sk belong in a key, got also coupon'],
    ['a key attribute of a map', { pk: { id: 1 }, sk: 'CART' }, 'invalid key pk={"id":1} sk=CART: the key attribute pk must be a string, number or binary'],
  ])('%s fails with InvalidKeyError', async (_, key, message) => {
    // Act
    const failure = table().get(key as Record<string, string>);

    // Assess
    await expect(failure).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(failure).rejects.toThrow(message);
  });

  it('a region that cannot name an epoch is refused when the writer is created', () => {
    // Act
    const create = (): unknown => env.bed.writer({ region: 'eu west~1' });

    // Assess
    expect(create).toThrow(new ConcordError('region "eu west~1" is not a region name ([A-Za-z0-9_-]+)'));
  });

  it('a query limit below one is refused', async () => {
    // Act
    const failure = table().query({ partitionKey: 'CART#1', limit: 0 });

    // Assess
    await expect(failure).rejects.toThrow(new RangeError('limit must be a whole number ≥ 1, got 0'));
  });
});
