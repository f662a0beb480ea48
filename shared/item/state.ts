/**
 * The in-memory form of a Concord item: its key, its version vector, and every
 * attribute as the set of writes that survive (a multi-value register), plus counter
 * and set state. Decoded once from a DynamoDB image; the visible image is a
 * projection of this state under the rules (see `encode.ts`).
 */
import { EnvelopeError } from '../errors';
import { isClock, type Clock } from '../clock/hlc';
import type { AttributeMap, AttributeValue } from '../dynamodb/attribute-value';
import type { TableSettings } from '../rules/types';

/** The writes of one attribute that survive: dot to value, `null` for a removal. */
export type Register = Readonly<Record<Clock, AttributeValue | null>>;
/** One region's slot of a PN-counter. */
export interface PnSlot {
  readonly p: number;
  readonly n: number;
}
/** A PN-counter: region to slot; the total is Σp − Σn. */
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

/** Picks the key attributes of an image. */
export function keyOf(image: AttributeMap, table: TableSettings): AttributeMap {
  const key: AttributeMap = {};
  for (const name of [table.partitionKey, table.sortKey]) {
    if (name !== null && image[name] !== undefined) key[name] = image[name] as AttributeValue;
  }
  return key;
}

/** The state of an item that does not exist yet. */
export function emptyState(key: AttributeMap): ItemState {
  return { key, versioned: false, vv: {}, ex: {}, by: '', wid: '', registers: {}, counters: {}, sets: {} };
}

/**
 * Decodes a validated image (see `parseAttributeMap`) into an item state. Attributes
 * without field clocks (written before Concord) become registers with the legacy dot.
 *
 * @throws EnvelopeError naming the key, the envelope field and the reason
 * @example
 * const state = decodeItem(parseAttributeMap(record.dynamodb.NewImage, 'NewImage'), rules.table);
 */
export function decodeItem(image: AttributeMap, table: TableSettings, key: AttributeMap = keyOf(image, table)): ItemState {
  const raw = image[table.envelopeAttribute];
  const visible: AttributeMap = {};
  for (const name in image) {
    if (name !== table.envelopeAttribute && name !== table.ttlAttribute && key[name] === undefined) visible[name] = image[name] as AttributeValue;
  }
  if (raw === undefined) return legacyState(key, visible);
  return new EnvelopeReader(describeKey(key), table.envelopeAttribute).read(raw, key, visible);
}

function legacyState(key: AttributeMap, visible: AttributeMap): ItemState {
  const registers: Record<string, Register> = {};
  for (const name of Object.keys(visible).sort()) registers[name] = { [LEGACY_DOT]: visible[name] as AttributeValue };
  return { ...emptyState(key), registers };
}

type Fields = Record<string, AttributeValue>;

/** Reads `_cc` with one error type for every way it can be malformed. */
class EnvelopeReader {
  constructor(
    private readonly key: string,
    private readonly root: string,
  ) {}

  read(raw: AttributeValue, key: AttributeMap, visible: AttributeMap): ItemState {
    const envelope = this.map(raw, '');
    const vv = this.clockMap(envelope.vv, 'vv', (region, clock) => clock.slice(20) === region);
    const fc = this.map(envelope.fc ?? { M: {} }, 'fc');
    const ex: Record<Clock, boolean> = {};
    for (const [dot, value] of this.entries(envelope.ex ?? { M: {} }, 'ex')) {
      if (!isClock(dot)) this.fail(`ex.${dot}`, 'keys must be clocks');
      if (!('BOOL' in value)) this.fail(`ex.${dot}`, 'must be a BOOL');
      ex[dot] = value.BOOL;
    }
    const crdt = envelope.crdt === undefined ? {} : this.map(envelope.crdt, 'crdt');
    const sib = crdt.sib === undefined ? {} : this.map(crdt.sib, 'crdt.sib');
    const counters: Record<string, CounterState> = {};
    const sets: Record<string, SetState> = {};
    for (const name of Object.keys(crdt).sort()) {
      if (name === 'sib') continue;
      this.readCrdt(name, crdt[name] as AttributeValue, counters, sets);
    }
    const registers: Record<string, Register> = {};
    const names = new Set([...Object.keys(fc), ...Object.keys(visible), ...Object.keys(sib)]);
    for (const name of [...names].sort()) {
      const register = this.readRegister(name, fc[name], sib[name], visible[name]);
      if (register !== undefined) registers[name] = register;
    }
    return {
      key,
      versioned: true,
      vv,
      ex,
      by: this.string(envelope.by, 'by', true),
      wid: this.string(envelope.wid, 'wid', true),
      registers,
      counters,
      sets,
    };
  }

