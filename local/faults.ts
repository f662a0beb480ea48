/**
 * Fault injection shared by the local endpoints: "fail the next N" and "fail a seeded
 * fraction", optionally only for some subjects (DynamoDB operations, EventBridge bus
 * names). The endpoint asks {@link FaultSchedule.draw} once per call or per entry.
 */
import { seededRandom, type Random } from './random';

interface FaultRule<E extends string> {
  readonly error: E;
  readonly only?: ReadonlySet<string>;
  /** Calls left to fail; `undefined` for a fraction rule. */
  remaining?: number;
  readonly fraction?: number;
  readonly random?: Random;
}

/** Options of {@link FaultSchedule.failNext}. */
export interface FailNextOptions<E extends string> {
  /** How many matching calls (or entries) fail, starting with the next one. */
  readonly count: number;
  /** The error to answer with; the schedule's default when omitted. */
  readonly error?: E;
  /** Only these subjects (operations, bus names) fail; all when omitted. */
  readonly only?: readonly string[];
}

/** Options of {@link FaultSchedule.failFraction}. */
export interface FailFractionOptions<E extends string> {
  /** Probability in [0, 1] that a matching call (or entry) fails. */
  readonly fraction: number;
  /** Seed of the draw, so a run is reproducible. */
  readonly seed: number;
  readonly error?: E;
  readonly only?: readonly string[];
}

/** A set of armed faults, consulted once per call or entry. */
export class FaultSchedule<E extends string> {
  private rules: FaultRule<E>[] = [];
  private injectedCount = 0;

  constructor(private readonly defaultError: E) {}

  /**
   * Fails the next `count` matching calls.
   *
   * @example
   * dynamo.faults.failNext({ count: 2, only: ['PutItem'] }); // two throttled PutItems
   */
  failNext(options: FailNextOptions<E>): void {
    if (!Number.isInteger(options.count) || options.count < 0) throw new RangeError(`count must be a non-negative integer, got ${options.count}`);
    this.rules.push({ error: options.error ?? this.defaultError, only: subjects(options.only), remaining: options.count });
  }

  /**
   * Fails each matching call with probability `fraction`, drawn from a generator
   * seeded with `seed`.
   *
   * @example
   * bus.faults.failFraction({ fraction: 0.1, seed: 7, error: 'InternalFailure' });
   */
  failFraction(options: FailFractionOptions<E>): void {
    if (!(options.fraction >= 0 && options.fraction <= 1)) throw new RangeError(`fraction must be within [0, 1], got ${options.fraction}`);
    this.rules.push({ error: options.error ?? this.defaultError, only: subjects(options.only), fraction: options.fraction, random: seededRandom(options.seed) });
  }

  /** Disarms every fault. */
  clear(): void {
    this.rules = [];
  }

  /** How many faults were injected since the start. */
  get injected(): number {
    return this.injectedCount;
  }

  /**
   * The error the call on `subject` must fail with, or `undefined` to let it through.
   * "Next N" rules win over fractions, in the order they were armed.
   *
   * @example
   * const fault = schedule.draw('PutItem'); // 'ProvisionedThroughputExceededException' | undefined
   */
  draw(subject: string): E | undefined {
    const matching = this.rules.filter((rule) => rule.only === undefined || rule.only.has(subject));
    const counted = matching.find((rule) => rule.remaining !== undefined && rule.remaining > 0);
    if (counted?.remaining !== undefined) {
      counted.remaining -= 1;
      return this.inject(counted.error);
    }
    // Every fraction rule draws on every matching call, so one rule's sequence does not
    // depend on whether another rule fired.
    let drawn: E | undefined;
    for (const rule of matching) {
      if (rule.random === undefined || rule.fraction === undefined) continue;
      const hit = rule.random() < rule.fraction;
      if (hit && drawn === undefined) drawn = rule.error;
    }
    return drawn === undefined ? undefined : this.inject(drawn);
  }

  private inject(error: E): E {
    this.injectedCount += 1;
    return error;
  }
}

function subjects(only: readonly string[] | undefined): ReadonlySet<string> | undefined {
  return only === undefined ? undefined : new Set(only);
}
