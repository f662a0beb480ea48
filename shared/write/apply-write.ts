/**
 * `applyWrite`: what one application write does to an item (design §3.2, §4). Pure; the
 * writer library and the lab both use it, and the writer's one-call update produces
 * exactly the image it returns.
 */
import { InvalidWriteError } from '../errors';
import { isClock, type Clock, type HybridClock, type Tick } from '../clock/hlc';
import { actorOf, dotOf, isRegionName, type Actor, type Dot, type TagSource } from '../clock/dot';
import { advance } from '../clock/context';
import { counterOf, counterTotal, incrementCounter, setOf } from '../item/crdt';
import { encodeItem, isDeleted, type Projection } from '../item/encode';
import { isOnLineOf, type CounterState, type ItemState, type Register, type SetState } from '../item/state';
import { fitsDynamoNumber, wholeNumber } from '../dynamodb/number';
import { ruleFor } from '../rules/define-rules';
import { RuleKind, type Entity, type RuleSet } from '../rules/types';
import type { AttributeValue } from '../dynamodb/attribute-value';
import { entityForChange, validateChange, type Change } from './change';

/** Who writes, and when. */
export interface WriteStamp {
  readonly region: string;
  /** The write's clock: above {@link lineClock} of the item. */
  readonly clock: Clock;
  /** The writer instance (part of `wid`): unique per process. */
  readonly writer: string;
  /** Issues the tag when the write starts an epoch. */
  readonly tags: TagSource;
  /** Start an epoch even on the region's line (its clock cannot be exceeded). */
  readonly newEpoch?: boolean;
}

export interface AppliedWrite extends Projection {
  readonly state: ItemState;
  /** The write's dot. */
  readonly dot: Dot;
}

/**
 * The clock a write of `region` must exceed: the latest dot of the region's line when the
 * item is on it (the write continues it), and the region's floor in any case.
 *
 * @example
 * const clock = hybridClock.tickAbove(lineClock(state, region) ?? '');
 */
export function lineClock(state: ItemState, region: string): Clock | undefined {
  const floor = state.context.floors.get(region);
  const line = state.tip !== undefined && isOnLineOf(state, region) ? state.context.vv.get(state.tip) : undefined;
  return line === undefined ? floor : floor === undefined || line > floor ? line : floor;
}

/**
 * The clock of `region`'s next write on `state`, from a writer's hybrid clock: above the
 * item's line of the region and its floor (design §6.3). `newEpoch` when nothing exceeds
 * the line (a clock at the end of the format): the write then starts an epoch, which only
 * needs to exceed the floor.
 *
 * @throws InvalidWriteError when not even the floor can be exceeded (a forged envelope)
 * @example
 * const { tick, newEpoch } = nextWriteTick(clock, state, 'eu-west-1');
 */
export function nextWriteTick(clock: HybridClock, state: ItemState, region: string): { readonly tick: Tick; readonly newEpoch: boolean } {
  const tickAbove = (above: Clock | undefined): Tick | undefined => (above === undefined ? { clock: clock.tick(), confined: false } : clock.tickAbove(above));
  const tick = tickAbove(lineClock(state, region));
  if (tick !== undefined) return { tick, newEpoch: false };
  const fresh = tickAbove(state.context.floors.get(region));
  if (fresh === undefined) throw new InvalidWriteError(undefined, `the item's floor of ${region} is at the end of the clock range: its envelope is not one Concord wrote`);
  return { tick: fresh, newEpoch: true };
}

/** The epoch a write of `region` belongs to: the item's line of the region, or a new one. */
function epochOf(state: ItemState, stamp: WriteStamp): Actor {
  if (!stamp.newEpoch && state.tip !== undefined && isOnLineOf(state, stamp.region)) return state.tip;
  return actorOf(stamp.region, stamp.tags());
}

/**
 * Applies one write made in `stamp.region` at `stamp.clock`. A write to a deleted item
 * starts it afresh: everything the writer saw is cleared.
 *
 * @throws InvalidWriteError when the rules forbid the change or the clock does not exceed the item's line
 * @example
 * const { state, image } = applyWrite(emptyState(key), { type: 'update', increment: { onHand: 5 } }, { region: 'us-east-1', clock, writer, tags: randomTag }, rules);
 */
