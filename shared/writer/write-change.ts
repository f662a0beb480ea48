/**
 * One write from start to end (design §6): the one-call update when the item is on this
 * region's line, the full path when it is not or when the update cannot carry the change,
 * and the retry budget when other writes keep winning the race.
 */
import { WriteContentionError } from '../errors';
import type { Tick } from '../clock/hlc';
import type { AttributeMap } from '../dynamodb/attribute-value';
import { isDeleted } from '../item/encode';
import { decodeItem, describeKey, isOnLineOf, type ItemState } from '../item/state';
import { lineClock } from '../write/apply-write';
import type { Entity } from '../rules/types';
import type { Change } from '../write/change';
import { WritePath, type WriteResult, type WriterContext } from './context';
import { buildFastUpdate, sendFastUpdate } from './fast-path';
import { backoffDelay } from './retry';
import { readCurrent, writeSlowly, type CurrentItem } from './slow-path';

/** The `wid` of a write: its clock, region and writer instance (unique without the epoch's tag). */
export function writeId(context: WriterContext, tick: Tick): string {
  return `${tick.clock}.${context.region}.${context.writer}`;
}

/** The last version of the item this write saw (read, or returned by a failed condition), decoded. */
interface Known {
  readonly current: CurrentItem;
  readonly state: ItemState | undefined;
}

/**
 * The clock of a one-call attempt, or undefined when it cannot succeed on the version the
 * write last saw: not on this region's line, a tombstone, lacking the state the update
 * extends, or it refused this very attempt twice already. A first refusal by a version on
 * the line means the clock was not ahead of its line: the next clock is above it (for
 * this write alone when that line is beyond the clock offset bound).
 */
function fastTick(context: WriterContext, entity: Entity, change: Change, known: Known, refusals: ReadonlyMap<string, number>): Tick | undefined {
  const { current, state } = known;
  if (current.known === 'absent' && !current.guessed) return undefined;
  // Refused without the item in the answer (dynalite), or twice by the same version: read instead.
  if ((refusals.get(state?.wid ?? '') ?? 0) >= (current.known === 'image' ? 2 : 1)) return undefined;
  if (state === undefined) return { clock: context.clock.tick(), confined: false };
  if (!isOnLineOf(state, context.region) || isDeleted(state.ex, entity.onDelete) || !extendsState(state, change)) return undefined;
  const line = lineClock(state, context.region);
  return line === undefined ? { clock: context.clock.tick(), confined: false } : context.clock.tickAbove(line);
}

/** True when the state has what the one-call update of `change` extends (fast-path.ts states the same as conditions). */
function extendsState(state: ItemState, change: Change): boolean {
  if (change.type !== 'update') return false;
  const noSiblings = (name: string): boolean => (state.registers.get(name)?.size ?? 0) <= 1;
  const line = state.tip as string;
  return (
    Object.keys(change.set ?? {}).every((name) => noSiblings(name) || state.sets.has(name)) &&
    (change.remove ?? []).every(noSiblings) &&
    Object.keys(change.increment ?? {}).every((name) => state.counters.get(name)?.has(line) === true && (state.registers.get(name)?.size ?? 0) > 0) &&
    [...Object.keys(change.addToSet ?? {}), ...Object.keys(change.removeFromSet ?? {})].every((name) => state.sets.has(name))
  );
}

/**
 * Writes a change already validated against `entity`, reading the item first when
 * `readFirst` (see ./item-hints.ts). A one-call attempt that fails on a
 * version still on this region's line (another writer's clock was ahead, or requests
 * arrived out of order) is tried again above that version's line before anything heavier;
 * a lost full-path race backs off and starts over.
 *
 * @throws WriteContentionError when `retry.maxAttempts` attempts all lost the race
 * @example
 * const { clock, roundTrips } = await writeChange(context, key, entity, { type: 'update', increment: { onHand: 1 } });
 */
export async function writeChange(context: WriterContext, key: AttributeMap, entity: Entity, change: Change, readFirst = false): Promise<WriteResult> {
  const { retry } = context;
  let known: Known = { current: { known: 'nothing' }, state: undefined };
  /** What the write now knows of the item; `fallback` tells the line when the answer did not. */
  const see = (current: CurrentItem, fallback: CurrentItem = current): void => {
    const told = current.known === 'nothing' ? fallback : current;
    known = { current, state: told.known === 'image' ? decodeItem(told.image, context.rules.table, key) : told.known === 'nothing' ? known.state : undefined };
  };
  const refusals = new Map<string, number>();
  let roundTrips = 0;
  let refused = 0;
  let contended = false;
  let lost = 0;
  const lose = async (cause: unknown): Promise<void> => {
    lost += 1;
    if (lost >= retry.maxAttempts) throw new WriteContentionError(describeKey(key), lost, { cause });
    await retry.sleep(backoffDelay(lost, retry));
  };
  if (readFirst) {
    see(await readCurrent(context, key));
    roundTrips += 1;
  }
  for (;;) {
    const tick = fastTick(context, entity, change, known, refusals);
    const input = tick === undefined ? undefined : buildFastUpdate({ tableName: context.tableName, rules: context.rules, entity, key, change, region: context.region, clock: tick.clock, wid: writeId(context, tick) });
    if (tick !== undefined && input !== undefined) {
      const fast = await sendFastUpdate(context, input, roundTrips === 0);
      roundTrips += 1;
      if (fast.written) return { clock: tick.clock, wid: writeId(context, tick), roundTrips, refused, contended, path: WritePath.Fast, clockAhead: tick.confined };
      refused += 1;
      // Refused where no item is: a new item, not another writer's version.
      contended ||= fast.current.known !== 'absent';
      const refusedBy = fast.current.known === 'image' ? decodeItem(fast.current.image, context.rules.table, key).wid : (known.state?.wid ?? '');
      refusals.set(refusedBy, (refusals.get(refusedBy) ?? 0) + 1);
      see(fast.current);
      // Refused by a version on this region's line: another writer was ahead, a race lost.
      if (fast.current.known === 'image' && isOnLineOf(known.state as ItemState, context.region)) await lose(undefined);
      continue;
    }
    const slow = await writeSlowly(context, key, change, known.current);
    roundTrips += slow.roundTrips;
    refused += slow.refused;
    contended ||= !slow.written;
    if (slow.written) return { clock: slow.tick.clock, wid: slow.wid, roundTrips, refused, contended, path: WritePath.Slow, clockAhead: slow.tick.confined };
    await lose(slow.failure);
    // Without the item in the failure (dynalite), the version read still tells the line to beat.
    see(slow.current, slow.based);
    refusals.clear();
  }
}
