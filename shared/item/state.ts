/**
 * The in-memory form of a Concord item: its key, its version vector, and every
 * attribute as the set of writes that survive (a multi-value register), plus counter
 * and set state. Decoded once from a DynamoDB image; the visible image is a
 * projection of this state under the rules (see `encode.ts`).
 */
import { EnvelopeError, MalformedAttributeError } from '../errors';
import { sortedKeys } from '../merge/dots';
import { clockRegion, isClock, type Clock } from '../clock/hlc';
import type { CausalContext, Gap, Gaps } from '../clock/context';
import { parseAttributeValue, type AttributeMap, type AttributeValue } from '../dynamodb/attribute-value';
import type { TableSettings } from '../rules/types';

/** The writes of one attribute that survive: dot to value, `null` for a removal. */
export type Register = Readonly<Record<Clock, AttributeValue | null>>;
/** One slot of a PN-counter: `p` and `n` only grow, along one history of the item. */
export interface PnSlot {
  readonly p: number;
  readonly n: number;
}
/**
 * A PN-counter: slot key to slot; the total is Σp − Σn. A region's slot is keyed by the
 * region; while its history of the item has a gap, its increments go to a branch slot
 * keyed `<region>@<dot>` (the dot that opened the gap), folded back later.
 */
export type CounterState = Readonly<Record<string, PnSlot>>;
/** An add-wins set: element to the dots of the writes that added it. */
export type SetState = Readonly<Record<string, readonly Clock[]>>;

/**
 * The dot of a value that predates Concord on the item (no field clock): every version
 * has seen it, so any Concord write of the attribute replaces it.
 */
export const LEGACY_DOT = '';
/** The counter slot that holds a counter's value from before Concord managed it. */
export const LEGACY_SLOT = 'legacy';

/** A decoded item. */
export interface ItemState {
  readonly key: AttributeMap;
  /** False for an item no Concord writer has touched (or no item at all). */
  readonly versioned: boolean;
  readonly vv: Readonly<Record<string, Clock>>;
  /** Ranges of a region's dots below its `vv` entry that this version has not seen. */
  readonly gaps: Gaps;
  /**
   * The region whose every write to the item this version holds (its latest write was
   * made there, or a resolution there was written over such a version); '' if none.
   */
  readonly tip: string;
  /** Existence writes that survive: dot to `true` (a write) or `false` (a delete). */
  readonly ex: Readonly<Record<Clock, boolean>>;
  readonly by: string;
  readonly wid: string;
  readonly registers: Readonly<Record<string, Register>>;
  readonly counters: Readonly<Record<string, CounterState>>;
  readonly sets: Readonly<Record<string, SetState>>;
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
  const key: AttributeMap = {};
  for (const name of [table.partitionKey, table.sortKey]) {
    if (name !== null && image[name] !== undefined) key[name] = parseAttributeValue(image[name], name);
  }
  return key;
}

/** The state of an item that does not exist yet. */
export function emptyState(key: AttributeMap): ItemState {
  return { key, versioned: false, vv: {}, gaps: {}, tip: '', ex: {}, by: '', wid: '', registers: {}, counters: {}, sets: {} };
}

/** A decoded image: its state, and the attributes it shows (validated, canonical). */
export interface DecodedImage {
  readonly state: ItemState;
  readonly visible: AttributeMap;
}

/**
 * Validates and decodes an image in one pass: visible attributes must be well-formed
 * attribute values, and the envelope must follow design.md §2.
 *
 * @throws MalformedAttributeError naming the attribute path and the reason
 * @throws EnvelopeError naming the key, the envelope field and the reason
 * @example
 * const { state, visible } = readImage(record.dynamodb.NewImage, rules.table);
 */
export function readImage(image: RawImage, table: TableSettings, key: AttributeMap = keyOf(image, table)): DecodedImage {
  if (image === null || typeof image !== 'object') throw new MalformedAttributeError('(image)', 'an image must be a map of attribute values');
  const visible: AttributeMap = {};
  for (const name in image) {
    if (name !== table.envelopeAttribute && name !== table.ttlAttribute && key[name] === undefined) visible[name] = parseAttributeValue(image[name], name);
  }
  const raw = image[table.envelopeAttribute];
  const state = raw === undefined ? legacyState(key, visible) : new EnvelopeReader(describeKey(key), table.envelopeAttribute).read(raw, key, visible);
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
  const registers: Record<string, Register> = {};
  for (const name of Object.keys(visible).sort()) registers[name] = { [LEGACY_DOT]: visible[name] as AttributeValue };
  return { ...emptyState(key), registers };
}

