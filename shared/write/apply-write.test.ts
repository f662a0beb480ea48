import exampleRules from '../../rules/example';
import { InvalidWriteError } from '../errors';
import { defineRules } from '../rules/define-rules';
import { decodeItem, emptyState } from '../item/state';
import { applyWrite } from './apply-write';
import { EU, T0, US, Writers, av, clockAt, keyOf } from '../../test/helpers/items';
import type { AttributeMap } from '../dynamodb/attribute-value';

const envelope = (image: AttributeMap): Record<string, unknown> => (image._cc as { M: Record<string, unknown> }).M;

describe('applyWrite', () => {
  it('stamps the envelope: vv, hlc, fc, ex, by, tip and wid all name the write', () => {
    // Prepare
    const dot = clockAt(US, 1);

    // Act
    const { image } = applyWrite(emptyState(keyOf('CART#1')), { type: 'update', set: av({ coupon: 'SAVE10' }) }, US, dot, exampleRules);

    // Assess
    expect(image.coupon).toEqual({ S: 'SAVE10' });
    expect(envelope(image)).toEqual({
      vv: { M: { [US]: { S: dot } } },
      hlc: { S: dot },
      fc: { M: { coupon: { L: [{ S: dot }] } } },
      ex: { M: { [dot]: { BOOL: true } } },
      by: { S: US },
      tip: { S: US },
      wid: { S: dot },
    });
  });

  it('keeps the dots of a removed attribute', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('CART#1');
    const base = w.write(US, undefined, key, { type: 'update', set: av({ coupon: 'SAVE10' }) });

    // Act
    const image = w.write(US, base, key, { type: 'update', remove: ['coupon'] });

    // Assess
    expect(image.coupon).toBeUndefined();
    expect(decodeItem(image, exampleRules.table).registers.coupon).toEqual({ [clockAt(US, 2)]: null });
  });

  it('adds an increment to the writer region slot and shows the total', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('STOCK#1');
    const base = w.write(US, undefined, key, { type: 'update', increment: { onHand: 5 } });

    // Act
    const image = w.write(US, base, key, { type: 'update', increment: { onHand: -2 } });

    // Assess
    expect(image.onHand).toEqual({ N: '3' });
    expect(decodeItem(image, exampleRules.table).counters.onHand).toEqual({ [US]: { p: 5, n: 2 } });
  });

  it('records a gap when it writes on a version that may lack the region\'s latest write', () => {
    // Prepare: EU's copy came from US; EU may have written before and lost it there.
    const w = new Writers();
    const key = keyOf('CART#1');
    const base = w.write(US, undefined, key, { type: 'update', set: av({ coupon: 'A' }) });

    // Act
    const state = decodeItem(w.write(EU, base, key, { type: 'update', set: av({ coupon: 'B' }) }), exampleRules.table);

    // Assess
    expect(state.gaps).toEqual({ [EU]: [['', clockAt(EU, 2)]] });
    expect(state.tip).toBe(EU);
  });

  it('records no gap when the version holds every write of its region', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('CART#1');
    const base = w.write(US, undefined, key, { type: 'update', set: av({ coupon: 'A' }) });

    // Act
    const state = decodeItem(w.write(US, base, key, { type: 'update', set: av({ coupon: 'B' }) }), exampleRules.table);

    // Assess
    expect(state.gaps).toEqual({});
  });

  it('counts increments made while its region has a gap in a branch slot, folded into its own slot once no gap lies below it', () => {
    // Prepare
    const rules = defineRules({ ...exampleRules.spec, table: { ...exampleRules.spec.table, gapRetentionSeconds: 1 } });
    const w = new Writers(rules);
    const key = keyOf('STOCK#1');
    const base = w.write(US, undefined, key, { type: 'update', increment: { onHand: 5 } });
    const branched = w.write(EU, base, key, { type: 'update', increment: { onHand: -2 } });
    w.advance(5_000);
    const later = w.write(EU, branched, key, { type: 'update', set: av({ location: 'B2' }) });
    const fromUs = w.write(US, later, key, { type: 'update', set: av({ location: 'A1' }) }); // a write that records a gap also forgets old ones: EU's is past retention

    // Act: EU's write opens a new gap (its copy came from US) above the old branch
    const folded = w.write(EU, fromUs, key, { type: 'update', increment: { onHand: 1 } });

    // Assess
    expect(decodeItem(branched, rules.table).counters.onHand).toEqual({ [`${EU}@${clockAt(EU, 2)}`]: { p: 0, n: 2 }, [US]: { p: 5, n: 0 } });
    expect(decodeItem(folded, rules.table).counters.onHand).toEqual({ [EU]: { p: 0, n: 2 }, [`${EU}@${clockAt(EU, 5005)}`]: { p: 1, n: 0 }, [US]: { p: 5, n: 0 } });
    expect(folded.onHand).toEqual({ N: '4' });
  });

  it('adds and removes set elements, the visible set absent when empty', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('CART#1');
    const added = w.write(US, undefined, key, { type: 'update', addToSet: { items: ['apple', 'pear'] } });

    // Act
    const removed = w.write(US, added, key, { type: 'update', removeFromSet: { items: ['apple', 'pear'] } });

    // Assess
    expect(added.items).toEqual({ SS: ['apple', 'pear'] });
    expect(removed.items).toBeUndefined();
  });

  it('turns a delete into a tombstone with a TTL and no visible attributes', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('ORDER#1');
    const base = w.write(US, undefined, key, { type: 'put', item: av({ status: 'PAID', total: 12 }) });

    // Act
    const image = w.write(US, base, key, { type: 'delete' });

    // Assess
    expect(Object.keys(image).sort()).toEqual(['_cc', '_ttl', 'pk', 'sk']);
    expect(image._ttl).toEqual({ N: String(Math.floor((T0 + 2) / 1000) + 7 * 24 * 3600) });
    expect((envelope(image).ex as { M: object }).M).toEqual({ [clockAt(US, 2)]: { BOOL: false } });
  });

  it('zeroes a counter on delete in the deleter own slot, so concurrent increments survive', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('STOCK#1');
    const base = w.write(US, undefined, key, { type: 'update', increment: { onHand: 4 } });

    // Act
    const image = w.write(US, base, key, { type: 'delete' });

    // Assess
    expect(decodeItem(image, exampleRules.table).counters.onHand).toEqual({ [US]: { p: 4, n: 4 } });
  });

  it('starts a deleted item afresh: a write after a delete does not bring old attributes back', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('CART#1');
    const base = w.write(US, undefined, key, { type: 'update', set: av({ coupon: 'OLD' }), addToSet: { items: ['apple'] } });
    const deleted = w.write(US, base, key, { type: 'delete' });

    // Act
    const image = w.write(US, deleted, key, { type: 'update', set: av({ updatedAt: 5 }) });

    // Assess
    expect(image).toMatchObject({ updatedAt: { N: '5' } });
    expect([image.coupon, image.items, image._ttl]).toEqual([undefined, undefined, undefined]);
  });

  it('replaces the whole item on put: attributes left out are removed and counters reset', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('STOCK#1');
    const base = w.write(US, undefined, key, { type: 'update', set: av({ location: 'A1' }), increment: { onHand: 3 } });

    // Act
    const image = w.write(US, base, key, { type: 'put', item: av({ reserved: 1 }) });

    // Assess
    expect(image).toMatchObject({ reserved: { N: '1' } });
    expect([image.location, image.onHand]).toEqual([undefined, undefined]);
  });

  it('sets a counter by moving its own slot by the difference', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('STOCK#1');
    const base = w.write(US, undefined, key, { type: 'update', increment: { onHand: 10 } });

    // Act
    const image = w.write(US, base, key, { type: 'update', set: av({ onHand: 4 }) });

    // Assess
    expect(image.onHand).toEqual({ N: '4' });
    expect(decodeItem(image, exampleRules.table).counters.onHand?.[US]).toEqual({ p: 10, n: 6 });
  });

  it('adopts a counter written before Concord as its starting value', () => {
    // Prepare
    const legacy = decodeItem({ ...keyOf('STOCK#1'), onHand: { N: '7' } }, exampleRules.table);

    // Act
    const { image } = applyWrite(legacy, { type: 'update', increment: { onHand: 1 } }, US, clockAt(US, 1), exampleRules);

    // Assess
    expect(image.onHand).toEqual({ N: '8' });
  });

  it('rejects a clock that does not exceed the item clock', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('CART#1');
    const state = decodeItem(w.write(EU, undefined, key, { type: 'update', set: av({ coupon: 'A' }) }), exampleRules.table);

    // Act
    const stale = (): unknown => applyWrite(state, { type: 'update', set: av({ coupon: 'B' }) }, US, clockAt(US, 0), exampleRules);

    // Assess
    expect(stale).toThrow(InvalidWriteError);
    expect(stale).toThrow(`does not exceed the item's clock ${clockAt(EU, 1)}`);
  });

  it('rejects a clock of another region', () => {
    expect(() => applyWrite(emptyState(keyOf('CART#1')), { type: 'delete' }, US, clockAt(EU, 1), exampleRules)).toThrow(`is not a clock of region ${US}`);
  });

  it.each<[string, object, string]>([
    ['an increment of a non-counter', { type: 'update', increment: { coupon: 1 } }, 'invalid write of "coupon": increment needs a counter, the rule is lww'],
    ['an add to a non-set', { type: 'update', addToSet: { coupon: ['x'] } }, 'invalid write of "coupon": addToSet needs an add-wins set, the rule is lww'],
    ['a removal from a non-set', { type: 'update', removeFromSet: { updatedAt: ['x'] } }, 'invalid write of "updatedAt": removeFromSet needs an add-wins set, the rule is max'],
    ['a write of the partition key', { type: 'update', set: { pk: { S: 'CART#2' } } }, 'invalid write of "pk": key attributes cannot be written; they name the item'],
    ['a write of the envelope', { type: 'update', set: { _cc: { M: {} } } }, 'invalid write of "_cc": reserved for Concord'],
    ['a removal of the TTL attribute', { type: 'update', remove: ['_ttl'] }, 'invalid write of "_ttl": reserved for Concord'],
    ['a set given a string', { type: 'update', set: { items: { S: 'apple' } } }, 'invalid write of "items": the addWinsSet rule takes a stringSet (SS), got S'],
    ['an attribute in two operations', { type: 'update', set: { items: { SS: ['a'] } }, addToSet: { items: ['b'] } }, 'invalid write of "items": appears in more than one operation of one change'],
    ['an empty element list', { type: 'update', addToSet: { items: [] } }, 'invalid write of "items": addToSet takes a non-empty list of non-empty strings'],
    ['an unknown change type', { type: 'upsert' }, 'invalid write: unknown change type "upsert"'],
  ])('rejects %s before writing', (_, change, message) => {
    expect(() => applyWrite(emptyState(keyOf('CART#1')), change as never, US, clockAt(US, 1), exampleRules)).toThrow(message);
  });

  it.each<[string, object, string]>([
    ['a fractional increment', { type: 'update', increment: { onHand: 1.5 } }, 'invalid write of "onHand": a counter moves by whole numbers, got 1.5'],
    ['a counter set to a fraction', { type: 'update', set: { onHand: { N: '2.5' } } }, 'invalid write of "onHand": a counter holds a whole number, got 2.5'],
  ])('rejects %s on a counter', (_, change, message) => {
    expect(() => applyWrite(emptyState(keyOf('STOCK#1')), change as never, US, clockAt(US, 1), exampleRules)).toThrow(message);
  });
});

describe('applyWrite on an entity matched by a type attribute', () => {
  const typed = defineRules({ entities: { invoice: { match: { attribute: 'type', equals: 'invoice' }, attributes: { paid: 'counter' } } } });

  it('checks a change that does not repeat the type against the entity the item already is', () => {
    // Prepare
    const w = new Writers(typed);
    const key = keyOf('DOC#1');
    const created = w.write(US, undefined, key, { type: 'update', set: av({ type: 'invoice' }) });

    // Act
    const image = w.write(US, created, key, { type: 'update', increment: { paid: 3 } });

    // Assess
    expect(image.paid).toEqual({ N: '3' });
  });
});
