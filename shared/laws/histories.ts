/**
 * Generated write histories: replicas in several regions that write through
 * `applyWrite` and exchange versions through `merge`, as Global Tables replicas and
 * resolvers do. States for the merge laws come from these histories, never from
 * arbitrary structs, so every state a law meets is one a real table can hold.
 */
import fc from 'fast-check';
import { HybridClock, type Clock } from '../clock/hlc';
import { canonicalJson, type AttributeMap, type AttributeValue } from '../dynamodb/attribute-value';
import { contextOf, decodeItem, emptyState } from '../item/state';
import type { CausalContext } from '../clock/context';
import { latestClock } from '../clock/version-vector';
import { merge } from '../merge/merge';
import { ruleFor } from '../rules/define-rules';
import { RuleKind, type AttributeRule, type AttributeType, type Entity, type RuleSet } from '../rules/types';
import { applyWrite } from '../write/apply-write';
import type { Change } from '../write/change';

export const DEFAULT_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
const BASE_MS = 1_700_000_000_000;
const ELEMENTS = ['a', 'b', 'c'];

/**
 * One step of a history: a write in a region; a replica merging another's version (as
 * a resolver does); or a replica's version replaced by another's, as Global Tables
 * replicate by last-writer-wins (only when the incoming version was written later).
 */
export type Step =
  | { readonly kind: 'write'; readonly region: number; readonly change: Change; readonly skewMs: number }
  | { readonly kind: 'sync'; readonly from: number; readonly to: number }
  | { readonly kind: 'overwrite'; readonly from: number; readonly to: number };

/** A write as it happened: its dot, what it had seen, what it did. */
export interface WriteEvent {
  readonly dot: Clock;
  readonly region: string;
  /** The causal context of the version it was applied to: its causal past. */
  readonly seen: CausalContext;
  readonly change: Change;
}

/** What replaying a history produced. */
export interface Replay {
  /** Each replica's current image, or undefined if it never held the item. */
  readonly replicas: readonly (AttributeMap | undefined)[];
  readonly writes: readonly WriteEvent[];
  /** Every version a write produced, in the order written. */
  readonly written: readonly AttributeMap[];
}

export interface HistoryOptions {
  readonly regions?: readonly string[];
  readonly table?: string;
}

/**
 * A value of a declared type, from a small domain so that histories collide often. An
 * undeclared type takes what the rule compares: numbers for max and min, string sets
 * for union.
 */
export function valueArbitrary(declared: AttributeType, rule?: AttributeRule): fc.Arbitrary<AttributeValue> {
  if (rule?.kind === RuleKind.Priority) {
    return fc.constantFrom(...[...(rule.rank ?? new Map()).keys(), 'UNRANKED']).map((S) => ({ S }));
  }
  const assumed: Partial<Record<RuleKind, AttributeType>> = { max: 'number', min: 'number', union: 'stringSet' };
  const type = declared === 'any' ? (assumed[rule?.kind ?? RuleKind.Lww] ?? 'any') : declared;
  const word = fc.constantFrom('', 'a', 'b', 'ab', 'ba', 'abc');
  const number = fc.integer({ min: -5, max: 5 }).map((n) => String(n));
  switch (type) {
    case 'number':
      return number.map((N) => ({ N }));
    case 'boolean':
      return fc.boolean().map((BOOL) => ({ BOOL }));
    case 'binary':
      return fc.constantFrom('AA==', 'AQ==', 'Ag==').map((B) => ({ B }));
    case 'stringSet':
      return fc.uniqueArray(fc.constantFrom(...ELEMENTS), { minLength: 1, maxLength: 3 }).map((SS) => ({ SS: [...SS].sort() }));
    case 'numberSet':
      return fc.uniqueArray(number, { minLength: 1, maxLength: 3 }).map((NS) => ({ NS: [...NS].sort() }));
    case 'binarySet':
      return fc.uniqueArray(fc.constantFrom('AA==', 'AQ=='), { minLength: 1, maxLength: 2 }).map((BS) => ({ BS: [...BS].sort() }));
    case 'list':
      return fc.array(word.map((S) => ({ S }) as AttributeValue), { maxLength: 3 }).map((L) => ({ L }));
    case 'map':
      return fc.dictionary(fc.constantFrom('x', 'y'), word.map((S) => ({ S }) as AttributeValue), { maxKeys: 2 }).map((M) => ({ M }));
    case 'string':
      return word.map((S) => ({ S }));
    case 'any':
      return fc.oneof(word.map((S) => ({ S }) as AttributeValue), number.map((N) => ({ N }) as AttributeValue));
  }
}