  private readCrdt(name: string, value: AttributeValue, counters: Record<string, CounterState>, sets: Record<string, SetState>): void {
    const entries = this.entries(value, `crdt.${name}`);
    if (entries.length > 0 && entries.every(([, member]) => 'M' in member)) {
      const slots: Record<string, PnSlot> = {};
      for (const [region, slot] of entries) {
        const fields = (slot as { M: Fields }).M;
        slots[region] = { p: this.count(fields.p, `crdt.${name}.${region}.p`), n: this.count(fields.n, `crdt.${name}.${region}.n`) };
      }
      counters[name] = slots;
    } else {
      const elements: Record<string, Clock[]> = {};
      for (const [element, dots] of entries) {
        if (!('L' in dots)) this.fail(`crdt.${name}.${element}`, 'a counter slot must be a map and a set element a list of dots');
        elements[element] = dots.L.map((dot, i) => this.dot(dot, `crdt.${name}.${element}[${i}]`, true)).sort();
      }
      sets[name] = elements;
    }
  }

  private readRegister(
    name: string,
    fc: AttributeValue | undefined,
    sib: AttributeValue | undefined,
    visible: AttributeValue | undefined,
  ): Register | undefined {
    if (fc === undefined) {
      if (sib !== undefined) this.fail(`crdt.sib.${name}`, 'siblings without field clocks');
      if (visible === undefined) return undefined;
      return { [LEGACY_DOT]: visible };
    }
    if (!('L' in fc)) this.fail(`fc.${name}`, 'must be a list of dots');
    const dots = fc.L.map((dot, i) => this.dot(dot, `fc.${name}[${i}]`, false)).sort();
    if (dots.length === 0) this.fail(`fc.${name}`, 'must hold at least one dot');
    const register: Record<Clock, AttributeValue | null> = {};
    if (sib !== undefined) {
      const values = this.map(sib, `crdt.sib.${name}`);
      for (const dot of Object.keys(values)) if (!dots.includes(dot)) this.fail(`crdt.sib.${name}.${dot}`, 'a sibling whose dot is not in fc');
      for (const dot of dots) register[dot] = values[dot] ?? null;
    } else {
      for (const dot of dots) register[dot] = dots.length === 1 ? (visible ?? null) : null;
    }
    return register;
  }

  private map(value: AttributeValue | undefined, field: string): Fields {
    if (value === undefined || !('M' in value)) this.fail(field, 'must be a map (M)');
    return value.M;
  }

  private entries(value: AttributeValue, field: string): [string, AttributeValue][] {
    return Object.entries(this.map(value, field));
  }

  private clockMap(value: AttributeValue | undefined, field: string, valid: (key: string, clock: Clock) => boolean): Record<string, Clock> {
    const clocks: Record<string, Clock> = {};
    for (const [name, member] of this.entries(value ?? this.fail(field, 'is missing'), field)) {
      const clock = this.dot(member, `${field}.${name}`, false);
      if (!valid(name, clock)) this.fail(`${field}.${name}`, `clock ${clock} is not from region ${name}`);
      clocks[name] = clock;
    }
    return clocks;
  }

  private dot(value: AttributeValue, field: string, allowLegacy: boolean): Clock {
    if (!('S' in value) || !(isClock(value.S) || (allowLegacy && value.S === LEGACY_DOT))) this.fail(field, 'must be a clock string (S)');
    return value.S;
  }

  private string(value: AttributeValue | undefined, field: string, optional: boolean): string {
    if (value === undefined && optional) return '';
    if (value === undefined || !('S' in value)) this.fail(field, 'must be a string (S)');
    return value.S;
  }

  private count(value: AttributeValue | undefined, field: string): number {
    const count = value !== undefined && 'N' in value ? Number(value.N) : NaN;
    if (!Number.isSafeInteger(count) || count < 0) this.fail(field, 'a counter slot must hold a whole number ≥ 0');
    return count;
  }

  private fail(field: string, reason: string): never {
    throw new EnvelopeError(this.key, field === '' ? this.root : `${this.root}.${field}`, reason);
  }
}
