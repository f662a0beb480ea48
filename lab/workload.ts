/**
 * Seeded workloads on the example rule set, as applications would run them in every
 * region at once: carts (items added and removed, coupons), stock counters (increments
 * and decrements), orders (status moves, tags, notes), profiles (edits of different and
 * of the same fields, logins), with deletes and re-creates throughout. The whole list of
 * operations is drawn before a run starts, so both runs of a comparison (plain Global
 * Tables and Concord) replay exactly the same operations.
 */
import { ORDER_STATUSES } from '../rules/example';
import type { PlainItem } from '../shared/rules/types';
import type { Change } from '../shared/write/change';
import type { LabWriter } from './plain-table';
import { DEFAULT_TRANSLATE_CONFIG, toWireMap } from '../shared/writer/values';
import { Draw } from './draw';

/** The workloads. */
export const Workload = {
  Carts: 'carts',
  Stock: 'stock',
  Orders: 'orders',
  Profiles: 'profiles',
} as const;
export type Workload = (typeof Workload)[keyof typeof Workload];
export const WORKLOADS: readonly Workload[] = Object.values(Workload);

/** One call of the writer library, in plain values (as an application makes it). */
export type WriterCall =
  | { readonly method: 'put'; readonly item: PlainItem }
  | { readonly method: 'update'; readonly set?: PlainItem; readonly remove?: readonly string[] }
  | { readonly method: 'increment'; readonly attribute: string; readonly delta: number }
  | { readonly method: 'addToSet' | 'removeFromSet'; readonly attribute: string; readonly elements: readonly string[] }
  | { readonly method: 'delete' };

/** The plain key of an item (a type, not an interface: the writer takes it as a record). */
export type PlainKey = { readonly pk: string; readonly sk: string };

/** One operation of a workload. */
export interface Operation {
  readonly index: number;
  /** Virtual ms after the start of the run. */
  readonly offsetMs: number;
  readonly region: string;
  /** Which of the region's writers makes it. */
  readonly writer: number;
  readonly workload: Workload;
  readonly key: PlainKey;
  readonly call: WriterCall;
}

/** Options of {@link generateWorkload}. */
export interface WorkloadOptions {
  readonly seed: number;
  readonly operations: number;
  readonly regions: readonly string[];
  readonly writersPerRegion: number;
  readonly workloads: readonly Workload[];
  /** Distinct items per workload. */
  readonly keysPerWorkload: number;
  /** 0 spreads operations evenly over the keys; towards 1 most of them hit the first few. */
  readonly hotness: number;
  /** Mean virtual time between two operations (anywhere). */
  readonly meanGapMs: number;
}

const PRODUCTS = ['apple', 'pear', 'plum', 'fig', 'kiwi', 'lime', 'mango', 'peach'];
const COUPONS = ['SAVE10', 'FREESHIP', 'VIP20'];
const LOCATIONS = ['A1', 'B2', 'C3'];
const TAGS = ['gift', 'express', 'fragile', 'priority', 'bulk'];
const NAMES = ['Ada', 'Grace', 'Alan', 'Edsger'];
const CITIES = ['Paris', 'Lima', 'Perth', 'Oslo'];
const PROFILE_FIELDS = ['name', 'email', 'city', 'phone'] as const;

type CallMaker = (draw: Draw, context: { readonly region: string; readonly offsetMs: number; readonly index: number }) => WriterCall;

const SORT_KEYS: Record<Workload, string> = { carts: 'CART', stock: 'STOCK', orders: 'ORDER', profiles: 'PROFILE' };
const PREFIXES: Record<Workload, string> = { carts: 'CART#', stock: 'STOCK#', orders: 'ORDER#', profiles: 'USER#' };

function someOf(draw: Draw, items: readonly string[], max: number): Set<string> {
  const chosen = new Set<string>();
  const count = draw.int(1, max);
  while (chosen.size < count) chosen.add(draw.pick(items));
  return chosen;
}

function profileValue(draw: Draw, field: (typeof PROFILE_FIELDS)[number], region: string): string {
  switch (field) {
    case 'name':
      return draw.pick(NAMES);
    case 'email':
      return `${draw.pick(NAMES).toLowerCase()}@${region}.example`;
    case 'city':
      return draw.pick(CITIES);
    case 'phone':
      return `+1-555-${draw.int(1000, 1009)}`;
  }
}