export function applyWrite(state: ItemState, change: Change, stamp: WriteStamp, rules: RuleSet): AppliedWrite {
  const { region, clock } = stamp;
  if (!isRegionName(region)) throw new InvalidWriteError(undefined, `region ${JSON.stringify(region)} is not a region name`);
  if (!isClock(clock)) throw new InvalidWriteError(undefined, `clock ${JSON.stringify(clock)} is not a clock`);
  const actor = epochOf(state, stamp);
  const above = actor === state.tip ? lineClock(state, region) : state.context.floors.get(region);
  if (above !== undefined && clock <= above) throw new InvalidWriteError(undefined, `clock ${clock} does not exceed ${above}, the item's line of ${region}`);
  const entity = entityForChange(rules, state.key, change, state);
  validateChange(rules, entity, change);
  const dot = dotOf(clock, actor);
  const draft: Draft = { registers: new Map(state.registers), counters: new Map(state.counters), sets: new Map(state.sets) };
  const context: WriteContext = { state, draft, entity, dot, actor };
  if (change.type === 'delete' || (state.versioned && isDeleted(state.ex, entity.onDelete))) clearObserved(context);
  if (change.type === 'put') {
    for (const name of [...new Set([...draft.registers.keys(), ...draft.counters.keys(), ...draft.sets.keys()])].sort()) {
      if (!Object.hasOwn(change.item, name)) removeAttribute(context, name);
    }
    for (const [name, value] of Object.entries(change.item)) assign(context, name, value);
  } else if (change.type === 'update') {
    for (const [name, value] of Object.entries(change.set ?? {})) assign(context, name, value);
    for (const name of change.remove ?? []) removeAttribute(context, name);
    for (const [name, delta] of Object.entries(change.increment ?? {})) addToCounter(context, name, BigInt(delta));
    for (const [name, elements] of Object.entries(change.addToSet ?? {})) {
      const set = new Map(currentSet(context, name));
      for (const element of elements) set.set(element, [dot]);
      draft.sets.set(name, set);
      draft.registers.set(name, new Map([[dot, null]]));
    }
    for (const [name, elements] of Object.entries(change.removeFromSet ?? {})) {
      const set = new Map(currentSet(context, name));
      for (const element of elements) set.delete(element);
      draft.sets.set(name, set);
      draft.registers.set(name, new Map([[dot, null]]));
    }
  }
  const next: ItemState = {
    key: state.key,
    versioned: true,
    context: advance(state.context, dot),
    tip: actor,
    holds: state.holds,
    ex: new Map([[dot, change.type !== 'delete']]),
    by: region,
    wid: `${clock}.${region}.${stamp.writer}`,
    ...draft,
  };
  return { state: next, dot, ...encodeItem(next, rules) };
}

/** A mutable copy of the parts of a state a write changes. */
interface Draft {
  registers: Map<string, Register>;
  counters: Map<string, CounterState>;
  sets: Map<string, SetState>;
}

interface WriteContext {
  readonly state: ItemState;
  readonly draft: Draft;
  readonly entity: Entity;
  readonly dot: Dot;
  /** The writing epoch: its counter slot takes the write's increments. */
  readonly actor: Actor;
}

// The draft's state once the write has touched it, else the item's (adopting legacy values).
function currentCounter({ state, draft, entity }: WriteContext, name: string): CounterState {
  return draft.counters.get(name) ?? counterOf(state, name, entity.name);
}

function currentSet({ state, draft, entity }: WriteContext, name: string): SetState {
  return draft.sets.get(name) ?? setOf(state, name, entity.name);
}

/** Adds `delta` in the writer's epoch slot; the attribute's register records the write. */
function addToCounter(context: WriteContext, name: string, delta: bigint): void {
  const counter = incrementCounter(currentCounter(context, name), context.actor, delta);
  const total = counterTotal(counter);
  if (!fitsDynamoNumber(total) || ![...counter.values()].every((slot) => fitsDynamoNumber(slot.p) && fitsDynamoNumber(slot.n))) {
    throw new InvalidWriteError(name, `the counter would pass DynamoDB's 38 significant digits`);
  }
  context.draft.counters.set(name, counter);
  context.draft.registers.set(name, new Map([[context.dot, null]]));
}

/** Observed remove of everything: what a delete does, and a write to a deleted item first. */
function clearObserved(context: WriteContext): void {
  const { draft } = context;
  for (const name of [...new Set([...draft.registers.keys(), ...draft.counters.keys(), ...draft.sets.keys()])].sort()) resetAttribute(context, name);
  draft.registers.clear();
}

/** A counter's observed total is cancelled in the writer's own slot; a set's observed adds are dropped. */
function resetAttribute(context: WriteContext, name: string): void {
  const { draft, entity } = context;
  const kind = ruleFor(entity, name).kind;
  if (kind === RuleKind.Counter || draft.counters.has(name)) {
    const counter = currentCounter(context, name);
    const total = counterTotal(counter);
    if (total !== 0n || draft.counters.has(name)) draft.counters.set(name, incrementCounter(counter, context.actor, -total));
  }
  if (kind === RuleKind.AddWinsSet || draft.sets.has(name)) draft.sets.set(name, new Map());
  draft.registers.delete(name);
}

function removeAttribute(context: WriteContext, name: string): void {
  const kind = ruleFor(context.entity, name).kind;
  if (kind === RuleKind.Counter || kind === RuleKind.AddWinsSet) resetAttribute(context, name);
  else context.draft.registers.set(name, new Map([[context.dot, null]]));
}

function assign(context: WriteContext, name: string, value: AttributeValue): void {
  const { draft, dot } = context;
  const kind = ruleFor(context.entity, name).kind;
  if (kind === RuleKind.Counter) {
    addToCounter(context, name, (wholeNumber((value as { N: string }).N) as bigint) - counterTotal(currentCounter(context, name)));
  } else if (kind === RuleKind.AddWinsSet) {
    draft.sets.set(name, new Map((value as { SS: string[] }).SS.map((element) => [element, [dot]])));
    draft.registers.set(name, new Map([[dot, null]]));
  } else {
    draft.registers.set(name, new Map([[dot, value]]));
  }
}
