/**
 * Factories for items written through the core, region by region, with clocks a test
 * controls.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import exampleRules from '../../rules/example';
import { HybridClock, formatClock, type Clock } from '../../shared/clock/hlc';
import { seededTags, type TagSource } from '../../shared/clock/dot';
import { parseAttributeMap, type AttributeMap } from '../../shared/dynamodb/attribute-value';
import { decodeItem, emptyState } from '../../shared/item/state';
import type { RuleSet } from '../../shared/rules/types';
import { applyWrite, nextWriteTick } from '../../shared/write/apply-write';
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

/** The clock `ms` after T0. */
export function clockAt(ms: number, counter = 0): Clock {
  return formatClock({ wallMs: T0 + ms, counter });
}

/**
 * Writes through `applyWrite` with one hybrid clock per region (and skew), on a virtual
 * wall clock that advances `stepMs` (1 ms) per write.
 *
 * @example
 * const w = new Writers();
 * const base = w.write(US, undefined, keyOf('STOCK#1'), { type: 'update', increment: { onHand: 1 } });
 */
export class Writers {
  private wallMs: number;
  private readonly clocks = new Map<string, HybridClock>();
  /** Every writer's epochs take their tags from one seeded source: tests repeat. */
  readonly tags: TagSource = seededTags('writers');

  constructor(
    readonly rules: RuleSet = exampleRules,
    startMs = T0,
    private readonly stepMs = 1,
  ) {
    this.wallMs = startMs;
  }

  /** The virtual time of the latest write. */
  get now(): number {
    return this.wallMs;
  }

  /** The clock of a writer in `region` whose wall clock is `skewMs` off the virtual one. */
  clock(region: string, skewMs = 0): HybridClock {
    const id = `${region}/${skewMs}`;
    let clock = this.clocks.get(id);
    if (clock === undefined) {
      clock = new HybridClock({ now: () => this.wallMs + skewMs, maxOffsetMs: this.rules.table.maxClockOffsetMs });
      this.clocks.set(id, clock);
    }
    return clock;
  }

  /** Moves the virtual wall clock on by `ms`. */
  advance(ms: number): void {
    this.wallMs += ms;
  }

  /** Applies `change` in `region` to `image` (or a new item with `key`); returns the new image. */
  write(region: string, image: AttributeMap | undefined, key: AttributeMap, change: Change, skewMs = 0): AttributeMap {
    this.wallMs += this.stepMs;
    const state = image === undefined ? emptyState(key) : decodeItem(image, this.rules.table);
    const { tick, newEpoch } = nextWriteTick(this.clock(region, skewMs), state, region);
    return applyWrite(state, change, { region, clock: tick.clock, writer: `${region}/${skewMs}`, tags: this.tags, newEpoch }, this.rules).image;
  }
}
