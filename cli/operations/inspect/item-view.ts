/**
 * An item as an operator needs to see it (issue 11, `concord inspect`): what it shows,
 * and per attribute the rule, the writes that set it (region, epoch, clock, age) and
 * any concurrent siblings; counters per slot and per region; set elements with their
 * adds; the causal context (floors, epochs, tip); holds and escalations pending; the
 * tombstone and its expiry; and what the envelope costs in bytes and write units. The
 * view is plain JSON, keys in order: `concord inspect --json` prints it as it is.
 */
import { clockWallMs, type Clock } from '../../../shared/clock/hlc';
import { actorRegion, dotActor, dotClock, dotRegion, LEGACY_DOT, type Dot } from '../../../shared/clock/dot';
import type { AttributeMap, AttributeValue } from '../../../shared/dynamodb/attribute-value';
import { dict } from '../../../shared/dynamodb/dict';
import { counterOf, setOf } from '../../../shared/item/crdt';
import { encodeItem } from '../../../shared/item/encode';
import { foldedSlotRegion, LEGACY_SLOT, readImage, type ItemState, type Register } from '../../../shared/item/state';
import { projectMerge } from '../../../shared/merge/merge';
import { holdRegion } from '../../../shared/merge/holds';
import { ruleFor } from '../../../shared/rules/define-rules';
import { RuleKind, type RuleSet } from '../../../shared/rules/types';
import { toPlain, toPlainMap, type Json } from '../../../shared/resolver/audit/plain';
import { itemSizeBytes } from '../../../shared/resolver/item-size';

/** A clock, when it was, and how long ago. */
export interface ClockView {
  readonly clock: Clock;
  /** ISO 8601, the clock's wall time. */
  readonly at: string;
  readonly ageMs: number;
}

/** One write: its dot, its region and epoch, its clock. A value from before Concord has the legacy dot `""`. */
export interface WriteView {
  readonly dot: Dot;
  readonly legacy: boolean;
  readonly region: string | null;
  readonly epoch: string | null;
  readonly clock: ClockView | null;
}

/** A write that set an attribute, with the value it set (absent when it removed the attribute, or for a counter or set, whose state is in its slots or elements). */
export interface AttributeWriteView extends WriteView {
  readonly value?: Json;
  readonly removed?: true;
}

/** One counter slot: an epoch's increments, a region's folded epochs, or the value from before Concord. */
export interface SlotView {
  readonly slot: string;
  readonly kind: 'epoch' | 'folded' | 'legacy';
  readonly region: string | null;
  readonly p: string;
  readonly n: string;
}

export interface CounterView {
  /** Σp − Σn, as a string: counters are exact beyond a double's precision. */
  readonly total: string;
  /** Net increments per region (`legacy` for the value from before Concord). */
  readonly regions: Readonly<Record<string, string>>;
  readonly slots: readonly SlotView[];
}

export interface SetView {
  readonly elements: readonly { readonly element: string; readonly adds: readonly WriteView[] }[];
}

export interface AttributeView {
  readonly rule: RuleKind;
  /** What the item shows (absent when it shows nothing). */
  readonly value?: Json;
  /** The writes that survive: one, or several concurrent ones (siblings). */
  readonly writes: readonly AttributeWriteView[];
  /** True when several concurrent writes survive: the rule picked the value among them. */
  readonly concurrent: boolean;
  readonly counter?: CounterView;
  readonly set?: SetView;
}

export interface EpochView {
  readonly actor: string;
  readonly region: string;
  /** The latest write of the epoch this version has seen. */
  readonly latest: ClockView;
  /** True for the epoch whose line this version is on. */
  readonly tip: boolean;
}

export interface HoldView {
  readonly actor: string;
  readonly region: string;
  readonly first: ClockView;
  readonly last: ClockView;
}

export interface EscalationView {
  readonly reason: string;
  readonly subject: string;
  readonly detail?: string;
}

export interface SizeView {
  /** The item's size as DynamoDB counts it. */
  readonly itemBytes: number;
  /** The envelope attribute's share of it. */
  readonly envelopeBytes: number;
  /** Write units of one write of the item (1 per KB started). */
  readonly writeUnits: number;
  /** Write units the same item would cost without its envelope. */
  readonly writeUnitsWithoutEnvelope: number;
  /** Read units of a strongly consistent read (1 per 4 KB started). */
  readonly readUnits: number;
}

