/**
 * A lock per key on the virtual clock: a task that finds a key held sleeps on the clock
 * until it is free, so the turn passes to the task holding it (a plain promise would
 * hold the turn and stop the run).
 */
import type { ItemLock } from '../shared/key-lock';
import type { VirtualScheduler } from './scheduler';

/** How long a waiting task sleeps before it looks again. */
const POLL_MS = 1;

/** An {@link ItemLock} for the writers of a lab run. */
export class VirtualKeyLock implements ItemLock {
  private readonly held = new Set<string>();

  constructor(private readonly scheduler: VirtualScheduler) {}

  async hold<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    while (keys.some((key) => this.held.has(key))) await this.scheduler.sleep(POLL_MS);
    for (const key of keys) this.held.add(key);
    try {
      return await work();
    } finally {
      for (const key of keys) this.held.delete(key);
    }
  }
}
