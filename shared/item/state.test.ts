import exampleRules from '../../rules/example';
import { EnvelopeError } from '../errors';
import { encodeItem } from './encode';
import { decodeItem } from './state';
import { merge } from '../merge/merge';
import { EU, US, Writers, av, keyOf } from '../../test/helpers/items';
import type { AttributeMap } from '../dynamodb/attribute-value';

const table = exampleRules.table;

function withEnvelope(envelope: Record<string, unknown>): AttributeMap {
  return { ...keyOf('CART#1'), _cc: { M: envelope } } as AttributeMap;
}

const TIP = `${US}~k3F9aZ2q`;
const validEnvelope = {
  vv: { M: { [US]: { S: '1732850000001.00000' } } },
  tip: { S: TIP },
  fc: { M: {} },
  ex: { M: { '1732850000001.00000': { BOOL: true } } },
  by: { S: US },
  wid: { S: `1732850000001.00000.${US}.w` },
};

describe('decodeItem', () => {
  it('reads an item written before Concord as legacy values with no version', () => {
    // Prepare
    const image = { ...keyOf('USER#1'), name: { S: 'Ada' } };

    // Act
    const state = decodeItem(image, table);

    // Assess
    expect(state.versioned).toBe(false);
    expect(state.registers.get('name')).toEqual(new Map([['', { S: 'Ada' }]]));
  });

  it('round-trips every envelope field through encodeItem', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('ORDER#1');
    const base = w.write(US, undefined, key, { type: 'put', item: av({ status: 'PAID', notes: 'x', tags: new Set(['a']) }) });
    const a = w.write(US, base, key, { type: 'update', set: av({ notes: 'from us' }) });
    const b = w.write(EU, base, key, { type: 'update', set: av({ notes: 'from eu' }) });
    const merged = merge(a, b, exampleRules, { table: 'concord-test' }).item;

    // Act
    const again = encodeItem(decodeItem(merged, table), exampleRules).image;

    // Assess
    expect(again).toEqual(merged);
  });

  it('decodes the tip\'s bare keys and dots as the tip\'s epoch', () => {
    // Act
    const state = decodeItem(withEnvelope(validEnvelope), table);

    // Assess
    expect(state.tip).toBe(TIP);
    expect(state.context.vv).toEqual(new Map([[TIP, '1732850000001.00000']]));
    expect(state.ex).toEqual(new Map([[`1732850000001.00000.${TIP}`, true]]));
  });

  it.each([
    [{ ...validEnvelope, vv: { S: 'x' } }, '_cc.vv', 'must be a map (M)'],
    [{ ...validEnvelope, vv: undefined }, '_cc.vv', 'is missing'],
    [{ ...validEnvelope, vv: { M: { [US]: { S: 'yesterday' } } } }, `_cc.vv.${US}`, 'must be a clock string'],
    [{ ...validEnvelope, vv: { M: { [EU]: { S: '1732850000001.00000' } } } }, `_cc.vv.${EU}`, `keys must be actors or the tip's region ${US}`],
    [{ ...validEnvelope, tip: undefined }, `_cc.vv.${US}`, 'a bare region key needs a tip'],
    [{ ...validEnvelope, tip: { S: US } }, '_cc.tip', 'must be an actor <region>~<tag> (S)'],
    [{ ...validEnvelope, fl: { M: { [US]: { S: '1732850000009.00000' } } } }, `_cc.vv.${US}`, "is at or below its region's floor"],
    [{ ...validEnvelope, fc: { M: { coupon: { S: 'x' } } } }, '_cc.fc.coupon', 'must be a list of dots'],
    [{ ...validEnvelope, ex: { M: { notaclock: { BOOL: true } } } }, '_cc.ex.notaclock', 'must be a dot'],
    [{ ...validEnvelope, crdt: { M: { items: { M: { a: { S: 'x' } } } } } }, '_cc.crdt.items.a', 'a counter slot must be a map'],
    [{ ...validEnvelope, crdt: { M: { onHand: { M: { [US]: { M: { p: { N: '-1' }, n: { N: '0' } } } } } } } }, `_cc.crdt.onHand.${US}.p`, 'whole number'],
    [{ ...validEnvelope, hlc: { S: '1732850000001.00000' } }, '_cc', 'is an envelope of Concord 0.1'],
  ])('rejects a malformed envelope (%#) naming the key and the field', (envelope, field, reason) => {
    // Act
    const decode = (): unknown => decodeItem(withEnvelope(envelope), table);

    // Assess
    expect(decode).toThrow(EnvelopeError);
    expect(decode).toThrow(`malformed envelope on item pk=CART#1 sk=A at ${field}`);
    expect(decode).toThrow(reason);
  });

  it('rejects an envelope that is not a map', () => {
    expect(() => decodeItem({ ...keyOf('CART#1'), _cc: { S: 'v1' } }, table)).toThrow('at _cc: must be a map (M)');
  });
});
