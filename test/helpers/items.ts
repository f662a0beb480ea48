/**
 * Factories for items written through the core, region by region, with clocks a test
 * controls.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import exampleRules from '../../rules/example';
import { HybridClock, type Clock } from '../../shared/clock/hlc';
import { latestClock } from '../../shared/clock/version-vector';
import { parseAttributeMap, type AttributeMap } from '../../shared/dynamodb/attribute-value';
import { decodeItem, emptyState } from '../../shared/item/state';
import type { RuleSet } from '../../shared/rules/types';
import { applyWrite } from '../../shared/write/apply-write';
import type { Change } from '../../shared/write/change';

export const US = 'us-east-1';
export const EU = 'eu-west-1';
export const AP = 'ap-southeast-2';
export const T0 = 1_732_850_000_000;

/** A key of the example table. */
export function keyOf(pk: string, sk = 'A'): AttributeMap {
  return { pk: { S: pk }, sk: { S: sk } };
}

/** Plain values to wire-form attribute values. */
export function av(values: Record<string, unknown>): AttributeMap {
  return parseAttributeMap(marshall(values, { removeUndefinedValues: true }), 'test');
}

/** A clock of `region` at `ms` after T0. */
export function clockAt(region: string, ms: number, counter = 0): Clock {
  return `${String(T0 + ms).padStart(13, '0')}.${String(counter).padStart(5, '0')}.${region}`;
}

/**
 * Writes through `applyWrite` with one hybrid clock per region, on a virtual wall
 * clock that advances 1 ms per write.
 *
 * @example
 * const w = new Writers();
 * const base = w.write(US, undefined, keyOf('STOCK#1'), { type: 'update', increment: { onHand: 1 } });
 */
export class Writers {
  private now = T0;
  private readonly clocks = new Map<string, HybridClock>();

  constructor(readonly rules: RuleSet = exampleRules) {}

  /** The clock of a writer in `region` whose wall clock is `skewMs` off the virtual one. */
  clock(region: string, skewMs = 0): HybridClock {
    const id = `${region}/${skewMs}`;
    let clock = this.clocks.get(id);
    if (clock === undefined) {
      clock = new HybridClock(region, () => this.now + skewMs);
      this.clocks.set(id, clock);
    }
    return clock;
  }

  /** Moves the virtual wall clock on by `ms`. */
  advance(ms: number): void {
    this.now += ms;
  }

  /** Applies `change` in `region` to `image` (or a new item with `key`); returns the new image. */
  write(region: string, image: AttributeMap | undefined, key: AttributeMap, change: Change, skewMs = 0): AttributeMap {
    this.now += 1;
    const state = image === undefined ? emptyState(key) : decodeItem(image, this.rules.table);
    return applyWrite(state, change, region, this.clock(region, skewMs).tick(latestClock(state.vv)), this.rules).image;
  }
}