/** A change one attribute's rule allows: an assignment, a removal, or the kind's own operations. */
function attributeChange(name: string, rule: AttributeRule): fc.Arbitrary<Change> {
  const set = valueArbitrary(rule.type, rule).map((value): Change => ({ type: 'update', set: { [name]: value } }));
  const remove = fc.constant<Change>({ type: 'update', remove: [name] });
  if (rule.kind === RuleKind.Counter) {
    return fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: -3, max: 3 }).map((delta): Change => ({ type: 'update', increment: { [name]: delta } })) },
      { weight: 1, arbitrary: set },
      { weight: 1, arbitrary: remove },
    );
  }
  if (rule.kind === RuleKind.AddWinsSet) {
    const elements = fc.uniqueArray(fc.constantFrom(...ELEMENTS), { minLength: 1, maxLength: 2 });
    return fc.oneof(
      { weight: 3, arbitrary: elements.map((list): Change => ({ type: 'update', addToSet: { [name]: list } })) },
      { weight: 3, arbitrary: elements.map((list): Change => ({ type: 'update', removeFromSet: { [name]: list } })) },
      { weight: 1, arbitrary: set },
      { weight: 1, arbitrary: remove },
    );
  }
  return fc.oneof({ weight: 3, arbitrary: set }, { weight: 1, arbitrary: remove });
}

/** The attributes a history writes for an entity: its declared ones and one governed by `otherAttributes`. */
export function attributesOf(entity: Entity): string[] {
  return [...Object.keys(entity.attributes), 'extra'];
}

/** Any change to an entity's item: one attribute's change, a put of every attribute, or a delete. */
export function changeArbitrary(entity: Entity, attributes: readonly string[] = attributesOf(entity)): fc.Arbitrary<Change> {
  const single = fc.oneof(...attributes.map((name) => attributeChange(name, ruleFor(entity, name))));
  const put = fc
    .tuple(...attributes.map((name) => fc.option(valueArbitrary(ruleFor(entity, name).type, ruleFor(entity, name)), { nil: undefined })))
    .map((values): Change => ({
      type: 'put',
      item: Object.fromEntries(attributes.flatMap((name, i) => (values[i] === undefined ? [] : [[name, values[i] as AttributeValue]]))),
    }));
  return fc.oneof({ weight: 8, arbitrary: single }, { weight: 1, arbitrary: put }, { weight: 1, arbitrary: fc.constant<Change>({ type: 'delete' }) });
}

/** Steps are a second apart; writers' clocks are skewed by less than half of that (README: the clock assumption). */
const STEP_MS = 1000;
const MAX_SKEW_MS = 400;

/** A history: writes (with per-write clock skew), merges and last-writer-wins overwrites between `regions` replicas. */
export function historyArbitrary(entity: Entity, regionCount: number, maxSteps = 10, attributes?: readonly string[]): fc.Arbitrary<Step[]> {
  const region = fc.integer({ min: 0, max: regionCount - 1 });
  const write = fc.record({ kind: fc.constant('write' as const), region, change: changeArbitrary(entity, attributes), skewMs: fc.integer({ min: -MAX_SKEW_MS, max: MAX_SKEW_MS }) });
  const between = <K extends 'sync' | 'overwrite'>(kind: K) => fc.record({ kind: fc.constant(kind), from: region, to: region }).filter((step) => step.from !== step.to);
  return fc.array(fc.oneof({ weight: 3, arbitrary: write }, { weight: 2, arbitrary: between('sync') }, { weight: 2, arbitrary: between('overwrite') }), { minLength: 1, maxLength: maxSteps });
}

