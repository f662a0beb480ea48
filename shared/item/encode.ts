/**
 * The projection of an item state to the DynamoDB image Concord stores (design §4):
 * visible attributes as plain values any tool can read, and `_cc` with what the merge
 * needs beyond them. Deterministic: equal states give equal bytes, keys in sorted order.
 * The tip's epoch is written bare (clock alone, region alone) so that the writer's
 * one-call update can extend it without knowing its tag.
 */
import { clockWallMs, type Clock } from '../clock/hlc';
import { actorRegion, dotActor, dotClock, LEGACY_DOT, type Actor, type Dot } from '../clock/dot';
import { dict } from '../dynamodb/dict';
import { pick } from '../merge/pick';
import { entityFor, ruleFor } from '../rules/define-rules';
import { DeletePolicy, RuleKind, type Entity, type RuleSet } from '../rules/types';
import type { AttributeMap, AttributeValue } from '../dynamodb/attribute-value';
import { counterOf, counterTotal, setMembers, setOf } from './crdt';
import { type CounterState, type ItemState, type Register, type SetState } from './state';

/** True when the surviving existence writes make the item a tombstone under `policy`. */
export function isDeleted(ex: ReadonlyMap<Dot, boolean>, policy: Entity['onDelete']): boolean {
  let writes = false;
  let deletes = false;
  for (const exists of ex.values()) {
    if (exists) writes = true;
    else deletes = true;
  }
  return deletes && (!writes || policy === DeletePolicy.DeleteWins);
}

/** The entity of an item state: by key, or by the latest value of a type attribute. */
export function entityOfState(rules: RuleSet, state: ItemState): Entity {
  return entityFor(rules, state.key, (name) => latestValue(state.registers.get(name)));
}

/** The value of the latest surviving write of an attribute (what a type attribute says). */
export function latestValue(register: Register | undefined): AttributeValue | undefined {
  if (register === undefined) return undefined;
  let latest: Dot | undefined;
  for (const dot of register.keys()) if (latest === undefined || dot > latest) latest = dot;
  return latest === undefined ? undefined : (register.get(latest) ?? undefined);
}

/** An item state projected under the rules. */
export interface Projection {
  readonly image: AttributeMap;
  readonly entity: Entity;
  readonly deleted: boolean;
  /** The attributes the image shows (key, envelope and TTL attribute aside). */
  readonly visible: AttributeMap;
  /** Attributes holding more than one surviving write (counters and sets excepted). */
  readonly siblings: ReadonlyMap<string, Register>;
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
  const wire = new WireDots(state.tip);
  const visible = dict<AttributeValue>();
  const fc = dict<AttributeValue>();
  const crdt = dict<AttributeValue>();
  const sib = dict<AttributeValue>();
  const siblings = new Map<string, Register>();
  for (const name of [...new Set([...state.registers.keys(), ...state.counters.keys(), ...state.sets.keys()])].sort()) {
    const rule = ruleFor(entity, name);
    const register = state.registers.get(name) ?? EMPTY_REGISTER;
    const dots = storedDots(register);
    if (dots.length > 0) fc[name] = wire.list(dots);
    let value: AttributeValue | undefined;
    if (rule.kind === RuleKind.Counter) {
      const counter = counterOf(state, name, entity.name);
      if (counter.size > 0 || state.counters.has(name)) crdt[name] = encodeCounter(counter, wire);
      if (register.size > 0) value = { N: counterTotal(counter).toString() };
    } else if (rule.kind === RuleKind.AddWinsSet) {
      const set = setOf(state, name, entity.name);
      const members = setMembers(set);
      if (members.length > 0 || state.sets.has(name)) crdt[name] = encodeSet(set, members, wire);
      if (members.length > 0) value = { SS: members };
    } else {
      value = pick(rule, register, entity.name, name);
      if (dots.length > 1) siblings.set(name, register);
      // The visible value holds a lone write; siblings, and a tombstone's values, live in crdt.sib.
      if (dots.length > 1 || deleted) {
        const values = valuesOf(register, wire);
        if (Object.keys(values).length > 0) sib[name] = { M: values };
      }
    }
    // State kept under another kind (the rules changed) is carried, not dropped.
    const counter = state.counters.get(name);
    const set = state.sets.get(name);
    if (rule.kind !== RuleKind.Counter && counter !== undefined) crdt[name] = encodeCounter(counter, wire);
    if (rule.kind !== RuleKind.AddWinsSet && set !== undefined) crdt[name] = encodeSet(set, setMembers(set), wire);
    if (value !== undefined && !deleted) visible[name] = value;
  }
  if (Object.keys(sib).length > 0) crdt.sib = { M: sib };
  const envelope = dict<AttributeValue>();
  envelope.by = { S: state.by };
  if (Object.keys(crdt).length > 0) envelope.crdt = { M: crdt };
  envelope.ex = { M: sortedMap(state.ex, (dot) => wire.dot(dot), (exists) => ({ BOOL: exists })) };
  envelope.fc = { M: fc };
  if (state.context.floors.size > 0) envelope.fl = { M: sortedMap(state.context.floors, (region) => region, (clock) => ({ S: clock })) };
  if (state.holds.size > 0) envelope.hold = { M: sortedMap(state.holds, (actor) => actor, ([first, last]) => ({ L: [{ S: first }, { S: last }] })) };
  if (state.tip !== undefined) envelope.tip = { S: state.tip };
  envelope.vv = { M: sortedMap(state.context.vv, (actor) => wire.actor(actor), (clock) => ({ S: clock })) };
  envelope.wid = { S: state.wid };
  // Keys, then visible attributes in name order, then the envelope: the same order
  // whatever the inputs were, so equal states give equal bytes.
  const image = dict<AttributeValue>();
  for (const name of [table.partitionKey, table.sortKey]) if (name !== null && Object.hasOwn(state.key, name)) image[name] = state.key[name] as AttributeValue;
  for (const name of Object.keys(visible)) image[name] = visible[name] as AttributeValue;
  image[table.envelopeAttribute] = { M: envelope };
  if (deleted) image[table.ttlAttribute] = { N: String(tombstoneExpiry(state.ex, table.tombstoneRetentionSeconds)) };
  return { image, entity, deleted, visible, siblings };
}

