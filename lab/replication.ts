/**
 * Global Tables replication between the lab's regions, as AWS does it (docs/design.md §1, §8):
 * each local write is sent to every other region after a delay, and applied there by
 * item-level last-writer-wins on a replication timestamp; a write that loses is dropped
 * without a trace (no record). Several pending writes of one item to one region are
 * coalesced into the latest, and a partition holds a pair's writes until it heals.
 *
 * The replication timestamp is the virtual time of the write in its region, ties broken
 * by a counter of all writes. One turn runs at a time on the virtual clock, so a write
 * made after its writer observed another write (read it, or received it by replication)
 * has a later timestamp: a causally later write always wins, and the writes that lose
 * are exactly the concurrent ones, as on AWS.
 */
import type { AttributeMap } from '../shared/dynamodb/attribute-value';
import type { Network } from './network';
import type { Region } from './region';
import type { VirtualScheduler } from './scheduler';
import type { CapturedRecord } from './stream';

/** A replication timestamp: virtual ms, then the global write counter. */
export type ReplicationStamp = readonly [number, number];

interface PendingWrite {
  readonly from: string;
  readonly to: string;
  readonly keyId: string;
  key: AttributeMap;
  image: AttributeMap | undefined;
  stamp: ReplicationStamp;
}

/** What replication did during a run. */
export interface ReplicationStats {
  /** Writes sent to another region (after coalescing). */
  delivered: number;
  /** Writes that lost to a later write already applied at the receiver: dropped, no record. */
  droppedByLww: number;
  /** Writes replaced by a later write of the same item before they were sent. */
  coalesced: number;
  /** Deliveries held back by a partition until it healed. */
  heldByPartition: number;
}

function isLater(a: ReplicationStamp, b: ReplicationStamp): boolean {
  return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
}

/** Replication between every pair of regions. */
export class Replication {
  readonly stats: ReplicationStats = { delivered: 0, droppedByLww: 0, coalesced: 0, heldByPartition: 0 };
  private readonly regions: ReadonlyMap<string, Region>;
  /** Per region, the stamp of the write each item shows. */
  private readonly stamps = new Map<string, Map<string, ReplicationStamp>>();
  private readonly pending = new Map<string, PendingWrite>();
  private writes = 0;

  constructor(
    regions: readonly Region[],
    private readonly scheduler: VirtualScheduler,
    private readonly network: Network,
  ) {
    this.regions = new Map(regions.map((region) => [region.name, region]));
    for (const region of regions) {
      this.stamps.set(region.name, new Map());
      region.onLocalWrite((record) => this.sendOn(record));
    }
  }

  /** Writes waiting to be delivered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Stamps a local write and queues it for every other region. */
  private sendOn(record: CapturedRecord): void {
    const stamp: ReplicationStamp = [this.scheduler.now, (this.writes += 1)];
    this.stamps.get(record.region)?.set(record.keyId, stamp);
    for (const to of this.regions.keys()) {
      if (to === record.region) continue;
      const id = `${record.region}>${to}>${record.keyId}`;
      const waiting = this.pending.get(id);
      if (waiting !== undefined) {
        // Replication ships the item as it is when it gets to it: the latest write.
        waiting.key = record.key;
        waiting.image = record.newImage;
        waiting.stamp = stamp;
        this.stats.coalesced += 1;
        continue;
      }
      this.pending.set(id, { from: record.region, to, keyId: record.keyId, key: record.key, image: record.newImage, stamp });
      this.scheduler.at(this.scheduler.now + this.network.delay(record.region, to), () => this.deliver(id));
    }
  }

  private async deliver(id: string): Promise<void> {
    const write = this.pending.get(id);
    if (write === undefined) return;
    const healsAt = this.network.cutUntil(write.from, write.to, this.scheduler.now);
    if (healsAt !== undefined) {
      this.stats.heldByPartition += 1;
      this.scheduler.at(healsAt + this.network.delay(write.from, write.to), () => this.deliver(id));
      return;
    }
    this.pending.delete(id);
    const stamps = this.stamps.get(write.to) as Map<string, ReplicationStamp>;
    const shown = stamps.get(write.keyId);
    if (shown !== undefined && !isLater(write.stamp, shown)) {
      this.stats.droppedByLww += 1;
      return;
    }
    stamps.set(write.keyId, write.stamp);
    this.stats.delivered += 1;
    await (this.regions.get(write.to) as Region).applyReplicated(write.key, write.image);
  }
}