/** Each workload's calls and how often each is made. */
const CALLS: Record<Workload, readonly (readonly [CallMaker, number])[]> = {
  carts: [
    [(d) => ({ method: 'addToSet', attribute: 'items', elements: [d.pick(PRODUCTS)] }), 5],
    [(d) => ({ method: 'removeFromSet', attribute: 'items', elements: [d.pick(PRODUCTS)] }), 3],
    [(d) => ({ method: 'update', set: { coupon: d.pick(COUPONS) } }), 2],
    [() => ({ method: 'update', remove: ['coupon'] }), 1],
    [(_d, c) => ({ method: 'update', set: { updatedAt: c.offsetMs } }), 2],
    [(d, c) => ({ method: 'put', item: { items: someOf(d, PRODUCTS, 3), updatedAt: c.offsetMs } }), 0.5],
    [() => ({ method: 'delete' }), 0.5],
  ],
  stock: [
    [(d) => ({ method: 'increment', attribute: 'onHand', delta: d.int(1, 5) }), 4],
    [(d) => ({ method: 'increment', attribute: 'onHand', delta: -d.int(1, 3) }), 4],
    [(d) => ({ method: 'increment', attribute: 'reserved', delta: d.pick([-1, 1]) }), 2],
    [(d) => ({ method: 'update', set: { location: d.pick(LOCATIONS) } }), 1],
    [(d) => ({ method: 'put', item: { onHand: 100, reserved: 0, location: d.pick(LOCATIONS) } }), 0.3],
    [() => ({ method: 'delete' }), 0.2],
  ],
  orders: [
    [(d) => ({ method: 'put', item: { status: 'PENDING', total: d.int(10, 99), tags: new Set(['new']) } }), 1],
    [(d) => ({ method: 'update', set: { status: d.pick(ORDER_STATUSES) } }), 4],
    [(d) => ({ method: 'update', set: { tags: someOf(d, TAGS, 2) } }), 2],
    [(_d, c) => ({ method: 'update', set: { notes: `note ${c.index} from ${c.region}` } }), 2],
    [(d) => ({ method: 'update', set: { total: d.int(10, 99) } }), 1],
    [() => ({ method: 'delete' }), 0.4],
  ],
  profiles: [
    [(d, c) => {
      const field = d.pick(PROFILE_FIELDS);
      return { method: 'update', set: { [field]: profileValue(d, field, c.region) } };
    }, 4],
    [(d, c) => ({ method: 'update', set: { name: d.pick(NAMES), city: profileValue(d, 'city', c.region) } }), 1],
    [() => ({ method: 'increment', attribute: 'loginCount', delta: 1 }), 2],
    [(_d, c) => ({ method: 'update', set: { lastLoginAt: c.offsetMs } }), 2],
    [(d, c) => ({ method: 'put', item: { name: d.pick(NAMES), email: profileValue(d, 'email', c.region) } }), 0.3],
    [() => ({ method: 'delete' }), 0.3],
  ],
};

/**
 * Draws the operations of a run.
 *
 * @example
 * const operations = generateWorkload({ seed: 7, operations: 500, regions, writersPerRegion: 2, workloads: WORKLOADS, keysPerWorkload: 8, hotness: 0.3, meanGapMs: 10 });
 */
export function generateWorkload(options: WorkloadOptions): Operation[] {
  const draw = new Draw(options.seed, 'workload');
  const skew = 1 + 4 * options.hotness;
  const operations: Operation[] = [];
  let offsetMs = 0;
  for (let index = 0; index < options.operations; index += 1) {
    offsetMs += Math.max(1, Math.round(draw.exponential(options.meanGapMs)));
    const workload = draw.pick(options.workloads);
    const region = draw.pick(options.regions);
    const keyIndex = Math.min(options.keysPerWorkload - 1, Math.floor(options.keysPerWorkload * draw.next() ** skew));
    const call = draw.weighted(CALLS[workload])(draw, { region, offsetMs, index });
    operations.push({ index, offsetMs, region, writer: draw.int(0, options.writersPerRegion - 1), workload, key: { pk: `${PREFIXES[workload]}${keyIndex}`, sk: SORT_KEYS[workload] }, call });
  }
  return operations;
}

/**
 * What a call asks, as the core's `Change` (the writer library's own conversion of plain
 * values): the oracle's input.
 *
 * @example
 * changeOf({ method: 'increment', attribute: 'onHand', delta: -2 }); // { type: 'update', increment: { onHand: -2 } }
 */
export function changeOf(call: WriterCall): Change {
  const options = DEFAULT_TRANSLATE_CONFIG.marshallOptions;
  switch (call.method) {
    case 'put':
      return { type: 'put', item: toWireMap(call.item, options) };
    case 'update':
      return { type: 'update', set: toWireMap(call.set ?? {}, options), remove: [...(call.remove ?? [])] };
    case 'increment':
      return { type: 'update', increment: { [call.attribute]: call.delta } };
    case 'addToSet':
      return { type: 'update', addToSet: { [call.attribute]: [...call.elements] } };
    case 'removeFromSet':
      return { type: 'update', removeFromSet: { [call.attribute]: [...call.elements] } };
    case 'delete':
      return { type: 'delete' };
  }
}

/**
 * Makes a call through a lab writer (the writer library, or plain DynamoDB calls).
 *
 * @example
 * await perform(table, { pk: 'CART#1', sk: 'CART' }, { method: 'addToSet', attribute: 'items', elements: ['fig'] });
 */
export function perform(table: LabWriter, key: PlainKey, call: WriterCall): Promise<unknown> {
  switch (call.method) {
    case 'put':
      return table.put(key, call.item);
    case 'update':
      return table.update(key, { set: call.set, remove: call.remove });
    case 'increment':
      return table.increment(key, call.attribute, call.delta);
    case 'addToSet':
      return table.addToSet(key, call.attribute, ...call.elements);
    case 'removeFromSet':
      return table.removeFromSet(key, call.attribute, ...call.elements);
    case 'delete':
      return table.delete(key);
  }
}
