import exampleRules from '../../rules/example';
import { RuleValidationError } from '../errors';
import { defineRules, entityFor, ruleFor } from './define-rules';
import type { RulesSpec } from './types';

const cart = (attributes: Record<string, unknown>, extra: Record<string, unknown> = {}): RulesSpec =>
  ({ entities: { cart: { match: { prefix: 'CART#' }, attributes, ...extra } } }) as unknown as RulesSpec;

describe('defineRules validation', () => {
  it.each<[string, RulesSpec, string]>([
    ['an unknown rule kind', cart({ items: 'addwins' }), 'entity "cart" attribute "items": unknown rule kind "addwins" (expected one of lww, max, min, counter, addWinsSet, union, priority, custom, manual)'],
    ['a rule that is neither a kind nor an object', cart({ items: 7 }), 'entity "cart" attribute "items": a rule must be a kind name or an object with a kind'],
    ['a rule on the partition key', cart({ pk: 'lww' }), 'entity "cart" attribute "pk": a rule cannot target the key attribute "pk"'],
    ['a rule on the sort key', cart({ sk: 'max' }), 'entity "cart" attribute "sk": a rule cannot target the key attribute "sk"'],
    ['a rule on the envelope', cart({ _cc: 'lww' }), 'entity "cart" attribute "_cc": "_cc" is reserved for Concord (envelope or TTL attribute)'],
    ['a rule on the TTL attribute', cart({ _ttl: 'max' }), 'entity "cart" attribute "_ttl": "_ttl" is reserved for Concord (envelope or TTL attribute)'],
    ['a counter named sib', cart({ sib: 'counter' }), 'entity "cart" attribute "sib": a counter or add-wins set cannot be named "sib"'],
    ['an unknown value type', cart({ total: { kind: 'lww', type: 'decimal' } }), 'entity "cart" attribute "total": unknown type "decimal"'],
    ['a counter on a non-number', cart({ onHand: { kind: 'counter', type: 'string' } }), 'entity "cart" attribute "onHand": a counter must be a number, declared type "string"'],
    ['an add-wins set of numbers', cart({ items: { kind: 'addWinsSet', type: 'numberSet' } }), 'entity "cart" attribute "items": an add-wins set must be a stringSet, declared type "numberSet"'],
    ['max on a list', cart({ seen: { kind: 'max', type: 'list' } }), 'entity "cart" attribute "seen": a max must be a string or number, declared type "list"'],
    ['union on a string', cart({ tags: { kind: 'union', type: 'string' } }), 'entity "cart" attribute "tags": a union must be a stringSet or numberSet or binarySet or list, declared type "string"'],
    ['a priority without an order', cart({ status: { kind: 'priority' } }), 'entity "cart" attribute "status": a priority rule needs a non-empty order list'],
    ['a priority with an empty order', cart({ status: { kind: 'priority', order: [] } }), 'a priority rule needs a non-empty order list'],
    ['a priority listing a value twice', cart({ status: { kind: 'priority', order: ['PENDING', 'PAID', 'PENDING'] } }), 'entity "cart" attribute "status": priority order lists "PENDING" twice'],
    ['a priority with a non-string value', cart({ status: { kind: 'priority', order: ['PAID', 3] } }), 'priority values must be non-empty strings, got 3'],
    ['a custom rule without a function', cart({ notes: { kind: 'custom' } }), 'entity "cart" attribute "notes": a custom rule needs a merge(a, b) function'],
    ['a counter as otherAttributes', cart({}, { otherAttributes: 'counter' }), 'entity "cart" attribute "(otherAttributes)": counter must name its attributes'],
    ['an unknown entity field', cart({}, { atributes: {} }), 'entity "cart": unknown field "atributes" (expected match, attributes, otherAttributes, onDelete, invariants)'],
    ['an unknown delete policy', cart({}, { onDelete: 'lastWins' }), 'entity "cart": unknown onDelete "lastWins" (expected updateWins or deleteWins)'],
    ['an invariant that is not a function', cart({}, { invariants: { positive: 'onHand > 0' } }), 'entity "cart": invariant "positive" must be a function of the merged item'],
    ['an entity without a match', { entities: { cart: { attributes: {} } } } as unknown as RulesSpec, 'entity "cart": an entity needs a match: { prefix } or { attribute, equals }'],
    ['an empty prefix', { entities: { cart: { match: { prefix: '' } } } }, 'entity "cart": match.prefix must be a non-empty string'],
    ['a sort-key match on a table without a sort key', { table: { sortKey: null }, entities: { cart: { match: { prefix: 'C', on: 'sortKey' } } } }, 'entity "cart": match.on is sortKey but the table has no sort key'],
    ['a match on an unknown key', { entities: { cart: { match: { prefix: 'C', on: 'hashKey' } } } } as unknown as RulesSpec, 'entity "cart": match.on must be partitionKey or sortKey'],
    ['an attribute match without its value', { entities: { cart: { match: { attribute: 'type' } } } } as unknown as RulesSpec, 'entity "cart": match needs an attribute name and the string it equals'],
    ['two entities matching the same items', { entities: { a: { match: { prefix: 'X#' } }, b: { match: { prefix: 'X#' } } } }, 'entity "b": matches the same items as entity "a" (partitionKey:X#)'],
    ['an unknown unversioned-overwrite policy', { entities: {}, policies: { unversionedOverwrite: 'ignore' } } as unknown as RulesSpec, 'entity "(policies)": unversionedOverwrite must be accept or merge, got "ignore"'],
    ['an unknown hard-delete policy', { entities: {}, policies: { hardDelete: 'undo' } } as unknown as RulesSpec, 'entity "(policies)": hardDelete must be accept or restore, got "undo"'],
    ['an envelope named like a key', { table: { envelopeAttribute: 'pk' }, entities: {} }, 'entity "(table)": key, envelope and TTL attributes must differ, got pk, sk, pk, _ttl'],
    ['an empty attribute name in the table', { table: { ttlAttribute: '' }, entities: {} }, 'entity "(table)": attribute names must be non-empty strings'],
    ['a retention that is not a positive whole number', { table: { tombstoneRetentionSeconds: 0.5 }, entities: {} }, 'entity "(table)": tombstoneRetentionSeconds must be a positive whole number, got 0.5'],
    ['a rule set without entities', {} as RulesSpec, 'entity "(rules)": rules need an entities object'],
  ])('rejects %s', (_, spec, message) => {
    // Act
    const define = (): unknown => defineRules(spec);

    // Assess
    expect(define).toThrow(RuleValidationError);
    expect(define).toThrow(message);
  });

  it('names entity and attribute as fields of the error', () => {
    // Act
    let error: unknown;
    try {
      defineRules(cart({ items: 'addwins' }));
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toMatchObject({ name: 'RuleValidationError', entity: 'cart', attribute: 'items' });
  });
});

describe('entityFor', () => {
  it('chooses the example entity by partition key prefix', () => {
    expect(entityFor(exampleRules, { pk: { S: 'STOCK#9' }, sk: { S: 'A' } }).name).toBe('stock');
  });

  it('falls back to lww for any other item', () => {
    const entity = entityFor(exampleRules, { pk: { S: 'INVOICE#1' }, sk: { S: 'A' } });
    expect(entity.name).toBe('(fallback)');
    expect(ruleFor(entity, 'anything').kind).toBe('lww');
  });

  it('chooses an entity by the value of a type attribute', () => {
    // Prepare
    const rules = defineRules({ entities: { invoice: { match: { attribute: 'type', equals: 'invoice' }, attributes: { paid: 'max' } } } });

    // Act
    const entity = entityFor(rules, { pk: { S: 'X' }, sk: { S: 'Y' } }, (name) => (name === 'type' ? { S: 'invoice' } : undefined));

    // Assess
    expect(entity.name).toBe('invoice');
  });

  it('gives every other USER# attribute the lww rule and loginCount a counter', () => {
    const user = entityFor(exampleRules, { pk: { S: 'USER#1' }, sk: { S: 'PROFILE' } });
    expect([ruleFor(user, 'loginCount').kind, ruleFor(user, 'email').kind]).toEqual(['counter', 'lww']);
  });
});