const EMPTY_REGISTER: Register = new Map();

/** When TTL may collect a tombstone: its latest delete plus the retention, in epoch seconds. */
export function tombstoneExpiry(ex: ReadonlyMap<Dot, boolean>, retentionSeconds: number): number {
  let latest: Clock = '';
  for (const [dot, exists] of ex) if (!exists && dotClock(dot) > latest) latest = dotClock(dot);
  return Math.floor(clockWallMs(latest) / 1000) + retentionSeconds;
}

/** A register's dots in order, the legacy dot left out (it is never stored). */
function storedDots(register: Register): Dot[] {
  const dots: Dot[] = [];
  for (const dot of register.keys()) if (dot !== LEGACY_DOT) dots.push(dot);
  return dots.length > 1 ? dots.sort() : dots;
}

function valuesOf(register: Register, wire: WireDots): AttributeMap {
  const values = dict<AttributeValue>();
  for (const dot of [...register.keys()].sort()) {
    const value = register.get(dot);
    if (value !== null && value !== undefined && dot !== LEGACY_DOT) values[wire.dot(dot)] = value;
  }
  return values;
}

function encodeCounter(counter: CounterState, wire: WireDots): AttributeValue {
  return { M: sortedMap(counter, (key) => wire.actor(key), (slot) => ({ M: { n: { N: slot.n.toString() }, p: { N: slot.p.toString() } } })) };
}

/** An add-wins set's state, given its members in order (its elements all hold dots). */
function encodeSet(set: SetState, members: readonly string[], wire: WireDots): AttributeValue {
  const encoded = dict<AttributeValue>();
  for (const element of members) encoded[element] = wire.list(set.get(element) as readonly Dot[]);
  return { M: encoded };
}

/** A map's entries under their wire keys, in the wire keys' order. */
function sortedMap<K, V>(map: ReadonlyMap<K, V>, keyOf: (key: K) => string, to: (value: V) => AttributeValue): AttributeMap {
  const entries = [...map].map(([key, value]) => [keyOf(key), value] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const encoded = dict<AttributeValue>();
  for (const [key, value] of entries) encoded[key] = to(value);
  return encoded;
}

/**
 * The wire form of dots and actors: the tip's epoch bare (clock alone; region alone as a
 * key), every other one in full. Encoded dot lists are shared within one image: one write
 * stamps many attributes and set elements with the same dot, and values are never mutated.
 */
class WireDots {
  private readonly lists = new Map<string, AttributeValue>();
  private readonly tipRegion: string | undefined;

  constructor(private readonly tip: Actor | undefined) {
    this.tipRegion = tip === undefined ? undefined : actorRegion(tip);
  }

  dot(dot: Dot): string {
    return dot !== LEGACY_DOT && dotActor(dot) === this.tip ? dotClock(dot) : dot;
  }

  actor(key: string): string {
    return key === this.tip ? (this.tipRegion as string) : key;
  }

  list(dots: readonly Dot[]): AttributeValue {
    const id = dots.length === 1 ? (dots[0] as Dot) : dots.join(' ');
    let list = this.lists.get(id);
    if (list === undefined) {
      list = { L: dots.map((dot) => ({ S: this.dot(dot) })) };
      this.lists.set(id, list);
    }
    return list;
  }
}
