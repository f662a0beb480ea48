/**
 * The in-memory form of a Concord item (design §4): its key, its causal context, and
 * every attribute as the set of writes that survive (a multi-value register), plus
 * counter and set state. Decoded and validated once from a DynamoDB image; the image is
 * a projection of this state under the rules (see encode.ts). Every name-keyed part is a
 * Map: attribute names and set elements are user data.
 */
import { EnvelopeError, MalformedAttributeError } from '../errors';
import { CLOCK_LENGTH, isClock, type Clock } from '../clock/hlc';
import { actorRegion, dotOf, isActor, isDot, isRegionName, LEGACY_DOT, type Actor, type Dot } from '../clock/dot';
import { NOTHING_SEEN, type CausalContext } from '../clock/context';
import { dict, hasOwn } from '../dynamodb/dict';
import { wholeNumber } from '../dynamodb/number';
import { parseAttributeValue, type AttributeMap, type AttributeValue } from '../dynamodb/attribute-value';
import type { TableSettings } from '../rules/types';

export { LEGACY_DOT };

/** The writes of one attribute that survive: dot to value, `null` for a removal. */
export type Register = ReadonlyMap<Dot, AttributeValue | null>;
/** One slot of a PN-counter: `p` and `n` only grow, along one epoch. */
export interface PnSlot {
  readonly p: bigint;
  readonly n: bigint;
}
/** A PN-counter: slot key (an actor, `<region>^`, or `legacy`) to slot; the total is Σp − Σn. */
export type CounterState = ReadonlyMap<string, PnSlot>;
/** An add-wins set: element to the dots of the adds that survive. */
export type SetState = ReadonlyMap<string, readonly Dot[]>;
/** A quarantined epoch's dots, from the first to the last one a hold protects (design §5.4). */
export type Hold = readonly [first: Clock, last: Clock];

/** The counter slot that holds a counter's value from before Concord managed it. */
export const LEGACY_SLOT = 'legacy';
const FOLDED = '^';

/** The counter slot of a region's folded epochs. */
export function foldedSlot(region: string): string {
  return `${region}${FOLDED}`;
}

/** The region of a folded slot key, or undefined for another key. */
export function foldedSlotRegion(key: string): string | undefined {
  return key.endsWith(FOLDED) ? key.slice(0, -1) : undefined;
}

/** A decoded item. */
export interface ItemState {
  readonly key: AttributeMap;
  /** False for an item no Concord writer has touched (or no item at all). */
  readonly versioned: boolean;
  readonly context: CausalContext;
  /** The epoch whose line this version is on (design §3.2); lineage, not state. */
  readonly tip: Actor | undefined;
  readonly holds: ReadonlyMap<string, Hold>;
  /** Existence writes that survive: dot to `true` (a write) or `false` (a delete). */
  readonly ex: ReadonlyMap<Dot, boolean>;
  readonly by: string;
  readonly wid: string;
  readonly registers: ReadonlyMap<string, Register>;
  readonly counters: ReadonlyMap<string, CounterState>;
  readonly sets: ReadonlyMap<string, SetState>;
}

/** Formats a key for messages and logs: `pk=CART#1 sk=CART`. */
export function describeKey(key: AttributeMap): string {
  return Object.keys(key)
    .sort()
    .map((name) => {
      const value = key[name] as Record<string, unknown>;
      const scalar = value.S ?? value.N ?? value.B;
      return `${name}=${typeof scalar === 'string' ? scalar : JSON.stringify(value)}`;
    })
    .join(' ');
}

/** An image as it arrives: a stream record's or an SDK response's, not yet validated. */
export type RawImage = Readonly<Record<string, unknown>>;

/**
 * Picks the key attributes of an image.
 *
 * @throws MalformedAttributeError when a key attribute value is malformed
 */
export function keyOf(image: RawImage, table: TableSettings): AttributeMap {
  const key = dict<AttributeValue>();
  for (const name of [table.partitionKey, table.sortKey]) {
    if (name !== null && hasOwn(image, name) && image[name] !== undefined) key[name] = parseAttributeValue(image[name], name);
  }
  return key;
}

const NO_HOLDS: ReadonlyMap<string, Hold> = new Map();

/** The state of an item that does not exist yet. */
export function emptyState(key: AttributeMap): ItemState {
  return { key, versioned: false, context: NOTHING_SEEN, tip: undefined, holds: NO_HOLDS, ex: new Map(), by: '', wid: '', registers: new Map(), counters: new Map(), sets: new Map() };
}

