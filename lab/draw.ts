/**
 * Seeded draws for everything the lab decides by chance. Each concern (the workload,
 * the latency of one region, the faults of one mapping) draws from its own stream,
 * derived from the run's seed and a label, so that one concern drawing more or less
 * (the Concord run makes calls the plain run does not) never shifts another's draws.
 */
import { createHash } from 'node:crypto';
import { seededRandom, type Random } from '../local/random';

/**
 * The seed of the stream named `label` under `seed`.
 *
 * @example
 * deriveSeed(42, 'workload'); // the same 32-bit number on every run
 */
export function deriveSeed(seed: number, label: string): number {
  return createHash('sha256').update(`${seed}\n${label}`).digest().readUInt32BE(0);
}

/**
 * A UUID-shaped id that is a function of `text`, for ids AWS would make random
 * (request ids) but a lab run must repeat.
 *
 * @example
 * uuidOf('shard-1/3'); // the same 8-4-4-4-12 hex id every time
 */
export function uuidOf(text: string): string {
  const hex = createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A seeded stream of draws with the shapes the lab needs. */
export class Draw {
  private readonly random: Random;

  constructor(seed: number, label: string) {
    this.random = seededRandom(deriveSeed(seed, label));
  }

  /** A number in [0, 1). */
  next(): number {
    return this.random();
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.random() < p;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  /** A number in [min, max). */
  between(min: number, max: number): number {
    return min + this.random() * (max - min);
  }

  /** One of `items`, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  /** One of `items`, with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let point = this.random() * total;
    for (const [item, weight] of items) {
      point -= weight;
      if (point < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }

  /** An exponentially distributed number with this mean (memoryless gaps between events). */
  exponential(mean: number): number {
    return -Math.log(1 - this.random()) * mean;
  }

  /** The draw as a plain function, for APIs that take `() => number`. */
  asRandom(): Random {
    return () => this.random();
  }
}
