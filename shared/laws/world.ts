/**
 * A model of one item on a Global Table, with Concord, for property tests, the exhaustive
 * check and the law checker: regions that hold versions, writer instances with their own
 * (skewed) clocks writing through `applyWrite`, replication by last-writer-wins with
 * coalescing, each region's stream, and each region's resolver taking the real decisions
 * (`classify`, `mergeWith`, `settleAgainst`, `compaction`) one record at a time.
 *
 * Every version carries the truth, tracked outside Concord: the ids of the client writes
 * it really holds (its causal past). Judgements about lost writes use that, never `_cc`.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { sees, type CausalContext } from '../clock/context';
import { seededTag, type Dot, type TagSource } from '../clock/dot';
import { HybridClock } from '../clock/hlc';
import { classify, Verdict } from '../detect/classify';
import { canonicalJson, type AttributeMap } from '../dynamodb/attribute-value';
import { decodeItem, emptyState, type ItemState } from '../item/state';
import { compaction, compactionPays } from '../merge/certify';
import { itemSizeBytes } from '../resolver/item-size';
import { compactionId, conflictId } from '../merge/conflict-id';
import { encodeItem } from '../item/encode';
import { visibleOf } from '../merge/merge';
import { mergeWith, settleAgainst, type Conflict } from '../merge/settle';
import type { RuleSet } from '../rules/types';
import { applyWrite, nextWriteTick } from '../write/apply-write';
import type { Change } from '../write/change';
import { expectedItem, type TrueWrite } from './oracle';

/** A version as a region holds it, with the truth about it. */
export interface Version {
  /** Undefined: no item. */
  readonly image: AttributeMap | undefined;
  /** Ids of the client writes it holds (its true causal past). */
  readonly past: ReadonlySet<string>;
  /** Its last-writer-wins timestamp: when it was written, in the model's order of events. */
  readonly stamp: number;
}

/** One step of a history. */
export type Step =
  | { readonly kind: 'write'; readonly region: number; readonly writer: number; readonly change: Change }
  /** The pending replication of `from`'s latest local version reaches `to`. */
  | { readonly kind: 'deliver'; readonly from: number; readonly to: number }
  /** `region`'s resolver processes the next record of its stream. */
  | { readonly kind: 'resolve'; readonly region: number }
  /** `region`'s resolver processes its last processed record again (a redelivery). */
  | { readonly kind: 'redeliver'; readonly region: number }
  /** Virtual time passes (clocks move; floors can rise). */
  | { readonly kind: 'wait'; readonly ms: number };

/** A client write as the model saw it happen. */
export interface ModelWrite extends TrueWrite {
  readonly region: string;
  readonly writer: number;
  readonly at: number;
}

/** Options of {@link World}. */
export interface WorldOptions {
  readonly rules: RuleSet;
  readonly key: AttributeMap;
  readonly regions: readonly string[];
  readonly writersPerRegion: number;
  /** Per writer (`region * writersPerRegion + writer`), its clock's error in ms (default 0). */
  readonly skewsMs?: readonly number[];
  /** Seeds the epoch tags. */
  readonly seed?: string;
  readonly table?: string;
  /** Virtual ms at the start (default: 2025-01-01). */
  readonly startMs?: number;
  /** Foldable epochs at which a resolver compacts whatever it saves (default: the resolver's, COMPACT_AT); 1 certifies at every chance. */
  readonly compactAt?: number;
  /** Virtual ms every step takes besides waits (default 7). */
  readonly stepMs?: number;
}

interface StreamRecord {
  readonly old: Version;
  readonly new: Version;
}

const NO_ITEM: Version = Object.freeze({ image: undefined, past: new Set<string>(), stamp: 0 });
const DEFAULT_START_MS = Date.UTC(2025, 0, 1);

/** The model. Steps that cannot happen (nothing to deliver or resolve) do nothing. */
export class World {
  readonly regions: readonly string[];
  readonly writes: ModelWrite[] = [];
  /** Every version any region ever held, for the invariants. */
  readonly versions: Version[] = [];
  private current: Version[];
  private pending: (Version | undefined)[][];
  private streams: StreamRecord[][];
  private cursors: number[];
  private clocks: HybridClock[];
  /** Epoch tags each writer has issued: its next tag is the next of its seed's. */
  private tagsIssued: number[];
  private stamps = 0;
  now: number;

  constructor(private readonly options: WorldOptions) {
    this.regions = options.regions;
    this.current = options.regions.map(() => NO_ITEM);
    this.pending = options.regions.map(() => options.regions.map(() => undefined));
    this.streams = options.regions.map(() => []);
    this.cursors = options.regions.map(() => 0);
    this.now = options.startMs ?? DEFAULT_START_MS;
    const writers = options.regions.length * options.writersPerRegion;
    this.clocks = Array.from({ length: writers }, (_, i) => new HybridClock({ now: this.wallOf(i), maxOffsetMs: options.rules.table.maxClockOffsetMs }));
    this.tagsIssued = this.clocks.map(() => 0);
  }