/** A decoded image: its state, and the attributes it shows (validated, canonical). */
export interface DecodedImage {
  readonly state: ItemState;
  readonly visible: AttributeMap;
}

/**
 * Validates and decodes an image in one pass: visible attributes must be well-formed
 * attribute values, and the envelope must follow design §4.
 *
 * @throws MalformedAttributeError naming the attribute path and the reason
 * @throws EnvelopeError naming the key, the envelope field and the reason
 * @example
 * const { state, visible } = readImage(record.dynamodb.NewImage, rules.table);
 */
export function readImage(image: RawImage, table: TableSettings, key: AttributeMap = keyOf(image, table)): DecodedImage {
  if (image === null || typeof image !== 'object') throw new MalformedAttributeError('(image)', 'an image must be a map of attribute values');
  const visible = dict<AttributeValue>();
  for (const name in image) {
    if (name !== table.envelopeAttribute && name !== table.ttlAttribute && !hasOwn(key, name)) visible[name] = parseAttributeValue(image[name], name);
  }
  const raw = hasOwn(image, table.envelopeAttribute) ? image[table.envelopeAttribute] : undefined;
  const state = raw === undefined ? legacyState(key, visible) : new EnvelopeReader(key, table.envelopeAttribute).read(raw, key, visible);
  return { state, visible };
}

/**
 * Decodes an image into an item state. Attributes without field clocks (written before
 * Concord) become registers with the legacy dot.
 *
 * @throws MalformedAttributeError naming the attribute path and the reason
 * @throws EnvelopeError naming the key, the envelope field and the reason
 * @example
 * const state = decodeItem(record.dynamodb.NewImage, rules.table);
 */
export function decodeItem(image: RawImage, table: TableSettings, key?: AttributeMap): ItemState {
  return readImage(image, table, key).state;
}

function legacyState(key: AttributeMap, visible: AttributeMap): ItemState {
  const registers = new Map<string, Register>();
  for (const name of Object.keys(visible).sort()) registers.set(name, new Map([[LEGACY_DOT, visible[name] as AttributeValue]]));
  return { ...emptyState(key), registers };
}

type Fields = Readonly<Record<string, unknown>>;

const TYPE_KEYS = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'] as const;

/**
 * The payload of a wire-form value of `type`, or undefined when the value is of another
 * shape (type keys holding null beside it are tolerated, as in parseAttributeValue).
 */
function payload(value: unknown, type: 'M' | 'L' | 'S' | 'N' | 'BOOL'): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !hasOwn(value, type)) return undefined;
  const found = (value as Record<string, unknown>)[type];
  if (found === null || found === undefined) return undefined;
  for (const other of TYPE_KEYS) {
    if (other !== type && hasOwn(value, other)) {
      const member = (value as Record<string, unknown>)[other];
      if (member !== null && member !== undefined) return undefined;
    }
  }
  return found;
}

/** Reads `_cc` from the wire form, with one error type for every way it can be malformed. */
class EnvelopeReader {
  private tip: Actor | undefined;

  constructor(
    private readonly key: AttributeMap,
    private readonly root: string,
  ) {}

  read(raw: unknown, key: AttributeMap, visible: AttributeMap): ItemState {
    const envelope = this.map(raw, '');
    if (hasOwn(envelope, 'gaps') || hasOwn(envelope, 'hlc')) this.fail('', 'is an envelope of Concord 0.1 (gaps, hlc), which this version does not read');
    this.tip = this.tipOf(this.member(envelope, 'tip'));
    const context = this.context(this.member(envelope, 'fl'), this.member(envelope, 'vv') ?? this.fail('vv', 'is missing'));
    const fc = this.optionalMap(this.member(envelope, 'fc'), 'fc');
    const ex = new Map<Dot, boolean>();
    const exMap = this.optionalMap(this.member(envelope, 'ex'), 'ex');
    for (const name of Object.keys(exMap).sort()) {
      const exists = payload(exMap[name], 'BOOL');
      if (typeof exists !== 'boolean') this.fail(`ex.${name}`, 'must be a BOOL');
      ex.set(this.dot(name, `ex.${name}`, false), exists);
    }
    const crdt = this.optionalMap(this.member(envelope, 'crdt'), 'crdt');
    const sib = this.optionalMap(hasOwn(crdt, 'sib') ? crdt.sib : undefined, 'crdt.sib');
    const counters = new Map<string, CounterState>();
    const sets = new Map<string, SetState>();
    for (const name of Object.keys(crdt).sort()) if (name !== 'sib') this.readCrdt(name, crdt[name], counters, sets);
    const registers = new Map<string, Register>();
    for (const name of [...new Set([...Object.keys(fc), ...Object.keys(visible), ...Object.keys(sib)])].sort()) {
      const register = this.readRegister(name, hasOwn(fc, name) ? fc[name] : undefined, hasOwn(sib, name) ? sib[name] : undefined, hasOwn(visible, name) ? visible[name] : undefined);
      if (register !== undefined) registers.set(name, register);
    }
    return {
      key,
      versioned: true,
      context,
      tip: this.tip,
      holds: this.holds(this.member(envelope, 'hold')),
      ex,
      by: this.string(this.member(envelope, 'by'), 'by'),
      wid: this.string(this.member(envelope, 'wid'), 'wid'),
      registers,
      counters,
      sets,
    };
  }

