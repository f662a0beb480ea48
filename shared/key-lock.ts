/**
 * Serialises work per item key: a writer's requests to one item go out one at a time (so
 * they never reach DynamoDB out of clock order), and the lab's capture of a write (read
 * the old image, write, read the new image) does not interleave with another write of the
 * same item.
 */

/** Runs work holding keys; see {@link KeyLock}. */
export interface ItemLock {
  hold<T>(keys: readonly string[], work: () => Promise<T>): Promise<T>;
}

/** A lock per key: work on one key runs one at a time, in arrival order. */
export class KeyLock implements ItemLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  /**
   * Runs `work` once every earlier work on any of `keys` has settled, holding them all.
   *
   * @example
   * await locks.hold([keyId], async () => { const old = await read(); await write(); return read(); });
   */
  async hold<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const distinct = [...new Set(keys)].sort();
    const before = distinct.map((key) => this.tails.get(key) ?? Promise.resolve());
    const done = Promise.allSettled(before).then(work);
    const tail = done.catch(() => undefined);
    for (const key of distinct) this.tails.set(key, tail);
    void tail.then(() => {
      for (const key of distinct) if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return done;
  }
}
