/**
 * `applyWrite`: what one application write does to an item, per design.md §2. Pure;
 * the writer library and the lab both use it, and the writer's single-round-trip
 * update expressions produce exactly the image it returns.
 */
import { InvalidWriteError } from '../errors';
import { clockRegion, isClock, type Clock } from '../clock/hlc';
import { counterOf, counterTotal, incrementCounter, setOf, type CounterWrite } from '../item/crdt';
import { encodeItem, isDeleted, type Projection } from '../item/encode';
import { contextOf, isExactFor, type CounterState, type ItemState, type Register, type SetState } from '../item/state';
import { advance } from '../clock/context';
import { ruleFor } from '../rules/define-rules';
import { RuleKind, type Entity, type RuleSet } from '../rules/types';
import type { AttributeValue } from '../dynamodb/attribute-value';
import { entityForChange, validateChange, type Change } from './change';
import { sortedKeys } from '../merge/dots';

export interface AppliedWrite extends Projection {
  readonly state: ItemState;
}

/** A mutable copy of the parts of a state a write changes. */
interface Draft {
  registers: Record<string, Register>;
  counters: Record<string, CounterState>;
  sets: Record<string, SetState>;
}

/**
 * Applies one write made in `region` at `clock` (which must exceed the item's clock).
 * A write to a deleted item starts it afresh: everything the writer saw is cleared.
 *
 * @throws InvalidWriteError when the rules forbid the change or the clock does not advance
 * @example
 * const { state, image } = applyWrite(emptyState(key), { type: 'update', increment: { onHand: 5 } }, 'us-east-1', clock.tick(), rules);
 */
export function applyWrite(state: ItemState, change: Change, region: string, clock: Clock, rules: RuleSet): AppliedWrite {
  if (!isClock(clock) || clockRegion(clock) !== region) throw new InvalidWriteError(undefined, `clock ${clock} is not a clock of region ${region}`);
  for (const seen of Object.values(state.vv)) {
    if (seen >= clock) throw new InvalidWriteError(undefined, `clock ${clock} does not exceed the item's clock ${seen}`);
  }
  const entity = entityForChange(rules, state.key, change, state);
  validateChange(rules, entity, change);
  const draft: Draft = { registers: { ...state.registers }, counters: { ...state.counters }, sets: { ...state.sets } };
  const { vv, gaps } = advance(contextOf(state), clock, isExactFor(state, region), rules.table.gapRetentionSeconds * 1000);
  const counterWrite: CounterWrite = { region, dot: clock, gaps: gaps[region] ?? [] };
  const context = { state, draft, entity, region, clock, counterWrite };
  if (change.type === 'delete' || (state.versioned && isDeleted(state.ex, entity.onDelete))) clearObserved(context);
  if (change.type === 'put') {
    for (const name of sortedKeys(draft.registers, draft.counters, draft.sets)) {
      if (!(name in change.item)) removeAttribute(context, name);
    }
    for (const [name, value] of Object.entries(change.item)) assign(context, name, value);
  } else if (change.type === 'update') {
    for (const [name, value] of Object.entries(change.set ?? {})) assign(context, name, value);
    for (const name of change.remove ?? []) removeAttribute(context, name);
    for (const [name, delta] of Object.entries(change.increment ?? {})) {
      draft.counters[name] = incrementCounter(currentCounter(context, name), counterWrite, delta);
      draft.registers[name] = { [clock]: null };
    }
    for (const [name, elements] of Object.entries(change.addToSet ?? {})) {
      draft.sets[name] = { ...currentSet(context, name), ...Object.fromEntries(elements.map((element) => [element, [clock]])) };
      draft.registers[name] = { [clock]: null };
    }
    for (const [name, elements] of Object.entries(change.removeFromSet ?? {})) {
      const set = { ...currentSet(context, name) };
      for (const element of elements) delete set[element];
      draft.sets[name] = set;
      draft.registers[name] = { [clock]: null };
    }
  }
  const next: ItemState = {
    key: state.key,
    versioned: true,
    vv,
    gaps,
    tip: region,
    ex: { [clock]: change.type !== 'delete' },
    by: region,
    wid: clock,
    ...draft,
  };
  return { state: next, ...encodeItem(next, rules) };
}

interface WriteContext {
  readonly state: ItemState;
  readonly draft: Draft;
  readonly entity: Entity;
  readonly region: string;
  readonly clock: Clock;
  /** Where the write's counter increments go (see incrementCounter). */
  readonly counterWrite: CounterWrite;
}

// The draft's state once the write has touched it, else the item's (adopting legacy values).
function currentCounter({ state, draft, entity }: WriteContext, name: string): CounterState {
  return draft.counters[name] ?? counterOf(state, name, entity.name);
}

function currentSet({ state, draft, entity }: WriteContext, name: string): SetState {
  return draft.sets[name] ?? setOf(state, name, entity.name);
}

/** Observed remove of everything: what a delete does, and a write to a deleted item first. */
function clearObserved(context: WriteContext): void {
  const { draft } = context;
  for (const name of sortedKeys(draft.registers, draft.counters, draft.sets)) resetAttribute(context, name);
  draft.registers = {};
}

/** A counter's observed total is cancelled in the writer's own slot; a set's observed adds are dropped. */
function resetAttribute(context: WriteContext, name: string): void {
  const { draft, entity, counterWrite } = context;
  const kind = ruleFor(entity, name).kind;
  if (kind === RuleKind.Counter || draft.counters[name] !== undefined) {
    const counter = currentCounter(context, name);
    const total = counterTotal(counter);
    if (total !== 0 || draft.counters[name] !== undefined) draft.counters[name] = incrementCounter(counter, counterWrite, -total);
  }
  if (kind === RuleKind.AddWinsSet || draft.sets[name] !== undefined) draft.sets[name] = {};
  delete draft.registers[name];
}

function removeAttribute(context: WriteContext, name: string): void {
  const kind = ruleFor(context.entity, name).kind;
  if (kind === RuleKind.Counter || kind === RuleKind.AddWinsSet) resetAttribute(context, name);
  else context.draft.registers[name] = { [context.clock]: null };
}

function assign(context: WriteContext, name: string, value: AttributeValue): void {
  const { draft, entity, clock, counterWrite } = context;
  const kind = ruleFor(entity, name).kind;
  if (kind === RuleKind.Counter) {
    const counter = currentCounter(context, name);
    draft.counters[name] = incrementCounter(counter, counterWrite, Number((value as { N: string }).N) - counterTotal(counter));
    draft.registers[name] = { [clock]: null };
  } else if (kind === RuleKind.AddWinsSet) {
    draft.sets[name] = Object.fromEntries((value as { SS: string[] }).SS.map((element) => [element, [clock]]));
    draft.registers[name] = { [clock]: null };
  } else {
    draft.registers[name] = { [clock]: value };
  }
}