/** The whole view of one item, or of its absence. */
export interface ItemView {
  readonly key: Readonly<Record<string, Json>>;
  /** The replica read, when the caller says. */
  readonly region: string | null;
  readonly found: boolean;
  /** False for an item no Concord writer has touched. */
  readonly versioned: boolean;
  /** Why the item could not be read as Concord's (a malformed envelope); null when it could. */
  readonly problem: string | null;
  readonly entity: string | null;
  /** True for a tombstone: deleted, kept until TTL collects it. */
  readonly deleted: boolean;
  readonly tombstone: { readonly ttl: number; readonly expiresAt: string; readonly expired: boolean } | null;
  /** The attributes the item shows, as plain values. */
  readonly values: Readonly<Record<string, Json>>;
  readonly attributes: Readonly<Record<string, AttributeView>>;
  readonly context: {
    readonly floors: Readonly<Record<string, ClockView>>;
    readonly epochs: readonly EpochView[];
    readonly tip: string | null;
    readonly by: string;
    readonly wid: string;
  } | null;
  /** What waits for a merge or a person: holds (quarantined writes), attributes with siblings, escalations. */
  readonly pending: { readonly holds: readonly HoldView[]; readonly siblings: readonly string[]; readonly escalations: readonly EscalationView[] } | null;
  readonly size: SizeView | null;
}

/** Options of {@link viewItem}. */
export interface ViewOptions {
  /** The item's key (needed when there is no item). */
  readonly key: AttributeMap;
  /** Epoch ms that ages count from. */
  readonly now: number;
  /** The replica the image was read from. */
  readonly region?: string;
}

/**
 * The view of an item image (undefined: no item) under the rules.
 *
 * @example
 * const view = viewItem(image, rules, { key, now: Date.now(), region: 'us-east-1' });
 * view.attributes.onHand?.counter?.regions; // { 'eu-west-1': '-3', 'us-east-1': '12' }
 */
export function viewItem(image: AttributeMap | undefined, rules: RuleSet, options: ViewOptions): ItemView {
  const base = { key: toPlainMap(options.key), region: options.region ?? null };
  if (image === undefined) {
    return { ...base, found: false, versioned: false, problem: null, entity: null, deleted: false, tombstone: null, values: {}, attributes: {}, context: null, pending: null, size: null };
  }
  const size = sizeOf(image, rules.table.envelopeAttribute);
  let state: ItemState;
  try {
    state = readImage(image, rules.table, options.key).state;
    return { ...base, ...describeState(state, image, rules, options.now), size };
  } catch (error) {
    const values = dict<Json>();
    for (const name of Object.keys(image).sort()) if (!Object.hasOwn(options.key, name)) values[name] = toPlain(image[name] as AttributeValue);
    const problem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ...base, found: true, versioned: Object.hasOwn(image, rules.table.envelopeAttribute), problem, entity: null, deleted: false, tombstone: null, values, attributes: {}, context: null, pending: null, size };
  }
}

type StateFields = Omit<ItemView, 'key' | 'region' | 'size'>;

