import exampleRules from '../../rules/example';
import { InvalidWriteError } from '../errors';
import { defineRules } from '../rules/define-rules';
import { decodeItem, emptyState, foldedSlot, type ItemState } from '../item/state';
import { actorRegion, dotClock, seededTags } from '../clock/dot';
import { applyWrite, lineClock, type WriteStamp } from './apply-write';
import { EU, T0, US, Writers, av, clockAt, keyOf } from '../../test/helpers/items';
import type { AttributeMap } from '../dynamodb/attribute-value';

const envelope = (image: AttributeMap): Record<string, unknown> => (image._cc as { M: Record<string, unknown> }).M;
const stateOf = (image: AttributeMap): ItemState => decodeItem(image, exampleRules.table);
const stamp = (region: string, ms: number, fields: Partial<WriteStamp> = {}): WriteStamp => ({ region, clock: clockAt(ms), writer: 'w', tags: seededTags('apply-write'), ...fields });

describe('applyWrite', () => {
  it('stamps the envelope: a new epoch of the region, its dot on the attribute, existence, tip, by and wid', () => {
    // Act
    const { image, dot } = applyWrite(emptyState(keyOf('CART#1')), { type: 'update', set: av({ coupon: 'SAVE10' }) }, stamp(US, 1), exampleRules);

    // Assess
    const tip = (envelope(image).tip as { S: string }).S;
    expect(actorRegion(tip)).toBe(US);
    expect(dot).toBe(`${clockAt(1)}.${tip}`);
    expect(image.coupon).toEqual({ S: 'SAVE10' });
    expect(envelope(image)).toEqual({
      vv: { M: { [US]: { S: clockAt(1) } } },
      fc: { M: { coupon: { L: [{ S: clockAt(1) }] } } },
      ex: { M: { [clockAt(1)]: { BOOL: true } } },
      by: { S: US },
      tip: { S: tip },
      wid: { S: `${clockAt(1)}.${US}.w` },
    });
  });

  it('continues its region\'s line on a version of that line: same epoch, one vv entry', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('CART#1');
    const first = w.write(US, undefined, key, { type: 'update', set: av({ coupon: 'A' }) });

    // Act
    const second = stateOf(w.write(US, first, key, { type: 'update', set: av({ coupon: 'B' }) }));

    // Assess
    expect(second.tip).toBe(stateOf(first).tip);
    expect([...second.context.vv.keys()]).toEqual([second.tip]);
  });

  it('starts an epoch on a version of another region\'s line: it claims nothing of its region it did not read', () => {
    // Prepare: EU's copy came from US; EU may have written before and lost it in EU.
    const w = new Writers();
    const key = keyOf('CART#1');
    const eu = w.write(EU, undefined, key, { type: 'update', set: av({ coupon: 'eu' }) });
    const us = w.write(US, undefined, key, { type: 'update', set: av({ coupon: 'us' }) });

    // Act: EU writes on US's version, which never saw EU's write.
    const state = stateOf(w.write(EU, us, key, { type: 'update', set: av({ note: 'x' }) }));

    // Assess
    const euEpoch = stateOf(eu).tip as string;
    expect(state.tip).not.toBe(euEpoch);
    expect(actorRegion(state.tip as string)).toBe(EU);
    expect(state.context.vv.has(euEpoch)).toBe(false);
  });

  it('adds an increment to the slot of the writing epoch and shows the total', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('STOCK#1');
    const base = w.write(US, undefined, key, { type: 'update', increment: { onHand: 5 } });

    // Act
    const image = w.write(US, base, key, { type: 'update', increment: { onHand: -2 } });

    // Assess
    const state = stateOf(image);
    expect(image.onHand).toEqual({ N: '3' });
    expect(state.counters.get('onHand')).toEqual(new Map([[state.tip, { p: 5n, n: 2n }]]));
  });

  it('keeps counters exact beyond 2^53', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('STOCK#1');
    const base = w.write(US, undefined, key, { type: 'update', increment: { onHand: 2n ** 60n } });

    // Act
    const image = w.write(US, base, key, { type: 'update', increment: { onHand: 1 } });

    // Assess
    expect(image.onHand).toEqual({ N: (2n ** 60n + 1n).toString() });
  });

  it('refuses an increment that would pass DynamoDB\'s 38 digits', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('STOCK#1');
    const base = w.write(US, undefined, key, { type: 'update', increment: { onHand: 10n ** 38n - 1n } });

    // Act
    const tooFar = (): unknown => w.write(US, base, key, { type: 'update', increment: { onHand: 2 } });

    // Assess
    expect(tooFar).toThrow('the counter would pass DynamoDB\'s 38 significant digits');
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
    expect([...(stateOf(image).registers.get('coupon')?.values() ?? [])]).toEqual([null]);
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
    expect([...stateOf(image).ex.values()]).toEqual([false]);
  });

  it('zeroes a counter on delete in the deleter\'s own slot, so concurrent increments survive', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('STOCK#1');
    const base = w.write(US, undefined, key, { type: 'update', increment: { onHand: 4 } });

    // Act
    const image = w.write(US, base, key, { type: 'delete' });

    // Assess
    const state = stateOf(image);
    expect(state.counters.get('onHand')).toEqual(new Map([[state.tip, { p: 4n, n: 4n }]]));
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
    const state = stateOf(image);
    expect(image.onHand).toEqual({ N: '4' });
    expect(state.counters.get('onHand')?.get(state.tip as string)).toEqual({ p: 10n, n: 6n });
  });

  it('adopts a counter written before Concord as its starting value', () => {
    // Prepare
    const legacy = decodeItem({ ...keyOf('STOCK#1'), onHand: { N: '7' } }, exampleRules.table);

    // Act
    const { image } = applyWrite(legacy, { type: 'update', increment: { onHand: 1 } }, stamp(US, 1), exampleRules);

    // Assess
    expect(image.onHand).toEqual({ N: '8' });
  });

  it('rejects a clock that does not exceed its line', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('CART#1');
    const state = stateOf(w.write(US, undefined, key, { type: 'update', set: av({ coupon: 'A' }) }));

    // Act
    const stale = (): unknown => applyWrite(state, { type: 'update', set: av({ coupon: 'B' }) }, stamp(US, 0), exampleRules);

    // Assess
    expect(stale).toThrow(InvalidWriteError);
    expect(stale).toThrow(`clock ${clockAt(0)} does not exceed ${lineClock(state, US)}, the item's line of ${US}`);
  });

  it('starts an epoch rather than continue a line whose clock cannot be exceeded', () => {
    // Prepare: a forged line clock at the end of the format.
    const w = new Writers();
    const key = keyOf('CART#1');
    const state = stateOf(w.write(US, undefined, key, { type: 'update', set: av({ coupon: 'A' }) }));
    const forged: ItemState = { ...state, context: { ...state.context, vv: new Map([[state.tip as string, '9999999999999.99999']]) } };

    // Act
    const { state: next } = applyWrite(forged, { type: 'update', set: av({ coupon: 'B' }) }, stamp(US, 5, { newEpoch: true }), exampleRules);

    // Assess
    expect(next.tip).not.toBe(state.tip);
    expect(next.context.vv.get(next.tip as string)).toBe(clockAt(5));
  });

  it('writes above its region\'s floor whatever the line', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('CART#1');
    const state = stateOf(w.write(US, undefined, key, { type: 'update', set: av({ coupon: 'A' }) }));
    const floored: ItemState = { ...state, tip: undefined, context: { floors: new Map([[US, clockAt(100)]]), vv: new Map() } };

    // Act
    const below = (): unknown => applyWrite(floored, { type: 'update', set: av({ coupon: 'B' }) }, stamp(US, 50), exampleRules);

    // Assess
    expect(below).toThrow(`does not exceed ${clockAt(100)}`);
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
    ['an empty element list', { type: 'update', addToSet: { items: [] } }, 'invalid write of "items": addToSet takes a non-empty list of elements'],
    ['an empty element', { type: 'update', addToSet: { items: [''] } }, 'invalid write of "items": set elements must be non-empty strings'],
    ['an element too long to be a name', { type: 'update', removeFromSet: { items: ['x'.repeat(65_536)] } }, 'invalid write of "items": a set element may have at most 65535 bytes'],
    ['an empty element in an assigned set', { type: 'put', item: { items: { SS: ['a', ''] } } }, 'invalid write of "items": set elements must be non-empty strings'],
    ['an unknown change type', { type: 'upsert' }, 'invalid write: unknown change type "upsert"'],
  ])('rejects %s before writing', (_, change, message) => {
    expect(() => applyWrite(emptyState(keyOf('CART#1')), change as never, stamp(US, 1), exampleRules)).toThrow(message);
  });

  it.each<[string, object, string]>([
    ['a fractional increment', { type: 'update', increment: { onHand: 1.5 } }, 'invalid write of "onHand": a counter moves by whole numbers (safe integers or bigints within 38 digits), got a number'],
    ['a counter set to a fraction', { type: 'update', set: { onHand: { N: '2.5' } } }, 'invalid write of "onHand": a counter holds a whole number, got a fraction'],
  ])('rejects %s on a counter', (_, change, message) => {
    expect(() => applyWrite(emptyState(keyOf('STOCK#1')), change as never, stamp(US, 1), exampleRules)).toThrow(message);
  });

  it('keeps a folded slot as it is and grows the writing epoch\'s own', () => {
    // Prepare: a counter whose US epochs were folded by a floor.
    const key = keyOf('STOCK#1');
    const folded: ItemState = { ...emptyState(key), versioned: true, context: { floors: new Map([[US, clockAt(10)]]), vv: new Map() }, counters: new Map([['onHand', new Map([[foldedSlot(US), { p: 7n, n: 1n }]])]]), registers: new Map([['onHand', new Map([['', null]])]]) };

    // Act
    const { image, state } = applyWrite(folded, { type: 'update', increment: { onHand: 2 } }, stamp(US, 20), exampleRules);

    // Assess
    expect(image.onHand).toEqual({ N: '8' });
    expect(state.counters.get('onHand')?.get(foldedSlot(US))).toEqual({ p: 7n, n: 1n });
    expect(dotClock(`${clockAt(20)}.${state.tip}`)).toBe(clockAt(20));
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