  private member(fields: Fields, name: string): unknown {
    return hasOwn(fields, name) ? fields[name] : undefined;
  }

  private tipOf(value: unknown): Actor | undefined {
    if (value === undefined) return undefined;
    const tip = payload(value, 'S');
    if (!isActor(tip)) this.fail('tip', 'must be an actor <region>~<tag> (S)');
    return tip;
  }

  private context(rawFloors: unknown, rawVv: unknown): CausalContext {
    const floors = new Map<string, Clock>();
    const floorMembers = this.optionalMap(rawFloors, 'fl');
    for (const region of Object.keys(floorMembers).sort()) {
      if (!isRegionName(region)) this.fail(`fl.${region}`, 'keys must be region names');
      floors.set(region, this.clock(floorMembers[region], `fl.${region}`));
    }
    const vv = new Map<Actor, Clock>();
    const members = this.map(rawVv, 'vv');
    for (const name of Object.keys(members).sort()) {
      const actor = this.actorKey(name, `vv.${name}`);
      const clock = this.clock(members[name], `vv.${name}`);
      const floor = floors.get(actorRegion(actor));
      if (floor !== undefined && clock <= floor) this.fail(`vv.${name}`, `is at or below its region's floor ${floor}`);
      vv.set(actor, clock);
    }
    return { floors, vv };
  }

  private holds(value: unknown): ReadonlyMap<string, Hold> {
    if (value === undefined) return NO_HOLDS;
    const members = this.map(value, 'hold');
    const holds = new Map<string, Hold>();
    for (const actor of Object.keys(members).sort()) {
      if (!isActor(actor) && !isRegionName(actor)) this.fail(`hold.${actor}`, 'keys must be actors or regions');
      const ends = payload(members[actor], 'L');
      if (!Array.isArray(ends) || ends.length !== 2) this.fail(`hold.${actor}`, 'must be a [first, last] pair of clocks');
      const [first, last] = [this.clock(ends[0], `hold.${actor}[0]`), this.clock(ends[1], `hold.${actor}[1]`)];
      if (first > last) this.fail(`hold.${actor}`, 'first must not be after last');
      holds.set(actor, [first, last]);
    }
    return holds;
  }

  private readCrdt(name: string, value: unknown, counters: Map<string, CounterState>, sets: Map<string, SetState>): void {
    const members = this.map(value, `crdt.${name}`);
    const names = Object.keys(members).sort();
    // The first member tells a counter (slots are maps) from a set (elements are lists).
    if (names.length > 0 && payload(members[names[0] as string], 'M') !== undefined) {
      const slots = new Map<string, PnSlot>();
      for (const slot of names) {
        const fields = payload(members[slot], 'M') as Fields | undefined;
        if (fields === undefined) this.fail(`crdt.${name}.${slot}`, 'a counter slot must be a map and a set element a list of dots');
        slots.set(this.slotKey(slot, `crdt.${name}.${slot}`), {
          p: this.count(hasOwn(fields, 'p') ? fields.p : undefined, `crdt.${name}.${slot}.p`),
          n: this.count(hasOwn(fields, 'n') ? fields.n : undefined, `crdt.${name}.${slot}.n`),
        });
      }
      counters.set(name, slots);
    } else {
      const elements = new Map<string, readonly Dot[]>();
      for (const element of names) {
        const dots = payload(members[element], 'L');
        if (!Array.isArray(dots)) this.fail(`crdt.${name}.${element}`, 'a counter slot must be a map and a set element a list of dots');
        elements.set(element, this.dots(dots, `crdt.${name}.${element}`, true));
      }
      sets.set(name, elements);
    }
  }

