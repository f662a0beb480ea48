/**
 * The projection of an item state to the DynamoDB image Concord stores: visible
 * attributes as plain values any tool can read, and `_cc` with what the merge needs
 * beyond them. Deterministic: equal states give equal bytes, keys in sorted order.
 */
import { clockWallMs, type Clock } from '../clock/hlc';
import { latestClock } from '../clock/version-vector';
import { pick } from '../merge/pick';
import { isEmpty, sortedKeys } from '../merge/dots';
import { entityFor, ruleFor } from '../rules/define-rules';
import { DeletePolicy, RuleKind, type Entity, type RuleSet } from '../rules/types';
import type { AttributeMap, AttributeValue } from '../dynamodb/attribute-value';
import { counterOf, counterTotal, setMembers, setOf } from './crdt';
import { LEGACY_DOT, type CounterState, type ItemState, type Register, type SetState } from './state';

/** True when the surviving existence writes make the item a tombstone under `policy`. */
export function isDeleted(ex: Readonly<Record<Clock, boolean>>, policy: Entity['onDelete']): boolean {
  let writes = false;
  let deletes = false;
  for (const dot in ex) {
    if (ex[dot]) writes = true;
    else deletes = true;
  }
  return deletes && (!writes || policy === DeletePolicy.DeleteWins);
}

/** The entity of an item state: by key, or by the latest value of a type attribute. */
export function entityOfState(rules: RuleSet, state: ItemState): Entity {
  return entityFor(rules, state.key, (name) => latestValue(state.registers[name]));
}

/** The value of the latest surviving write of an attribute (what a type attribute says). */
export function latestValue(register: Register | undefined): AttributeValue | undefined {
  if (register === undefined) return undefined;
  const dots = Object.keys(register).sort();
  return register[dots[dots.length - 1] as string] ?? undefined;
}

/** An item state projected under the rules. */
export interface Projection {
  readonly image: AttributeMap;
  readonly entity: Entity;
  readonly deleted: boolean;
  /** The attributes the image shows (key, envelope and TTL attribute aside). */
  readonly visible: AttributeMap;
  /** Attributes holding more than one surviving write (counters and sets excepted). */
  readonly siblings: Readonly<Record<string, Register>>;
}

/**
 * Projects a state to the image to store.
 *
 * @throws RuleApplicationError when a value does not suit its rule
 * @example
 * const { image } = encodeItem(state, rules);
 * await client.send(new PutItemCommand({ TableName, Item: toSdkImage(image) }));
 */
export function encodeItem(state: ItemState, rules: RuleSet): Projection {
  const { table } = rules;
  const entity = entityOfState(rules, state);
  const deleted = isDeleted(state.ex, entity.onDelete);
  const visible: AttributeMap = {};
  const fc: AttributeMap = {};
  const crdt: AttributeMap = {};
  const sib: AttributeMap = {};
  const siblings: Record<string, Register> = {};
  const lists = new DotLists();
  for (const name of sortedKeys(state.registers, state.counters, state.sets)) {
    const rule = ruleFor(entity, name);
    const register = state.registers[name] ?? {};
    const dots = dotsOf(register);
    if (dots.length > 0) fc[name] = lists.of(dots);
    let value: AttributeValue | undefined;
    if (rule.kind === RuleKind.Counter) {
      const counter = counterOf(state, name, entity.name);
      if (!isEmpty(counter) || state.counters[name] !== undefined) crdt[name] = encodeCounter(counter);
      if (!isEmpty(register)) value = { N: String(counterTotal(counter)) };
    } else if (rule.kind === RuleKind.AddWinsSet) {
      const set = setOf(state, name, entity.name);
      const members = setMembers(set);
      if (members.length > 0 || state.sets[name] !== undefined) crdt[name] = encodeSet(set, members, lists);
      if (members.length > 0) value = { SS: members };
    } else {
      value = pick(rule, register, entity.name, name);
      if (dots.length > 1) siblings[name] = register;
      // The visible value holds a lone write; siblings, and a tombstone's values, live in crdt.sib.
      const values = dots.length > 1 || deleted ? valuesOf(register) : {};
      if (!isEmpty(values)) sib[name] = { M: values };
    }
    // State kept under another kind (the rules changed) is carried, not dropped.
    if (rule.kind !== RuleKind.Counter && state.counters[name] !== undefined) crdt[name] = encodeCounter(state.counters[name]);
    if (rule.kind !== RuleKind.AddWinsSet && state.sets[name] !== undefined) crdt[name] = encodeSet(state.sets[name], setMembers(state.sets[name]), lists);
    if (value !== undefined && !deleted) visible[name] = value;
  }
  if (!isEmpty(sib)) crdt.sib = { M: sib };
  const envelope: AttributeMap = {
    by: { S: state.by },
    ...(isEmpty(crdt) ? {} : { crdt: { M: crdt } }),
    ex: { M: mapValues(state.ex, (exists) => ({ BOOL: exists })) },
    fc: { M: fc },
    ...(isEmpty(state.gaps) ? {} : { gaps: { M: mapValues(state.gaps, (gaps) => ({ L: gaps.map(([lo, hi]) => ({ L: [{ S: lo }, { S: hi }] })) })) } }),
    hlc: { S: latestClock(state.vv) ?? '' },
    ...(state.tip === '' ? {} : { tip: { S: state.tip } }),
    vv: { M: mapValues(state.vv, (clock) => ({ S: clock })) },
    wid: { S: state.wid },
  };
  // Keys, then visible attributes in name order, then the envelope: the same order
  // whatever the inputs were, so equal states give equal bytes.
  const image: AttributeMap = { ...keyInOrder(state.key, table), ...visible, [table.envelopeAttribute]: { M: envelope } };
  if (deleted) image[table.ttlAttribute] = { N: String(tombstoneExpiry(state.ex, table.tombstoneRetentionSeconds)) };
  return { image, entity, deleted, visible, siblings };
}