/**
 * Replays a history: every replica starts from nothing; a write applies to the
 * writer's replica with a clock ticked above the item's; a sync merges the sender's
 * version into the receiver's; an overwrite replaces the receiver's version with the
 * sender's if that was written later (the receiver's own writes may be lost there, as
 * on Global Tables, until a merge brings them back).
 */
export function replay(rules: RuleSet, key: AttributeMap, steps: readonly Step[], options: HistoryOptions = {}): Replay {
  const regions = options.regions ?? DEFAULT_REGIONS;
  const table = options.table ?? 'concord-laws';
  let tick = 0;
  const clocks = regions.map((name, i) => new HybridClock(name, () => BASE_MS + tick * STEP_MS + (steps[tick - 1]?.kind === 'write' ? (steps[tick - 1] as { skewMs: number }).skewMs : i)));
  const replicas: (AttributeMap | undefined)[] = regions.map(() => undefined);
  // When each replica's version was written: the last-writer-wins timestamp.
  const writtenAt: number[] = regions.map(() => 0);
  const writes: WriteEvent[] = [];
  const written: AttributeMap[] = [];
  for (const step of steps) {
    tick += 1;
    if (step.kind !== 'write') {
      const sent = replicas[step.from];
      const held = replicas[step.to];
      if (sent === undefined) continue;
      if (step.kind === 'overwrite') {
        if ((writtenAt[step.from] as number) > (writtenAt[step.to] as number)) [replicas[step.to], writtenAt[step.to]] = [sent, writtenAt[step.from] as number];
        continue;
      }
      // The receiver merges what it was sent into its current version, as a resolver does.
      replicas[step.to] = held === undefined ? sent : merge(sent, held, rules, { table, writtenIn: regions[step.to] }).item;
      writtenAt[step.to] = tick;
      continue;
    }
    const region = regions[step.region] as string;
    const image = replicas[step.region];
    const state = image === undefined ? emptyState(key) : decodeItem(image, rules.table);
    const dot = (clocks[step.region] as HybridClock).tick(latestClock(state.vv));
    const { image: next } = applyWrite(state, step.change, region, dot, rules);
    replicas[step.region] = next;
    writtenAt[step.region] = tick;
    written.push(next);
    writes.push({ dot, region, seen: contextOf(state), change: step.change });
  }
  return { replicas, writes, written };
}

/**
 * Canonical bytes of an image without `_cc.wid`, `_cc.by` and `_cc.tip`, which describe
 * the lineage of a version (the event that produced it, where, and whether that
 * region's copy kept its every write), not its state.
 */
export function stateBytes(image: AttributeMap | undefined, envelopeAttribute = '_cc'): string {
  if (image === undefined) return 'undefined';
  const envelope = image[envelopeAttribute];
  if (envelope === undefined || !('M' in envelope)) return canonicalJson(image);
  const { wid: _wid, by: _by, tip: _tip, ...rest } = envelope.M;
  return canonicalJson({ ...image, [envelopeAttribute]: { M: rest } });
}

/** Readable one-line form of a step, for counter-examples. */
export function describeStep(step: Step, regions: readonly string[] = DEFAULT_REGIONS): string {
  if (step.kind === 'sync') return `${regions[step.from]} → ${regions[step.to]} (merged)`;
  if (step.kind === 'overwrite') return `${regions[step.from]} → ${regions[step.to]} (replaces it if written later)`;
  return `${regions[step.region]} ${describeChange(step.change)}`;
}

function describeChange(change: Change): string {
  if (change.type === 'delete') return 'delete';
  if (change.type === 'put') return `put ${canonicalJson(change.item)}`;
  const { type: _type, ...operations } = change;
  return `update ${canonicalJson(operations)}`;
}