  private slotKey(key: string, field: string): string {
    if (key === LEGACY_SLOT || isActor(key)) return key;
    const folded = foldedSlotRegion(key);
    if (folded !== undefined && isRegionName(folded)) return key;
    return this.actorKey(key, field);
  }

  private readRegister(name: string, fc: unknown, sib: unknown, visible: AttributeValue | undefined): Register | undefined {
    if (fc === undefined) {
      if (sib !== undefined) this.fail(`crdt.sib.${name}`, 'siblings without field clocks');
      return visible === undefined ? undefined : new Map([[LEGACY_DOT, visible]]);
    }
    const list = payload(fc, 'L');
    if (!Array.isArray(list)) this.fail(`fc.${name}`, 'must be a list of dots');
    const dots = this.dots(list, `fc.${name}`, false);
    if (dots.length === 0) this.fail(`fc.${name}`, 'must hold at least one dot');
    const register = new Map<Dot, AttributeValue | null>();
    if (sib === undefined) {
      for (const dot of dots) register.set(dot, dots.length === 1 ? (visible ?? null) : null);
      return register;
    }
    const values = this.map(sib, `crdt.sib.${name}`);
    const byDot = new Map<Dot, unknown>();
    for (const wire of Object.keys(values)) {
      const dot = this.dot(wire, `crdt.sib.${name}.${wire}`, false);
      if (!dots.includes(dot)) this.fail(`crdt.sib.${name}.${wire}`, 'a sibling whose dot is not in fc');
      byDot.set(dot, values[wire]);
    }
    for (const dot of dots) {
      const value = byDot.get(dot);
      register.set(dot, value === undefined ? null : parseAttributeValue(value, `${this.root}.crdt.sib.${name}`));
    }
    return register;
  }

  /** A vv or slot key: an actor, or the bare region of the tip's epoch. */
  private actorKey(key: string, field: string): Actor {
    if (isActor(key)) return key;
    if (this.tip !== undefined && key === actorRegion(this.tip)) return this.tip;
    return this.fail(field, this.tip === undefined ? 'a bare region key needs a tip' : `keys must be actors or the tip's region ${actorRegion(this.tip)}`);
  }

  private optionalMap(value: unknown, field: string): Fields {
    return value === undefined ? dict<unknown>() : this.map(value, field);
  }

  private map(value: unknown, field: string): Fields {
    const fields = payload(value, 'M');
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) this.fail(field, 'must be a map (M)');
    return fields as Fields;
  }

  private clock(value: unknown, field: string): Clock {
    const clock = payload(value, 'S');
    if (!isClock(clock)) this.fail(field, 'must be a clock string <13-digit ms>.<5-digit counter> (S)');
    return clock;
  }

  private dots(list: unknown[], field: string, allowLegacy: boolean): Dot[] {
    const dots = list.map((value, i) => {
      const wire = payload(value, 'S');
      if (typeof wire !== 'string') this.fail(`${field}[${i}]`, 'must be a dot string (S)');
      return this.dot(wire, `${field}[${i}]`, allowLegacy);
    });
    return dots.length > 1 ? dots.sort() : dots;
  }

  /** A dot in wire form: a full dot, or the bare clock of a write of the tip's epoch. */
  private dot(wire: string, field: string, allowLegacy: boolean): Dot {
    if (wire.length === CLOCK_LENGTH && isClock(wire)) {
      if (this.tip === undefined) this.fail(field, 'a bare clock needs a tip');
      return dotOf(wire, this.tip);
    }
    if (isDot(wire) || (allowLegacy && wire === LEGACY_DOT)) return wire;
    return this.fail(field, 'must be a dot <clock>.<region>~<tag>, or a bare clock of the tip');
  }

  /** An optional string field: absent reads as empty. */
  private string(value: unknown, field: string): string {
    if (value === undefined) return '';
    const text = payload(value, 'S');
    if (typeof text !== 'string') this.fail(field, 'must be a string (S)');
    return text;
  }

  private count(value: unknown, field: string): bigint {
    const raw = payload(value, 'N');
    const count = typeof raw === 'string' ? wholeNumber(raw) : undefined;
    if (count === undefined || count < 0n) this.fail(field, 'a counter slot must hold a whole number ≥ 0');
    return count;
  }

  private fail(field: string, reason: string): never {
    throw new EnvelopeError(describeKey(this.key), field === '' ? this.root : `${this.root}.${field}`, reason);
  }
}

/** True when a state is on `region`'s line: its tip is an epoch of that region. */
export function isOnLineOf(state: ItemState, region: string): boolean {
  return state.tip !== undefined && actorRegion(state.tip) === region;
}
