/**
 * The faults of a run, drawn from its seed: partitions between region pairs that heal,
 * duplicate and re-delivered batches, handler crashes mid-batch, DynamoDB throttling on
 * a fraction of calls, and PutEvents entry failures. (Writers' clock errors are the
 * scenario's `skewMs`, at every level.)
 */
import type { Draw } from './draw';
import type { MappingFaults } from './event-source-mapping';
import type { Partition } from './network';

/** How hard the run is hit. */
export const FaultLevel = {
  Off: 'off',
  On: 'on',
  Heavy: 'heavy',
} as const;
export type FaultLevel = (typeof FaultLevel)[keyof typeof FaultLevel];
export const FAULT_LEVELS: readonly FaultLevel[] = Object.values(FaultLevel);

/** The faults of one run. */
export interface FaultPlan {
  readonly level: FaultLevel;
  /** Share of DynamoDB calls (through a region's endpoint) answered with throttling. */
  readonly throttleFraction: number;
  /** Share of PutEvents entries to a regional audit bus that fail (retryable `InternalFailure`). */
  readonly putEventsFailureFraction: number;
  readonly mapping: MappingFaults;
  readonly partitions: readonly Partition[];
  /** Each writer's clock is off the virtual time by up to this many ms, either way (the scenario's skew). */
  readonly clockSkewMs: number;
}

interface LevelSettings {
  readonly throttleFraction: number;
  readonly putEventsFailureFraction: number;
  readonly mapping: MappingFaults;
  readonly partitions: number;
  readonly partitionMs: readonly [number, number];
}

const LEVELS: Record<FaultLevel, LevelSettings> = {
  off: { throttleFraction: 0, putEventsFailureFraction: 0, mapping: { duplicate: 0, redeliver: 0, crash: 0 }, partitions: 0, partitionMs: [0, 0] },
  on: { throttleFraction: 0.02, putEventsFailureFraction: 0.05, mapping: { duplicate: 0.05, redeliver: 0.05, crash: 0.05 }, partitions: 2, partitionMs: [1_000, 5_000] },
  heavy: { throttleFraction: 0.08, putEventsFailureFraction: 0.2, mapping: { duplicate: 0.15, redeliver: 0.15, crash: 0.15 }, partitions: 4, partitionMs: [3_000, 15_000] },
};

/**
 * Draws the faults of a run whose client writes span `[startMs, startMs + durationMs)`,
 * its writers' clocks off by up to `clockSkewMs`.
 *
 * @example
 * const plan = planFaults(FaultLevel.On, regions, start, 30_000, new Draw(seed, 'faults'));
 */
export function planFaults(level: FaultLevel, regions: readonly string[], startMs: number, durationMs: number, draw: Draw, clockSkewMs = 0): FaultPlan {
  const settings = LEVELS[level];
  const partitions: Partition[] = [];
  for (let index = 0; index < settings.partitions && regions.length > 1; index += 1) {
    const a = draw.pick(regions);
    const b = draw.pick(regions.filter((region) => region !== a));
    const from = startMs + Math.round(draw.between(0, durationMs * 0.8));
    partitions.push({ a, b, from, until: from + Math.round(draw.between(...settings.partitionMs)) });
  }
  return {
    level,
    throttleFraction: settings.throttleFraction,
    putEventsFailureFraction: settings.putEventsFailureFraction,
    mapping: settings.mapping,
    partitions,
    clockSkewMs,
  };
}