function describeState(state: ItemState, image: AttributeMap, rules: RuleSet, now: number): StateFields {
  const projection = encodeItem(state, rules);
  const { entity, deleted, visible } = projection;
  const clock = (value: Clock): ClockView => clockView(value, now);
  const write = (dot: Dot): WriteView => writeView(dot, now);
  const attributes = dict<AttributeView>();
  for (const name of [...new Set([...state.registers.keys(), ...state.counters.keys(), ...state.sets.keys()])].sort()) {
    const rule = ruleFor(entity, name).kind;
    const register = state.registers.get(name) ?? new Map<Dot, AttributeValue | null>();
    const shown = Object.hasOwn(visible, name) ? { value: toPlain(visible[name] as AttributeValue) } : {};
    attributes[name] = {
      rule,
      ...shown,
      writes: attributeWrites(register, write, rule !== RuleKind.Counter && rule !== RuleKind.AddWinsSet),
      concurrent: register.size > 1,
      ...(rule === RuleKind.Counter || state.counters.has(name) ? { counter: counterView(state, name, entity.name) } : {}),
      ...(rule === RuleKind.AddWinsSet || state.sets.has(name) ? { set: setView(state, name, entity.name, write) } : {}),
    };
  }
  const ttl = rules.table.ttlAttribute;
  const ttlValue = image[ttl];
  const expiry = ttlValue !== undefined && 'N' in ttlValue ? Number(ttlValue.N) : undefined;
  const floors = dict<ClockView>();
  for (const [region, floor] of [...state.context.floors].sort(([a], [b]) => (a < b ? -1 : 1))) floors[region] = clock(floor);
  return {
    found: true,
    versioned: state.versioned,
    problem: null,
    entity: entity.name,
    deleted,
    tombstone: deleted && expiry !== undefined ? { ttl: expiry, expiresAt: new Date(expiry * 1000).toISOString(), expired: expiry * 1000 <= now } : null,
    values: toPlainMap(visible),
    attributes,
    context: {
      floors,
      epochs: [...state.context.vv]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([actor, latest]) => ({ actor, region: actorRegion(actor), latest: clock(latest), tip: actor === state.tip })),
      tip: state.tip ?? null,
      by: state.by,
      wid: state.wid,
    },
    pending: {
      holds: [...state.holds].map(([actor, [first, last]]) => ({ actor, region: holdRegion(actor), first: clock(first), last: clock(last) })),
      siblings: [...projection.siblings.keys()].sort(),
      escalations: projectMerge(state, rules, [visible, visible]).escalations.map((escalation) => ({ ...escalation })),
    },
  };
}

function clockView(clock: Clock, now: number): ClockView {
  const wallMs = clockWallMs(clock);
  return { clock, at: new Date(wallMs).toISOString(), ageMs: now - wallMs };
}

function writeView(dot: Dot, now: number): WriteView {
  if (dot === LEGACY_DOT) return { dot, legacy: true, region: null, epoch: null, clock: null };
  return { dot, legacy: false, region: dotRegion(dot), epoch: dotActor(dot), clock: clockView(dotClock(dot), now) };
}

/**
 * The writes of a register. Values live in the register for every rule but counters and
 * add-wins sets (whose state is in their slots and elements): there a sibling without a
 * value removed the attribute.
 */
function attributeWrites(register: Register, write: (dot: Dot) => WriteView, valuesInRegister: boolean): AttributeWriteView[] {
  return [...register.keys()].sort().map((dot) => {
    const value = register.get(dot);
    if (value !== null && value !== undefined) return { ...write(dot), value: toPlain(value) };
    return { ...write(dot), ...(valuesInRegister && register.size > 1 ? { removed: true as const } : {}) };
  });
}

function counterView(state: ItemState, name: string, entity: string): CounterView {
  const counter = counterOf(state, name, entity);
  const regions = new Map<string, bigint>();
  const slots: SlotView[] = [];
  let total = 0n;
  for (const slot of [...counter.keys()].sort()) {
    const { p, n } = counter.get(slot) as { p: bigint; n: bigint };
    const folded = foldedSlotRegion(slot);
    const kind = slot === LEGACY_SLOT ? 'legacy' : folded !== undefined ? 'folded' : 'epoch';
    const region = kind === 'legacy' ? null : (folded ?? actorRegion(slot));
    slots.push({ slot, kind, region, p: p.toString(), n: n.toString() });
    const byRegion = region ?? LEGACY_SLOT;
    regions.set(byRegion, (regions.get(byRegion) ?? 0n) + p - n);
    total += p - n;
  }
  const perRegion = dict<string>();
  for (const region of [...regions.keys()].sort()) perRegion[region] = (regions.get(region) as bigint).toString();
  return { total: total.toString(), regions: perRegion, slots };
}

function setView(state: ItemState, name: string, entity: string, write: (dot: Dot) => WriteView): SetView {
  const set = setOf(state, name, entity);
  return {
    elements: [...set.keys()].sort().map((element) => ({ element, adds: (set.get(element) ?? []).map(write) })),
  };
}

function sizeOf(image: AttributeMap, envelopeAttribute: string): SizeView {
  const itemBytes = itemSizeBytes(image);
  const envelope = image[envelopeAttribute];
  const envelopeBytes = envelope === undefined ? 0 : itemSizeBytes({ [envelopeAttribute]: envelope });
  const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));
  return { itemBytes, envelopeBytes, writeUnits: writeUnits(itemBytes), writeUnitsWithoutEnvelope: writeUnits(itemBytes - envelopeBytes), readUnits: Math.max(1, Math.ceil(itemBytes / 4096)) };
}
