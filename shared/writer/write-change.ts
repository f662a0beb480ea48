/**
 * One write from start to end: the fast path when an update expression can carry it,
 * the slow path when it cannot or when the item turns out not to suit it, and the
 * retry budget when other writes keep winning the race.
 */
import { WriteContentionError } from '../errors';
import type { AttributeMap } from '../dynamodb/attribute-value';
import { describeKey } from '../item/state';
import type { Entity } from '../rules/types';
import type { Change } from '../write/change';
import { WritePath, type WriteResult, type WriterContext } from './context';
import { buildFastUpdate, sendFastUpdate } from './fast-path';
import { backoffDelay } from './retry';
import { writeSlowly, type CurrentItem } from './slow-path';

/**
 * Writes a change already validated against `entity`. After a lost race it backs off
 * and starts again from the fast path: racing updates of counters and sets commute,
 * so the fast path usually wins where another full-image put would race again.
 *
 * @throws WriteContentionError when `retry.maxAttempts` attempts all lost the race
 * @example
 * const { clock, roundTrips } = await writeChange(context, key, entity, { type: 'update', increment: { onHand: 1 } });
 */
export async function writeChange(context: WriterContext, key: AttributeMap, entity: Entity, change: Change): Promise<WriteResult> {
  const { retry } = context;
  let current: CurrentItem = { known: 'nothing' };
  let roundTrips = 0;
  for (let lost = 0; ; ) {
    // Each attempt's clock is above every clock the writer has read, so the next fast try can win.
    const clock = context.clock.tick();
    const input = buildFastUpdate({ tableName: context.tableName, rules: context.rules, entity, key, change, region: context.region, clock });
    if (input !== undefined) {
      const fast = await sendFastUpdate(context, input, lost === 0);
      roundTrips += 1;
      if (fast.written) return { clock, roundTrips, path: WritePath.Fast };
      current = fast.current;
    }
    const slow = await writeSlowly(context, key, change, current);
    roundTrips += slow.roundTrips;
    if (slow.written) return { clock: slow.clock, roundTrips, path: WritePath.Slow };
    lost += 1;
    if (lost >= retry.maxAttempts) throw new WriteContentionError(describeKey(key), lost, { cause: slow.failure });
    current = slow.current;
    await retry.sleep(backoffDelay(lost, retry));
  }
}
