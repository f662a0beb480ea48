/**
 * The network between regions as replication sees it: a delay per write drawn from a
 * distribution of its region pair, and partitions that cut a pair off for a while and
 * then heal. Both are seeded.
 */
import type { Draw } from './draw';

/** A partition: regions `a` and `b` cannot reach each other in [from, until). */
export interface Partition {
  readonly a: string;
  readonly b: string;
  /** Virtual epoch ms. */
  readonly from: number;
  readonly until: number;
}

/** Options of {@link Network}. */
export interface NetworkOptions {
  readonly regions: readonly string[];
  /** Mean replication delay over all pairs, in ms. */
  readonly delayMs: number;
  readonly partitions: readonly Partition[];
}

/** Farther pairs replicate slower: each pair's mean is the overall mean times a factor in this range. */
const PAIR_FACTOR_RANGE: readonly [number, number] = [0.5, 1.5];

/** Delays and partitions between regions. */
export class Network {
  private readonly pairMeans = new Map<string, number>();

  constructor(
    private readonly options: NetworkOptions,
    private readonly draw: Draw,
  ) {
    const { regions } = options;
    for (const [i, a] of regions.entries()) {
      for (const b of regions.slice(i + 1)) this.pairMeans.set(pairKey(a, b), options.delayMs * draw.between(...PAIR_FACTOR_RANGE));
    }
  }

  /** The mean delay of a pair. */
  meanDelay(from: string, to: string): number {
    return this.pairMeans.get(pairKey(from, to)) ?? this.options.delayMs;
  }

  /**
   * A delay for one replicated write: half the pair's mean, plus an exponential tail
   * with the other half (most writes arrive quickly, a few are late).
   *
   * @example
   * scheduler.at(scheduler.now + network.delay('us-east-1', 'eu-west-1'), deliver);
   */
  delay(from: string, to: string): number {
    const mean = this.meanDelay(from, to);
    return Math.round(mean / 2 + this.draw.exponential(mean / 2));
  }

  /**
   * When the pair's link heals if it is cut at `at`; undefined when it is up.
   *
   * @example
   * const heal = network.cutUntil('us-east-1', 'eu-west-1', scheduler.now);
   */
  cutUntil(from: string, to: string, at: number): number | undefined {
    let until: number | undefined;
    for (const partition of this.options.partitions) {
      const matches = (partition.a === from && partition.b === to) || (partition.a === to && partition.b === from);
      if (matches && partition.from <= at && at < partition.until) until = Math.max(until ?? 0, partition.until);
    }
    return until;
  }

  /** The partitions, for the report. */
  get partitions(): readonly Partition[] {
    return this.options.partitions;
  }
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}
