/**
 * When a writer last wrote each item: its write left the item on this region's line. A
 * write starts with the one-call update where that is likely to land (the writer wrote the
 * item a moment ago, or knows nothing of it); where the writer wrote it long ago, other
 * regions' versions have likely arrived since, and it reads first: a refused conditional
 * write costs DynamoDB write units, a read does not.
 */

/** Options of {@link ItemHints}. */
export interface ItemHintOptions {
  /** How long after its last write an item is taken to be still on the line (default 1,000 ms). */
  readonly freshMs?: number;
  /** Items remembered at most; the least recently written go first (default 10,000). */
  readonly capacity?: number;
  readonly now?: () => number;
}

/** The hints of one writer, bounded. */
export class ItemHints {
  /** Item key id to when this writer last wrote it. */
  private readonly wroteAt = new Map<string, number>();
  private readonly freshMs: number;
  private readonly capacity: number;
  private readonly now: () => number;

  constructor(options: ItemHintOptions = {}) {
    this.freshMs = options.freshMs ?? 1_000;
    this.capacity = options.capacity ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** True when a write of the item should read it first: this writer wrote it too long ago to bet a write unit on it. */
  readFirst(keyId: string): boolean {
    const at = this.wroteAt.get(keyId);
    return at !== undefined && this.now() - at > this.freshMs;
  }

  /** Records that the writer wrote the item now. */
  wrote(keyId: string): void {
    this.wroteAt.delete(keyId);
    this.wroteAt.set(keyId, this.now());
    if (this.wroteAt.size > this.capacity) this.wroteAt.delete(this.wroteAt.keys().next().value as string);
  }

  /** Forgets the item (after a failed write). */
  forget(keyId: string): void {
    this.wroteAt.delete(keyId);
  }
}