type Fields = Readonly<Record<string, unknown>>;

/**
 * The payload of a wire-form value of `type`, or undefined when the value is of another
 * shape (type keys holding null beside it are tolerated, as in parseAttributeValue).
 */
function payload(value: unknown, type: 'M' | 'L' | 'S' | 'N' | 'BOOL'): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const found = (value as Record<string, unknown>)[type];
  if (found === null || found === undefined) return undefined;
  // Reading the other type keys is cheaper than enumerating the value's keys.
  for (const other of TYPE_KEYS) {
    const member = (value as Record<string, unknown>)[other];
    if (other !== type && member !== null && member !== undefined) return undefined;
  }
  return found;
}

const TYPE_KEYS = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'] as const;

/** Reads `_cc` from the wire form, with one error type for every way it can be malformed. */
class EnvelopeReader {
  constructor(
    private readonly key: string,
    private readonly root: string,
  ) {}

  read(raw: unknown, key: AttributeMap, visible: AttributeMap): ItemState {
    const envelope = this.map(raw, '');
    const vv = this.clockMap(envelope.vv ?? this.fail('vv', 'is missing'), 'vv');
    const gaps = envelope.gaps === undefined ? {} : this.readGaps(envelope.gaps, vv);
    const fc = envelope.fc === undefined ? {} : this.map(envelope.fc, 'fc');
    const ex: Record<Clock, boolean> = {};
    const exMap = envelope.ex === undefined ? {} : this.map(envelope.ex, 'ex');
    for (const dot in exMap) {
      if (!isClock(dot)) this.fail(`ex.${dot}`, 'keys must be clocks');
      const exists = payload(exMap[dot], 'BOOL');
      if (typeof exists !== 'boolean') this.fail(`ex.${dot}`, 'must be a BOOL');
      ex[dot] = exists;
    }
    const crdt = envelope.crdt === undefined ? {} : this.map(envelope.crdt, 'crdt');
    const sib = crdt.sib === undefined ? {} : this.map(crdt.sib, 'crdt.sib');
    const counters: Record<string, CounterState> = {};
    const sets: Record<string, SetState> = {};
    for (const name of Object.keys(crdt).sort()) {
      if (name !== 'sib') this.readCrdt(name, crdt[name], counters, sets);
    }
    const registers: Record<string, Register> = {};
    for (const name of sortedKeys(fc, visible, sib)) {
      const register = this.readRegister(name, fc[name], sib[name], visible[name]);
      if (register !== undefined) registers[name] = register;
    }
    const tip = this.string(envelope.tip, 'tip');
    return { key, versioned: true, vv, gaps, tip, ex, by: this.string(envelope.by, 'by'), wid: this.string(envelope.wid, 'wid'), registers, counters, sets };
  }

  private readGaps(value: unknown, vv: Readonly<Record<string, Clock>>): Gaps {
    const members = this.map(value, 'gaps');
    const gaps: Record<string, Gap[]> = {};
    for (const region of Object.keys(members).sort()) {
      const list = payload(members[region], 'L');
      if (!Array.isArray(list)) this.fail(`gaps.${region}`, 'must be a list of [lo, hi] pairs');
      gaps[region] = list.map((pair, i): Gap => {
        const ends = payload(pair, 'L');
        if (!Array.isArray(ends) || ends.length !== 2) this.fail(`gaps.${region}[${i}]`, 'must be a [lo, hi] pair of clocks');
        const [lo, hi] = [this.dot(ends[0], `gaps.${region}[${i}]`, true), this.dot(ends[1], `gaps.${region}[${i}]`, false)];
        if (clockRegion(hi) !== region || (lo !== LEGACY_DOT && clockRegion(lo) !== region) || lo >= hi || hi > (vv[region] ?? '')) {
          this.fail(`gaps.${region}[${i}]`, `must be an ascending pair of clocks of region ${region} at most its vv entry`);
        }
        return [lo, hi];
      });
    }
    return gaps;
  }

