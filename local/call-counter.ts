/**
 * Counts calls per operation on a local endpoint, for tests ("one GetItem, then one
 * conditional PutItem") and benchmarks ("entries per PutEvents call").
 */
export class CallCounter {
  private counts = new Map<string, number>();

  /** Records one call of `operation`. */
  record(operation: string): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
  }

  /**
   * Calls of one operation since the start or the last reset.
   *
   * @example
   * dynamo.calls.count('PutItem'); // 3
   */
  count(operation: string): number {
    return this.counts.get(operation) ?? 0;
  }

  /** Calls of every operation. */
  get total(): number {
    let sum = 0;
    for (const value of this.counts.values()) sum += value;
    return sum;
  }

  /**
   * A copy of the counts, operation → calls.
   *
   * @example
   * dynamo.calls.snapshot(); // { GetItem: 1, PutItem: 2 }
   */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** Forgets every count. */
  reset(): void {
    this.counts.clear();
  }
}