  /**
   * A copy that goes on independently from here (the exhaustive check extends every state
   * by every event). Versions are immutable and shared.
   */
  fork(): World {
    const copy = Object.create(World.prototype) as World;
    Object.assign(copy, this);
    Object.assign(copy, {
      writes: [...this.writes],
      versions: [...this.versions],
      current: [...this.current],
      pending: this.pending.map((row) => [...row]),
      streams: this.streams.map((records) => [...records]),
      cursors: [...this.cursors],
      tagsIssued: [...this.tagsIssued],
    });
    copy.clocks = this.clocks.map((clock, i) => clock.fork(copy.wallOf(i)));
    return copy;
  }

  private wallOf(writer: number): () => number {
    return () => this.now + (this.options.skewsMs?.[writer] ?? 0);
  }

  /** The steps that would change something now (the others do nothing). */
  enabled(steps: readonly Step[]): Step[] {
    return steps.filter((step) => {
      switch (step.kind) {
        case 'deliver':
          return this.pending[step.from]?.[step.to] !== undefined;
        case 'resolve':
          return (this.cursors[step.region] as number) < (this.streams[step.region] as StreamRecord[]).length;
        case 'redeliver':
          return (this.cursors[step.region] as number) > 0;
        default:
          return true;
      }
    });
  }

  /** Runs one step. */
  step(step: Step): void {
    this.now += this.options.stepMs ?? 7;
    switch (step.kind) {
      case 'write':
        return this.write(step.region, step.writer, step.change);
      case 'deliver':
        return this.deliver(step.from, step.to);
      case 'resolve':
        return this.resolve(step.region, false);
      case 'redeliver':
        return this.resolve(step.region, true);
      case 'wait':
        this.now += step.ms;
        return;
    }
  }

  /** The version `region` holds now. */
  held(region: number): Version {
    return this.current[region] as Version;
  }

  /**
   * Everything that decides what the world does next and how it will be judged: the
   * versions held and in flight, the records not yet processed (and the last one, which
   * may come again), the clocks, the writes so far. Two histories with one fingerprint
   * are the same from here on (the exhaustive check merges them).
   */
  fingerprint(): string {
    const stamps = [...new Set([...this.current, ...this.pending.flat(), ...this.streams.flat().flatMap((r) => [r.old, r.new])].filter((v): v is Version => v !== undefined).map((v) => v.stamp))].sort((a, b) => a - b);
    const version = (v: Version | undefined): unknown => (v === undefined ? null : [textOf(v), stamps.indexOf(v.stamp)]);
    return JSON.stringify({
      current: this.current.map(version),
      pending: this.pending.map((row) => row.map(version)),
      streams: this.streams.map((records, i) => records.slice(Math.max(0, (this.cursors[i] as number) - 1)).map((r) => [version(r.old), version(r.new)]).concat([[this.cursors[i] === 0]])),
      clocks: this.clocks.map((clock) => clock.issued),
      now: this.now,
      writes: this.writes.map((w) => [w.id, w.dot, [...w.saw].sort()]),
    });
  }

  /** True when nothing is left to deliver or resolve. */
  get quiet(): boolean {
    return this.pending.every((row) => row.every((version) => version === undefined)) && this.streams.every((records, i) => this.cursors[i] === records.length);
  }

  /**
   * Delivers and resolves until nothing is left, as a run ends once writes stop.
   *
   * @returns false when it did not quiet down within `maxRounds` (a loop)
   */
  quiesce(maxRounds = 50): boolean {
    for (let round = 0; round < maxRounds; round += 1) {
      if (this.quiet) return true;
      this.now += 1000;
      for (let from = 0; from < this.regions.length; from += 1) for (let to = 0; to < this.regions.length; to += 1) if (from !== to) this.deliver(from, to);
      for (let region = 0; region < this.regions.length; region += 1) while ((this.cursors[region] as number) < (this.streams[region] as StreamRecord[]).length) this.resolve(region, false);
    }
    return this.quiet;
  }

  private write(region: number, writer: number, change: Change): void {
    const name = this.regions[region] as string;
    const index = region * this.options.writersPerRegion + writer;
    const base = this.held(region);
    const state = this.decode(base.image);
    const { tick, newEpoch } = nextWriteTick(this.clocks[index] as HybridClock, state, name);
    let written;
    const tags: TagSource = () => seededTag(`${this.options.seed ?? 'world'} writer ${index}`, (this.tagsIssued[index] = (this.tagsIssued[index] as number) + 1));
    try {
      written = applyWrite(state, change, { region: name, clock: tick.clock, writer: `w${index}`, tags, newEpoch }, this.options.rules);
    } catch {
      // A change the rules refuse never reaches DynamoDB: nothing happened.
      return;
    }
    // Numbered per writer, so that histories that reach the same state name its writes alike.
    const id = `${name}/${writer}#${this.writes.filter((each) => each.region === name && each.writer === writer).length + 1}`;
    this.writes.push({ id, dot: written.dot, change, saw: base.past, region: name, writer, at: this.now });
    this.store(region, written.image, new Set([...base.past, id]));
  }

