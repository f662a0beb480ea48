/**
 * An append-only log of what a local endpoint received (events, messages), which tests
 * and tools can list, clear and await.
 */
import { setTimeout as sleep } from 'node:timers/promises';

interface Waiter<T> {
  readonly count: number;
  readonly filter: (item: T) => boolean;
  readonly resolve: (items: T[]) => void;
}

/** Options of {@link Recorder.waitFor}. */
export interface WaitOptions<T> {
  /** Only items passing this count. */
  readonly filter?: (item: T) => boolean;
  /** Give up after this many milliseconds (default 5000). */
  readonly timeoutMs?: number;
}

/** A log of received items. */
export class Recorder<T> {
  private items: T[] = [];
  private waiters = new Set<Waiter<T>>();

  /** Appends one item and wakes the waiters it satisfies. */
  push(item: T): void {
    this.items.push(item);
    for (const waiter of this.waiters) {
      const matching = this.items.filter(waiter.filter);
      if (matching.length >= waiter.count) {
        this.waiters.delete(waiter);
        waiter.resolve(matching.slice(0, waiter.count));
      }
    }
  }

  /**
   * The items received so far, oldest first.
   *
   * @example
   * bus.events().length; // 3
   */
  list(filter: (item: T) => boolean = () => true): T[] {
    return this.items.filter(filter);
  }

  /** Forgets every item. */
  clear(): void {
    this.items = [];
  }

  /**
   * Resolves with the first `count` matching items once they have arrived; rejects
   * after the timeout saying how many did.
   *
   * @example
   * const [event] = await recorder.waitFor(1, { filter: (e) => e.source === 'concord', timeoutMs: 2000 });
   */
  async waitFor(count: number, options: WaitOptions<T> = {}): Promise<T[]> {
    const filter = options.filter ?? (() => true);
    const already = this.items.filter(filter);
    if (already.length >= count) return already.slice(0, count);
    const timeoutMs = options.timeoutMs ?? 5000;
    const abort = new AbortController();
    let waiter: Waiter<T> | undefined;
    const arrived = new Promise<T[]>((resolve) => {
      waiter = { count, filter, resolve };
      this.waiters.add(waiter);
    });
    const timedOut = sleep(timeoutMs, undefined, { signal: abort.signal }).then(() => {
      if (waiter !== undefined) this.waiters.delete(waiter);
      throw new Error(`waited ${timeoutMs} ms for ${count} item(s), ${this.items.filter(filter).length} arrived`);
    });
    try {
      return await Promise.race([arrived, timedOut]);
    } finally {
      abort.abort();
      timedOut.catch(() => undefined);
    }
  }
}