  private readCrdt(name: string, value: unknown, counters: Record<string, CounterState>, sets: Record<string, SetState>): void {
    const members = this.map(value, `crdt.${name}`);
    const names = Object.keys(members);
    // The first member tells a counter (slots are maps) from a set (elements are lists).
    if (names.length > 0 && payload(members[names[0] as string], 'M') !== undefined) {
      const slots: Record<string, PnSlot> = {};
      for (const region of names) {
        const fields = payload(members[region], 'M') as Fields | undefined;
        if (fields === undefined) this.fail(`crdt.${name}.${region}`, 'a counter slot must be a map and a set element a list of dots');
        const branch = region.indexOf('@');
        if (branch >= 0 && !isClock(region.slice(branch + 1))) this.fail(`crdt.${name}.${region}`, 'a branch slot is keyed <region>@<clock>');
        slots[region] = { p: this.count(fields.p, `crdt.${name}.${region}.p`), n: this.count(fields.n, `crdt.${name}.${region}.n`) };
      }
      counters[name] = slots;
    } else {
      const elements: Record<string, Clock[]> = {};
      for (const element of names) {
        const dots = payload(members[element], 'L');
        if (!Array.isArray(dots)) this.fail(`crdt.${name}.${element}`, 'a counter slot must be a map and a set element a list of dots');
        elements[element] = this.dots(dots, `crdt.${name}.${element}`, true);
      }
      sets[name] = elements;
    }
  }

  private readRegister(name: string, fc: unknown, sib: unknown, visible: AttributeValue | undefined): Register | undefined {
    if (fc === undefined) {
      if (sib !== undefined) this.fail(`crdt.sib.${name}`, 'siblings without field clocks');
      return visible === undefined ? undefined : { [LEGACY_DOT]: visible };
    }
    const list = payload(fc, 'L');
    if (!Array.isArray(list)) this.fail(`fc.${name}`, 'must be a list of dots');
    const dots = this.dots(list, `fc.${name}`, false);
    if (dots.length === 0) this.fail(`fc.${name}`, 'must hold at least one dot');
    const register: Record<Clock, AttributeValue | null> = {};
    if (sib === undefined) {
      for (const dot of dots) register[dot] = dots.length === 1 ? (visible ?? null) : null;
      return register;
    }
    const values = this.map(sib, `crdt.sib.${name}`);
    for (const dot in values) if (!dots.includes(dot)) this.fail(`crdt.sib.${name}.${dot}`, 'a sibling whose dot is not in fc');
    for (const dot of dots) {
      register[dot] = values[dot] === undefined ? null : parseAttributeValue(values[dot], `${this.root}.crdt.sib.${name}.${dot}`);
    }
    return register;
  }

  private map(value: unknown, field: string): Fields {
    const fields = payload(value, 'M');
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) this.fail(field, 'must be a map (M)');
    return fields as Fields;
  }

  private clockMap(value: unknown, field: string): Record<string, Clock> {
    const members = this.map(value, field);
    const clocks: Record<string, Clock> = {};
    for (const region in members) {
      const clock = this.dot(members[region], `${field}.${region}`, false);
      if (clockRegion(clock) !== region) this.fail(`${field}.${region}`, `clock ${clock} is not from region ${region}`);
      clocks[region] = clock;
    }
    return clocks;
  }

  private dots(list: unknown[], field: string, allowLegacy: boolean): Clock[] {
    const dots = list.map((dot, i) => this.dot(dot, field, allowLegacy, i));
    return dots.length > 1 ? dots.sort() : dots;
  }

  /** `index` names a list member; the field path is only built for an error. */
  private dot(value: unknown, field: string, allowLegacy: boolean, index?: number): Clock {
    const dot = payload(value, 'S');
    if (!(isClock(dot) || (allowLegacy && dot === LEGACY_DOT))) this.fail(index === undefined ? field : `${field}[${index}]`, 'must be a clock string (S)');
    return dot as Clock;
  }

  /** An optional string field: absent reads as empty. */
  private string(value: unknown, field: string): string {
    if (value === undefined) return '';
    const text = payload(value, 'S');
    if (typeof text !== 'string') this.fail(field, 'must be a string (S)');
    return text;
  }

  private count(value: unknown, field: string): number {
    const count = Number(payload(value, 'N') ?? NaN);
    if (!Number.isSafeInteger(count) || count < 0) this.fail(field, 'a counter slot must hold a whole number ≥ 0');
    return count;
  }

  private fail(field: string, reason: string): never {
    throw new EnvelopeError(this.key, field === '' ? this.root : `${this.root}.${field}`, reason);
  }
}

/** The causal context of a state. */
export function contextOf(state: Pick<ItemState, 'vv' | 'gaps'>): CausalContext {
  return { vv: state.vv, gaps: state.gaps };
}

/** True when a state holds every write its region has made to the item (see `tip`). */
export function isExactFor(state: ItemState, region: string): boolean {
  return !state.versioned || state.tip === region;
}