  /** A local write of `region` (a client's or the resolver's): held, recorded, sent on. */
  private store(region: number, image: AttributeMap, past: ReadonlySet<string>): Version {
    const version: Version = { image, past, stamp: (this.stamps += 1) };
    this.replace(region, version);
    for (let to = 0; to < this.regions.length; to += 1) if (to !== region) (this.pending[region] as (Version | undefined)[])[to] = version;
    return version;
  }

  private replace(region: number, version: Version): void {
    this.streams[region]?.push({ old: this.held(region), new: version });
    this.current[region] = version;
    this.versions.push(version);
  }

  private deliver(from: number, to: number): void {
    const row = this.pending[from] as (Version | undefined)[];
    const version = row[to];
    if (version === undefined) return;
    row[to] = undefined;
    // Last writer wins; a loser is dropped without a record.
    if (version.stamp > this.held(to).stamp) this.replace(to, version);
  }

  private resolve(region: number, again: boolean): void {
    const stream = this.streams[region] as StreamRecord[];
    const cursor = this.cursors[region] as number;
    const record = again ? stream[cursor - 1] : stream[cursor];
    if (record === undefined) return;
    if (!again) this.cursors[region] = cursor + 1;
    const { rules } = this.options;
    const verdict = classify(this.recordOf(record), rules.table).verdict;
    if (verdict === Verdict.Successor) return this.compact(region, record.new);
    if (verdict !== Verdict.Conflict) return;
    const name = this.regions[region] as string;
    const old = record.old.image as AttributeMap;
    const conflict: Conflict = { local: this.decode(old), localShown: visibleOf(old, rules), rules, table: this.table, region: name };
    const current = this.held(region);
    const past = new Set([...record.old.past, ...current.past]);
    const remote = this.decode(record.new.image);
    // As the write-back does: first over the record's new image, else against what is current.
    if (current === record.new) {
      this.store(region, mergeWith(conflict, remote, visibleOf(record.new.image as AttributeMap, rules)).item, past);
      return;
    }
    const id = conflictId(this.table, this.options.key, conflict.local.context, remote.context);
    const next = settleAgainst(conflict, id, current.image === undefined ? undefined : this.decode(current.image), current.image);
    if (!next.settled) this.store(region, next.merge.item, past);
  }

  private compact(region: number, version: Version): void {
    if (this.held(region) !== version || version.image === undefined) return;
    const state = this.decode(version.image);
    const compacted = compaction(state, this.regions[region] as string, this.now, this.options.rules.table.maxClockOffsetMs);
    if (compacted === undefined) return;
    const written = encodeItem({ ...compacted.state, wid: compactionId(this.table, this.options.key, state.wid, compacted.floor) }, this.options.rules).image;
    // As the resolver decides (shared/resolver/compaction.ts); `compactAt` 1 compacts at every chance.
    if (!compactionPays(itemSizeBytes(version.image), itemSizeBytes(written), compacted.folded, this.options.compactAt)) return;
    this.store(region, written, version.past);
  }

  private get table(): string {
    return this.options.table ?? 'concord-model';
  }

  private decode(image: AttributeMap | undefined): ItemState {
    if (image === undefined) return emptyState(this.options.key);
    let state = states.get(image);
    if (state === undefined) {
      state = decodeItem(image, this.options.rules.table, this.options.key);
      states.set(image, state);
    }
    return state;
  }

  private recordOf(record: StreamRecord): DynamoDBRecord {
    const { old, new: next } = record;
    const eventName = old.image === undefined ? 'INSERT' : next.image === undefined ? 'REMOVE' : 'MODIFY';
    return { eventName, dynamodb: { Keys: this.options.key, ...(old.image === undefined ? {} : { OldImage: old.image }), ...(next.image === undefined ? {} : { NewImage: next.image }) } } as DynamoDBRecord;
  }
}

/** A broken promise, found by {@link judge}. */
export interface Violation {
  readonly invariant: 'exact knowledge' | 'unique dots' | 'no lost write' | 'convergence' | 'rules' | 'quiescence';
  readonly detail: string;
}

/**
 * The claims of a world so far, judged by the truth it tracked: every version's context
 * claims only writes it holds (I1), and dots are unique (I2). Changes nothing.
 */
