import exampleRules from '../../rules/example';
import { RuleApplicationError } from '../errors';
import { defineRules } from '../rules/define-rules';
import { merge } from './merge';
import { AP, EU, US, Writers, av, keyOf } from '../../test/helpers/items';
import type { AttributeMap } from '../dynamodb/attribute-value';
import type { Change } from '../write/change';

const table = 'concord-test';

/** A shared version in US, then one concurrent write in each of US and EU. */
function concurrent(key: AttributeMap, base: Change, local: Change, remote: Change, w = new Writers()): { base: AttributeMap; local: AttributeMap; remote: AttributeMap } {
  const shared = w.write(US, undefined, key, base);
  return { base: shared, local: w.write(US, shared, key, local), remote: w.write(EU, shared, key, remote) };
}

describe('merge', () => {
  it('keeps both concurrent increments of a counter: the +2 that last-writer-wins loses', () => {
    // Prepare: design.md §1 — qty 1, +2 in one region, +5 in another.
    const { local, remote } = concurrent(keyOf('STOCK#1'), { type: 'update', increment: { onHand: 1 } }, { type: 'update', increment: { onHand: 2 } }, { type: 'update', increment: { onHand: 5 } });

    // Act
    const result = merge(local, remote, exampleRules, { table });

    // Assess
    expect(result.item.onHand).toEqual({ N: '8' });
    expect(result.attributes.onHand).toEqual({ rule: 'counter', outcome: 'merged' });
  });

  it('keeps an item added to a cart concurrently with its removal (add wins)', () => {
    // Prepare
    const { local, remote } = concurrent(keyOf('CART#1'), { type: 'update', addToSet: { items: ['apple'] } }, { type: 'update', removeFromSet: { items: ['apple'] } }, { type: 'update', addToSet: { items: ['apple', 'pear'] } });

    // Act
    const result = merge(local, remote, exampleRules, { table });

    // Assess
    expect(result.item.items).toEqual({ SS: ['apple', 'pear'] });
  });

  it('removes an element whose only add the remover had seen', () => {
    // Prepare
    const { local, remote } = concurrent(keyOf('CART#1'), { type: 'update', addToSet: { items: ['apple'] } }, { type: 'update', removeFromSet: { items: ['apple'] } }, { type: 'update', addToSet: { items: ['pear'] } });

    // Act
    const result = merge(local, remote, exampleRules, { table });

    // Assess
    expect(result.item.items).toEqual({ SS: ['pear'] });
  });

  it('keeps edits of different fields from both sides', () => {
    // Prepare
    const { local, remote } = concurrent(keyOf('USER#1'), { type: 'put', item: av({ name: 'Ada', city: 'London' }) }, { type: 'update', set: av({ name: 'Ada L.' }) }, { type: 'update', set: av({ city: 'Paris' }) });

    // Act
    const result = merge(local, remote, exampleRules, { table });

    // Assess
    expect([result.item.name, result.item.city]).toEqual([{ S: 'Ada L.' }, { S: 'Paris' }]);
    expect([result.attributes.name?.outcome, result.attributes.city?.outcome]).toEqual(['local', 'remote']);
  });

  it('settles concurrent status moves by the declared order', () => {
    // Prepare
    const { local, remote } = concurrent(keyOf('ORDER#1'), { type: 'update', set: av({ status: 'PENDING' }) }, { type: 'update', set: av({ status: 'SHIPPED' }) }, { type: 'update', set: av({ status: 'PAID' }) });

    // Act
    const result = merge(remote, local, exampleRules, { table });

    // Assess
    expect(result.item.status).toEqual({ S: 'SHIPPED' });
  });

  it('obeys a causally later write whatever the rule: a status set back after seeing the higher one', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('ORDER#1');
    const shipped = w.write(US, undefined, key, { type: 'update', set: av({ status: 'SHIPPED' }) });
    const back = w.write(EU, shipped, key, { type: 'update', set: av({ status: 'PAID' }) });

    // Act
    const result = merge(shipped, back, exampleRules, { table });

    // Assess
    expect(result.item.status).toEqual({ S: 'PAID' });
  });

  it('unions concurrent tag sets', () => {
    // Prepare
    const { local, remote } = concurrent(keyOf('ORDER#1'), { type: 'update', set: av({ tags: new Set(['gift']) }) }, { type: 'update', set: av({ tags: new Set(['gift', 'rush']) }) }, { type: 'update', set: av({ tags: new Set(['fragile']) }) });

    // Act
    const result = merge(local, remote, exampleRules, { table });

    // Assess
    expect(result.item.tags).toEqual({ SS: ['fragile', 'gift', 'rush'] });
  });

  it('keeps manual siblings side by side, shows the later one and escalates', () => {
    // Prepare
    const { local, remote } = concurrent(keyOf('ORDER#1'), { type: 'update', set: av({ notes: 'base' }) }, { type: 'update', set: av({ notes: 'leave at door' }) }, { type: 'update', set: av({ notes: 'call first' }) });

    // Act
    const result = merge(local, remote, exampleRules, { table });

    // Assess
    expect(result.item.notes).toEqual({ S: 'call first' });
    expect(result.siblings.notes?.map((s) => s.value)).toEqual([{ S: 'leave at door' }, { S: 'call first' }]);
    expect(result.escalations).toEqual([{ reason: 'manual', subject: 'notes' }]);
  });

  it('applies the rule to every concurrent write, not to an earlier pick: a later write replaces only the sibling it saw', () => {
    // Prepare
    const w = new Writers();
    const key = keyOf('INVOICE#1');
    const base = w.write(US, undefined, key, { type: 'update', set: av({ memo: 'base' }) });
    const us = w.write(US, base, key, { type: 'update', set: av({ memo: 'us' }) });
    const eu = w.write(EU, base, key, { type: 'update', set: av({ memo: 'eu' }) });
    const ap = w.write(AP, us, key, { type: 'update', set: av({ memo: 'ap saw us' }) });
    const siblings = merge(us, eu, exampleRules, { table }).item;

    // Act
    const result = merge(siblings, ap, exampleRules, { table });

    // Assess
    expect(result.siblings.memo?.map((s) => s.value)).toEqual([{ S: 'eu' }, { S: 'ap saw us' }]);
  });

  it('escalates a merged item that breaks an invariant, and still returns it', () => {
    // Prepare: 3 in stock, two regions each sell 2.
    const { local, remote } = concurrent(keyOf('STOCK#1'), { type: 'update', increment: { onHand: 3 } }, { type: 'update', increment: { onHand: -2 } }, { type: 'update', increment: { onHand: -2 } });

    // Act
    const result = merge(local, remote, exampleRules, { table });

    // Assess
    expect(result.item.onHand).toEqual({ N: '-1' });
    expect(result.escalations).toEqual([{ reason: 'invariant', subject: 'onHand >= 0' }]);
  });

  it('keeps a cart alive with the attributes the deleter had not seen (updateWins)', () => {
    // Prepare
    const { local, remote } = concurrent(keyOf('CART#1'), { type: 'update', addToSet: { items: ['apple'] }, set: av({ coupon: 'OLD' }) }, { type: 'delete' }, { type: 'update', addToSet: { items: ['pear'] } });

    // Act
    const result = merge(local, remote, exampleRules, { table });

    // Assess
    expect(result.deleted).toBe(false);
    expect(result.item.items).toEqual({ SS: ['pear'] });
    expect([result.item.coupon, result.item._ttl]).toEqual([undefined, undefined]);
  });

  it('keeps an order deleted when the delete is concurrent with an update (deleteWins)', () => {
    // Prepare
    const { local, remote } = concurrent(keyOf('ORDER#1'), { type: 'update', set: av({ status: 'PAID' }) }, { type: 'delete' }, { type: 'update', set: av({ status: 'SHIPPED' }) });

    // Act
    const result = merge(remote, local, exampleRules, { table });

    // Assess
    expect(result.deleted).toBe(true);
    expect(result.item.status).toBeUndefined();
    expect(result.item._ttl).toBeDefined();
  });

  it('gives the same bytes and conflict id in either order', () => {
    // Prepare
    const { local, remote } = concurrent(keyOf('CART#1'), { type: 'update', set: av({ coupon: 'A' }) }, { type: 'update', set: av({ coupon: 'B' }), addToSet: { items: ['x'] } } as Change, { type: 'update', set: av({ updatedAt: 3 }) });

    // Act
    const forward = merge(local, remote, exampleRules, { table });
    const backward = merge(remote, local, exampleRules, { table });

    // Assess
    expect(JSON.stringify(backward.item)).toBe(JSON.stringify(forward.item));
    expect(backward.conflictId).toBe(forward.conflictId);
    expect(forward.item._cc).toMatchObject({ M: { wid: { S: forward.conflictId } } });
  });

  it('reports equal for an attribute both sides showed alike', () => {
    // Prepare
    const { local, remote } = concurrent(keyOf('USER#1'), { type: 'put', item: av({ name: 'Ada', city: 'London' }) }, { type: 'update', set: av({ name: 'Ada L.' }) }, { type: 'update', increment: { loginCount: 1 } });

    // Act
    const result = merge(local, remote, exampleRules, { table });

    // Assess
    expect(result.attributes.city).toEqual({ rule: 'lww', outcome: 'equal' });
  });

  it('fails with a typed error when values do not suit the rule', () => {
    // Prepare
    const rules = defineRules({ entities: { e: { match: { prefix: 'E#' }, attributes: { level: 'max' } } } });
    const w = new Writers(rules);
    const { local, remote } = concurrent(keyOf('E#1'), { type: 'update', set: av({ level: 1 }) }, { type: 'update', set: av({ level: 'high' }) }, { type: 'update', set: av({ level: 2 }) }, w);

    // Act
    const act = (): unknown => merge(local, remote, rules, { table });

    // Assess
    expect(act).toThrow(RuleApplicationError);
    expect(act).toThrow('rule of entity "e" attribute "level" failed: max and min compare numbers or strings');
  });

  it('reports a custom merge that throws as a rule error with its cause', () => {
    // Prepare
    const rules = defineRules({ entities: { e: { match: { prefix: 'E#' }, attributes: { note: { kind: 'custom', merge: () => { throw new Error('boom'); } } } } } });
    const w = new Writers(rules);
    const { local, remote } = concurrent(keyOf('E#1'), { type: 'update', set: av({ note: 'a' }) }, { type: 'update', set: av({ note: 'b' }) }, { type: 'update', set: av({ note: 'c' }) }, w);

    // Act
    const act = (): unknown => merge(local, remote, rules, { table });

    // Assess
    expect(act).toThrow('custom merge threw: boom');
  });
});
