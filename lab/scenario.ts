/**
 * A scenario: everything that decides a run, so that a scenario and its seed reproduce
 * it. The defaults are those of `npm start`.
 */
import exampleRules from '../rules/example';
import { DEFAULT_REGIONS } from '../shared/laws/histories';
import { ResolveIn } from '../shared/resolver';
import type { RuleSet } from '../shared/rules/types';
import { DEFAULT_CLIENT_TIMING, type ClientTiming } from './clients';
import { DEFAULT_MAPPING_SETTINGS, type MappingSettings } from './event-source-mapping';
import { FaultLevel } from './faults';
import { WORKLOADS, type Workload } from './workload';

/** Plain Global Tables, or Global Tables with Concord's resolver in every region. */
export const RunMode = {
  /** The resolver is off: what Global Tables alone do. */
  Lww: 'lww',
  Concord: 'concord',
} as const;
export type RunMode = (typeof RunMode)[keyof typeof RunMode];

/** What decides a run. */
export interface Scenario {
  readonly seed: number;
  readonly operations: number;
  readonly regions: readonly string[];
  /** Mean replication delay between regions, virtual ms. */
  readonly delayMs: number;
  readonly faults: FaultLevel;
  readonly resolveIn: ResolveIn;
  readonly workloads: readonly Workload[];
  /** Distinct items per workload; fewer makes hotter keys. */
  readonly keysPerWorkload: number;
  /** 0–1: how much operations crowd on the first keys. */
  readonly hotness: number;
  /** Mean virtual time between two client operations. */
  readonly meanGapMs: number;
  /** Writer instances per region, each with its own clock. */
  readonly writersPerRegion: number;
  /** The largest error of any writer instance's clock, either way (default: the rules' bound, maxClockOffsetMs). */
  readonly skewMs: number;
  /** Extra delay before a region's resolver receives each stream batch, drawn in [min, max] ms. */
  readonly resolverLagMs: readonly [number, number];
  /** Links cut for a while, besides those the fault level draws. */
  readonly partitions: readonly PartitionSpec[];
  /** Shards per region's stream. */
  readonly shards: number;
  readonly mapping: MappingSettings;
  readonly clients: ClientTiming;
  /** Longest virtual time the run may take to quiesce after the last operation and the last partition's healing. */
  readonly settleLimitMs: number;
  readonly table: string;
  readonly rules: RuleSet;
}

/** A partition asked for by name: the link between `a` and `b` is cut `startMs` after the start, for `lengthMs`. */
export interface PartitionSpec {
  readonly a: string;
  readonly b: string;
  readonly startMs: number;
  readonly lengthMs: number;
}

/** The default scenario (`npm start`). */
export const DEFAULT_SCENARIO: Scenario = {
  seed: 1,
  operations: 3000,
  regions: DEFAULT_REGIONS,
  delayMs: 200,
  faults: FaultLevel.On,
  resolveIn: ResolveIn.Any,
  workloads: WORKLOADS,
  keysPerWorkload: 12,
  hotness: 0.3,
  meanGapMs: 10,
  writersPerRegion: 2,
  skewMs: exampleRules.table.maxClockOffsetMs,
  resolverLagMs: [0, 0],
  partitions: [],
  shards: 2,
  mapping: DEFAULT_MAPPING_SETTINGS,
  clients: DEFAULT_CLIENT_TIMING,
  settleLimitMs: 600_000,
  table: 'concord-lab',
  rules: exampleRules,
};

/** Virtual time at which every run starts (a fixed epoch, so clocks and records repeat). */
export const LAB_EPOCH_MS = Date.UTC(2025, 0, 1);

/**
 * A scenario with some settings changed.
 *
 * @example
 * const small = scenarioWith({ operations: 200, seed: 7 });
 */
export function scenarioWith(changes: Partial<Scenario>): Scenario {
  return { ...DEFAULT_SCENARIO, ...changes };
}