export function judgeClaims(world: World, options: { readonly rules: RuleSet; readonly key: AttributeMap }): Violation[] {
  const violations: Violation[] = [];
  const dots = new Map<Dot, string>();
  for (const write of world.writes) {
    const other = dots.get(write.dot);
    if (other !== undefined) violations.push({ invariant: 'unique dots', detail: `writes ${other} and ${write.id} share the dot ${write.dot}` });
    dots.set(write.dot, write.id);
  }
  const checked = new Set<Version>();
  for (const version of world.versions) {
    if (checked.has(version) || version.image === undefined) continue;
    checked.add(version);
    const context = contextOf(version, options);
    for (const write of world.writes) {
      if (!version.past.has(write.id) && sees(context, write.dot)) violations.push({ invariant: 'exact knowledge', detail: `a version claims write ${write.id} (${write.dot}) without holding it` });
    }
  }
  return violations;
}

/**
 * Judges a world by the truth it tracked: its claims (see {@link judgeClaims}) and, once it
 * has quieted down (it is run to the end: pass a fork to keep the world), that every region
 * holds the same item, whose causal past is every client write and whose values are what
 * the rules say of them.
 *
 * @example
 * const world = new World(options); steps.forEach((s) => world.step(s));
 * judge(world, options); // [] when nothing was lost
 */
export function judge(world: World, options: { readonly rules: RuleSet; readonly key: AttributeMap }): Violation[] {
  const quiet = world.quiesce();
  const violations = judgeClaims(world, options);
  if (!quiet) return [...violations, { invariant: 'quiescence', detail: 'the regions kept rewriting the item' }];
  const finals = world.regions.map((_, i) => world.held(i));
  const images = new Set(finals.map((version) => canonicalJson(version.image ?? null)));
  if (images.size > 1) violations.push({ invariant: 'convergence', detail: `regions hold ${images.size} different items` });
  const final = finals[0] as Version;
  for (const write of world.writes) if (!final.past.has(write.id)) violations.push({ invariant: 'no lost write', detail: `write ${write.id} (${write.dot}) is in no region's item` });
  if (world.writes.length > 0) {
    const expected = expectedItem(options.rules, options.key, world.writes);
    const shown = final.image === undefined ? undefined : encodeItem(decodeItem(final.image, options.rules.table, options.key), options.rules);
    const actualDeleted = shown === undefined || shown.deleted;
    if (expected.deleted !== actualDeleted) violations.push({ invariant: 'rules', detail: `the item is ${actualDeleted ? 'deleted' : 'present'}, the writes say ${expected.deleted ? 'deleted' : 'present'}` });
    else if (!expected.deleted) {
      const actual = canonicalJson(visibleOf(final.image as AttributeMap, options.rules));
      const wanted = canonicalJson(expected.attributes);
      if (actual !== wanted) violations.push({ invariant: 'rules', detail: `the item shows ${actual}, the writes say ${wanted}` });
    }
  }
  return violations;
}

/** Versions are immutable and shared by the worlds forked from one another: decode each context once. */
const contexts = new WeakMap<Version, CausalContext>();
const texts = new WeakMap<Version, string>();
/** Images are never mutated: each decodes to one state (rules and key are fixed per world). */
const states = new WeakMap<AttributeMap, ItemState>();

/** A version's image and true past as text, computed once. */
function textOf(version: Version): string {
  let text = texts.get(version);
  if (text === undefined) {
    text = `${canonicalJson(version.image ?? null)} ${[...version.past].sort().join(',')}`;
    texts.set(version, text);
  }
  return text;
}

function contextOf(version: Version, options: { readonly rules: RuleSet; readonly key: AttributeMap }): CausalContext {
  let context = contexts.get(version);
  if (context === undefined) {
    context = (states.get(version.image as AttributeMap) ?? decodeItem(version.image as AttributeMap, options.rules.table, options.key)).context;
    contexts.set(version, context);
  }
  return context;
}

/** Readable form of a step, for counter-examples. */
export function describeStep(step: Step, regions: readonly string[]): string {
  switch (step.kind) {
    case 'write':
      return `${regions[step.region]} writer ${step.writer}: ${describeChange(step.change)}`;
    case 'deliver':
      return `${regions[step.from]} → ${regions[step.to]}: replication delivers (last writer wins)`;
    case 'resolve':
      return `${regions[step.region]}: resolver takes the next record`;
    case 'redeliver':
      return `${regions[step.region]}: resolver gets its last record again`;
    case 'wait':
      return `${step.ms} ms pass`;
  }
}

function describeChange(change: Change): string {
  if (change.type === 'delete') return 'delete';
  if (change.type === 'put') return `put ${canonicalJson(change.item)}`;
  const { type: _type, ...operations } = change;
  return `update ${canonicalJson(operations)}`;
}
