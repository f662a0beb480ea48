/**
 * What a writer remembers of the items it wrote, to choose how its next write of each
 * starts. The one-call update is a bet that the item is still on this region's line: won,
 * it is the only request; lost, it costs DynamoDB write units for nothing (a refused
 * conditional write is charged like a write), where a read first costs none. So a write
 * bets only where the writer wrote the item a moment ago, or knows nothing of it; it reads
 * first where its writes of the item met contention again and again lately (another
 * region's version or another writer's: a refused update or a lost race; once is what
 * follows any resolved overwrite), or where it wrote it long ago (other regions' versions
 * have likely arrived since).
 */

/** Options of {@link ItemHints}. */
export interface ItemHintOptions {
  /** How long after its write an item is taken to be still on the line (default 1,000 ms). */
  readonly freshMs?: number;
  /** How long contention is remembered: writes read first while it met two of them within this time (default 30,000 ms). */
  readonly contentionMs?: number;
  /** Items remembered at most; the least recently written go first (default 10,000). */
  readonly capacity?: number;
  readonly now?: () => number;
}

interface Hint {
  readonly at: number;
  /** When the writes of the item last met another version than the one they bet on, latest first (at most two). */
  readonly contended: readonly number[];
}

/** Contended writes within the memory that make the item's writes read first. */
const CONTENDED_TO_READ_FIRST = 2;

/** The hints of one writer, bounded. */
export class ItemHints {
  /** Item key id to this writer's last write of it. */
  private readonly hints = new Map<string, Hint>();
  private readonly freshMs: number;
  private readonly contentionMs: number;
  private readonly capacity: number;
  private readonly now: () => number;

  constructor(options: ItemHintOptions = {}) {
    this.freshMs = options.freshMs ?? 1_000;
    this.contentionMs = options.contentionMs ?? 30_000;
    this.capacity = options.capacity ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** True when a write of the item should read it first rather than bet a write unit on the one-call update. */
  readFirst(keyId: string): boolean {
    const hint = this.hints.get(keyId);
    if (hint === undefined) return false;
    const now = this.now();
    return now - hint.at > this.freshMs || hint.contended.filter((at) => now - at <= this.contentionMs).length >= CONTENDED_TO_READ_FIRST;
  }

  /** Records that the writer wrote the item now, and whether it met contention on the way. */
  wrote(keyId: string, contended: boolean): void {
    const now = this.now();
    const before = this.hints.get(keyId)?.contended ?? [];
    this.hints.delete(keyId);
    this.hints.set(keyId, { at: now, contended: contended ? [now, ...before].slice(0, CONTENDED_TO_READ_FIRST) : before });
    if (this.hints.size > this.capacity) this.hints.delete(this.hints.keys().next().value as string);
  }

  /** Forgets the item (after a failed write). */
  forget(keyId: string): void {
    this.hints.delete(keyId);
  }
}
