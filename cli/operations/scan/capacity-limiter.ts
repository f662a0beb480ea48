/**
 * A share of a table's capacity: a token bucket of capacity units per second that work
 * draws from after each call, by the units DynamoDB says the call consumed. The next
 * call waits while the bucket is in debt, so the average stays at the rate and a burst
 * never exceeds one second of it.
 */
import { setTimeout as wait } from 'node:timers/promises';

/** Options of {@link CapacityLimiter}. */
export interface LimiterOptions {
  /** Units per second. */
  readonly unitsPerSecond: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<unknown>;
}

/** Spends capacity units at no more than a rate. */
export class CapacityLimiter {
  private tokens: number;
  private refilledAt: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<unknown>;
  /** Units spent in all. */
  spent = 0;

  constructor(private readonly options: LimiterOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => wait(ms));
    this.tokens = options.unitsPerSecond;
    this.refilledAt = this.now();
  }

  get unitsPerSecond(): number {
    return this.options.unitsPerSecond;
  }

  /**
   * Records `units` spent, then waits until the bucket is out of debt.
   *
   * @example
   * await limiter.spend(response.ConsumedCapacity?.CapacityUnits ?? 1);
   */
  async spend(units: number): Promise<void> {
    this.spent += units;
    this.refill();
    this.tokens -= units;
    if (this.tokens < 0) {
      await this.sleep(Math.ceil((-this.tokens / this.options.unitsPerSecond) * 1000));
      this.refill();
    }
  }

  private refill(): void {
    const at = this.now();
    const rate = this.options.unitsPerSecond;
    this.tokens = Math.min(rate, this.tokens + ((at - this.refilledAt) / 1000) * rate);
    this.refilledAt = at;
  }
}