/** When TTL may collect a tombstone: its latest delete plus the retention, in epoch seconds. */
export function tombstoneExpiry(ex: Readonly<Record<Clock, boolean>>, retentionSeconds: number): number {
  let latest = '';
  for (const dot in ex) if (!ex[dot] && dot > latest) latest = dot;
  return Math.floor(clockWallMs(latest) / 1000) + retentionSeconds;
}

/** A register's dots in order, the legacy dot left out (it is never stored). */
function dotsOf(register: Register): Clock[] {
  const dots = Object.keys(register);
  if (dots.length === 1) return dots[0] === LEGACY_DOT ? [] : dots;
  return dots.filter((dot) => dot !== LEGACY_DOT).sort();
}

function valuesOf(register: Register): AttributeMap {
  const values: AttributeMap = {};
  for (const dot of Object.keys(register).sort()) {
    const value = register[dot];
    if (value !== null && value !== undefined && dot !== '') values[dot] = value;
  }
  return values;
}

function encodeCounter(counter: CounterState): AttributeValue {
  return { M: mapValues(counter, (slot) => ({ M: { n: { N: String(slot.n) }, p: { N: String(slot.p) } } })) };
}

/** An add-wins set's state, given its members in order (its elements all hold dots). */
function encodeSet(set: SetState, members: readonly string[], lists: DotLists): AttributeValue {
  const encoded: AttributeMap = {};
  for (const element of members) encoded[element] = lists.of(set[element] as readonly Clock[]);
  return { M: encoded };
}

/**
 * Encoded dot lists, shared within one image: one write stamps many attributes and set
 * elements with the same dot, and attribute values are never mutated.
 */
class DotLists {
  private readonly encoded = new Map<string, AttributeValue>();

  of(dots: readonly Clock[]): AttributeValue {
    const id = dots.length === 1 ? (dots[0] as Clock) : dots.join(' ');
    let list = this.encoded.get(id);
    if (list === undefined) {
      list = { L: dots.map((dot) => ({ S: dot })) };
      this.encoded.set(id, list);
    }
    return list;
  }
}

function mapValues<T>(record: Readonly<Record<string, T>>, to: (value: T) => AttributeValue): AttributeMap {
  const mapped: AttributeMap = {};
  for (const key of Object.keys(record).sort()) mapped[key] = to(record[key] as T);
  return mapped;
}

function keyInOrder(key: AttributeMap, table: RuleSet['table']): AttributeMap {
  const ordered: AttributeMap = {};
  for (const name of [table.partitionKey, table.sortKey]) if (name !== null && key[name] !== undefined) ordered[name] = key[name] as AttributeValue;
  return ordered;
}
