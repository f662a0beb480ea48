/**
 * A run over time, for the report's charts: per region and per time bucket, the client
 * writes, the resolution writes and the conflicts its stream showed; and across regions,
 * how many items differed between regions at the end of each bucket (convergence).
 */
import { canonicalJson } from '../shared/dynamodb/attribute-value';
import { classify, Verdict } from '../shared/detect/classify';
import type { RuleSet } from '../shared/rules/types';
import { WriteOrigin, type CapturedRecord } from './stream';

/** One region's counts per bucket. */
export interface RegionSeries {
  readonly clientWrites: number[];
  readonly resolutionWrites: number[];
  readonly conflicts: number[];
}

/** A run's counts over time. */
export interface Timeline {
  readonly startMs: number;
  readonly bucketMs: number;
  readonly buckets: number;
  readonly regions: Readonly<Record<string, RegionSeries>>;
  /** Items not identical in every region at the end of each bucket. */
  readonly divergentItems: number[];
}

/** What {@link buildTimeline} reads. */
export interface TimelineInput {
  readonly records: readonly CapturedRecord[];
  readonly regions: readonly string[];
  readonly startMs: number;
  readonly endMs: number;
  readonly rules: RuleSet;
}

const MAX_BUCKETS = 60;
const NICE_STEPS = [1, 2, 5];

/** The smallest 1, 2 or 5 times a power of ten that is at least `ms`. */
function niceCeil(ms: number): number {
  for (let power = 1; ; power *= 10) for (const step of NICE_STEPS) if (step * power >= ms) return step * power;
}

/**
 * Builds the timeline of a run.
 *
 * @example
 * const timeline = buildTimeline({ records, regions, startMs, endMs, rules });
 * timeline.divergentItems.at(-1); // 0 once the regions converged
 */
export function buildTimeline(input: TimelineInput): Timeline {
  const { records, regions, startMs, rules } = input;
  const bucketMs = niceCeil(Math.max(1, (input.endMs - startMs) / MAX_BUCKETS));
  const buckets = Math.max(1, Math.ceil((input.endMs - startMs + 1) / bucketMs));
  const zeros = (): number[] => new Array<number>(buckets).fill(0);
  const series: Record<string, RegionSeries> = Object.fromEntries(regions.map((region) => [region, { clientWrites: zeros(), resolutionWrites: zeros(), conflicts: zeros() }]));
  const bucketOf = (at: number): number => Math.min(buckets - 1, Math.floor((at - startMs) / bucketMs));

  for (const record of records) {
    const region = series[record.region];
    if (region === undefined) continue;
    const bucket = bucketOf(record.at);
    // A client's writes name their operation; the region's other local writes are the resolver's.
    if (record.origin === WriteOrigin.Local) {
      const counts = record.operation !== undefined ? region.clientWrites : region.resolutionWrites;
      counts[bucket] = (counts[bucket] ?? 0) + 1;
    }
    if (record.oldImage !== undefined && record.newImage !== undefined && classify(record.record, rules.table).verdict === Verdict.Conflict) {
      (region.conflicts[bucket] as number) += 1;
    }
  }

  return { startMs, bucketMs, buckets, regions: series, divergentItems: divergenceOverTime(records, regions, bucketOf, buckets) };
}

/** Sweeps the records in time order, keeping each region's version of each item. */
function divergenceOverTime(records: readonly CapturedRecord[], regions: readonly string[], bucketOf: (at: number) => number, buckets: number): number[] {
  const held = new Map<string, Map<string, string>>();
  const divergent = (keyId: string): boolean => {
    const versions = held.get(keyId);
    return versions !== undefined && new Set(regions.map((region) => versions.get(region) ?? 'null')).size > 1;
  };
  const counts = new Array<number>(buckets).fill(0);
  let current = 0;
  let bucket = 0;
  for (const record of [...records].sort((a, b) => a.at - b.at)) {
    const at = bucketOf(record.at);
    for (; bucket < at; bucket += 1) counts[bucket] = current;
    const before = divergent(record.keyId);
    const versions = held.get(record.keyId) ?? new Map<string, string>();
    versions.set(record.region, canonicalJson(record.newImage ?? null));
    held.set(record.keyId, versions);
    current += Number(divergent(record.keyId)) - Number(before);
  }
  for (; bucket < buckets; bucket += 1) counts[bucket] = current;
  return counts;
}
