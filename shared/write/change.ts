/**
 * The changes an application makes to an item, and their validation against the
 * rules: what the rule set forbids fails before anything is written.
 */
import { InvalidWriteError } from '../errors';
import { entityFor, ruleFor } from '../rules/define-rules';
import { RuleKind, type AttributeType, type Entity, type RuleSet } from '../rules/types';
import type { AttributeMap, AttributeValue } from '../dynamodb/attribute-value';
import { latestValue } from '../item/encode';
import type { ItemState } from '../item/state';
import { own } from '../dynamodb/dict';
import { fitsDynamoNumber, wholeNumber } from '../dynamodb/number';

/** DynamoDB's limit on an attribute name, and so on a map key (a set element lives under one in `_cc`). */
export const MAX_NAME_BYTES = 65_535;

/** Replace the item's attributes with `item` (key excluded). */
export interface PutChange {
  readonly type: 'put';
  readonly item: AttributeMap;
}

/** Change some attributes; each attribute may appear in one operation only. */
export interface UpdateChange {
  readonly type: 'update';
  readonly set?: AttributeMap;
  readonly remove?: readonly string[];
  /** Counters: add a whole number (a safe integer or a bigint), negative to decrement. */
  readonly increment?: Readonly<Record<string, number | bigint>>;
  /** Add-wins sets. */
  readonly addToSet?: Readonly<Record<string, readonly string[]>>;
  readonly removeFromSet?: Readonly<Record<string, readonly string[]>>;
}

/** Delete the item: a tombstone that TTL collects after the retention. */
export interface DeleteChange {
  readonly type: 'delete';
}

export type Change = PutChange | UpdateChange | DeleteChange;

const TYPE_KEYS: Record<Exclude<AttributeType, 'any'>, string> = {
  string: 'S',
  number: 'N',
  boolean: 'BOOL',
  binary: 'B',
  stringSet: 'SS',
  numberSet: 'NS',
  binarySet: 'BS',
  list: 'L',
  map: 'M',
};

/**
 * The entity a change is checked against: by key, or by the type attribute the change
 * sets, else the one the item already holds (when the item is known).
 */
export function entityForChange(rules: RuleSet, key: AttributeMap, change: Change, state?: ItemState): Entity {
  const values = change.type === 'put' ? change.item : change.type === 'update' ? change.set : undefined;
  return entityFor(rules, key, (name) => (values === undefined ? undefined : own(values, name)) ?? (change.type === 'put' ? undefined : latestValue(state?.registers.get(name))));
}

/**
 * The attributes a change writes by name: a put's, or an update's (every operation); none
 * for a delete, which writes them all.
 *
 * @example
 * attributesOf({ type: 'update', set: { coupon: { S: 'A' } }, increment: { onHand: 1 } }); // ['coupon', 'onHand']
 */
export function attributesOf(change: Change): string[] {
  if (change.type === 'put') return Object.keys(change.item);
  if (change.type !== 'update') return [];
  return [change.set, change.increment, change.addToSet, change.removeFromSet].flatMap((operation) => Object.keys(operation ?? {})).concat(change.remove ?? []);
}

/**
 * Checks a change against the rules of its entity.
 *
 * @throws InvalidWriteError naming the attribute and what is wrong
 * @example
 * validateChange(rules, entity, { type: 'update', increment: { coupon: 1 } });
 * // InvalidWriteError: invalid write of "coupon": increment needs a counter, the rule is lww
 */
export function validateChange(rules: RuleSet, entity: Entity, change: Change): void {
  const { partitionKey, sortKey, envelopeAttribute, ttlAttribute } = rules.table;
  const seen = new Set<string>();
  const name = (attribute: string): string => {
    if (typeof attribute !== 'string' || attribute === '') throw new InvalidWriteError(undefined, 'attribute names must be non-empty strings');
    if (Buffer.byteLength(attribute) > MAX_NAME_BYTES) throw new InvalidWriteError(attribute.slice(0, 40), `an attribute name may have at most ${MAX_NAME_BYTES} bytes`);
    if (attribute === partitionKey || attribute === sortKey) throw new InvalidWriteError(attribute, 'key attributes cannot be written; they name the item');
    if (attribute === envelopeAttribute || attribute === ttlAttribute) throw new InvalidWriteError(attribute, 'reserved for Concord');
    if (seen.has(attribute)) throw new InvalidWriteError(attribute, 'appears in more than one operation of one change');
    seen.add(attribute);
    return attribute;
  };
  const needs = (attribute: string, kind: RuleKind, operation: string): void => {
    const rule = ruleFor(entity, attribute);
    if (rule.kind !== kind) throw new InvalidWriteError(attribute, `${operation} needs ${kind === RuleKind.Counter ? 'a counter' : 'an add-wins set'}, the rule is ${rule.kind}`);
  };
  switch (change.type) {
    case 'delete':
      return;
    case 'put':
      for (const [attribute, value] of Object.entries(change.item)) checkValue(entity, name(attribute), value);
      return;
    case 'update':
      for (const [attribute, value] of Object.entries(change.set ?? {})) checkValue(entity, name(attribute), value);
      for (const attribute of change.remove ?? []) name(attribute);
      for (const [attribute, delta] of Object.entries(change.increment ?? {})) {
        needs(name(attribute), RuleKind.Counter, 'increment');
        const whole = typeof delta === 'bigint' || Number.isSafeInteger(delta);
        if (!whole || !fitsDynamoNumber(BigInt(delta))) throw new InvalidWriteError(attribute, `a counter moves by whole numbers (safe integers or bigints within 38 digits), got a ${typeof delta}`);
      }
      for (const [operation, sets] of [['addToSet', change.addToSet], ['removeFromSet', change.removeFromSet]] as const) {
        for (const [attribute, elements] of Object.entries(sets ?? {})) {
          needs(name(attribute), RuleKind.AddWinsSet, operation);
          if (!Array.isArray(elements) || elements.length === 0) throw new InvalidWriteError(attribute, `${operation} takes a non-empty list of elements`);
          checkElements(attribute, elements);
        }
      }
      return;
    default:
      throw new InvalidWriteError(undefined, `unknown change type ${JSON.stringify((change as { type: unknown }).type)}`);
  }
}

function checkValue(entity: Entity, attribute: string, value: AttributeValue): void {
  const rule = ruleFor(entity, attribute);
  const actual = Object.keys(value)[0];
  const expected = rule.type === 'any' ? undefined : TYPE_KEYS[rule.type];
  if (expected !== undefined && actual !== expected) {
    throw new InvalidWriteError(attribute, `the ${rule.kind} rule takes a ${rule.type} (${expected}), got ${actual}`);
  }
  if (rule.kind === RuleKind.Counter && wholeNumber((value as { N: string }).N) === undefined) {
    throw new InvalidWriteError(attribute, 'a counter holds a whole number, got a fraction');
  }
  if (rule.kind === RuleKind.AddWinsSet) checkElements(attribute, (value as { SS: string[] }).SS);
}

/** Set elements become map keys in the envelope: each must be a non-empty string DynamoDB accepts as a name. */
function checkElements(attribute: string, elements: readonly unknown[]): void {
  for (const element of elements) {
    if (typeof element !== 'string' || element === '') throw new InvalidWriteError(attribute, 'set elements must be non-empty strings');
    if (Buffer.byteLength(element) > MAX_NAME_BYTES) throw new InvalidWriteError(attribute, `a set element may have at most ${MAX_NAME_BYTES} bytes`);
  }
}
