/**
 * The truth of a run, tracked outside Concord: which client writes each stored version
 * really holds (its causal past). Every change of every region is replayed in order:
 *
 * - a client write (its requests name their operation) holds what the version it was
 *   applied to held, and itself; so does a client's delete (plain Global Tables remove
 *   the item; what the delete saw is settled by it, not lost);
 * - a replicated version holds what it held in the region that wrote it;
 * - a resolver's merge holds what both versions it merged held: the version it was
 *   written over, and the old image of the stream record it resolved (found among the
 *   region's records by the conflict id the merge is named after: an identifier, not a
 *   judgement: what each side holds comes from this replay alone);
 * - a compaction holds what the version it compacted held;
 * - a deletion by TTL holds nothing; a replicated removal, what the removal held.
 *
 * Lost updates, and versions that claim a write they do not hold, are judged against this.
 */
import { decodeItem } from '../shared/item/state';
import type { CausalContext } from '../shared/clock/context';
import { canonicalJson, type AttributeMap } from '../shared/dynamodb/attribute-value';
import { conflictId } from '../shared/merge/conflict-id';
import type { RuleSet } from '../shared/rules/types';
import { dotOf } from '../shared/clock/dot';
import { formatClock } from '../shared/clock/hlc';
import type { Change } from '../shared/write/change';
import type { TrueWrite } from '../shared/laws/oracle';
import { WriteOrigin, type CapturedRecord } from './stream';

/** A client write as it truly happened. */
export interface ClientWrite extends TrueWrite {
  readonly key: AttributeMap;
  readonly keyId: string;
  readonly region: string;
  /** Virtual time of the write. */
  readonly at: number;
}

/** One stored version and the truth about it. */
export interface TrueVersion {
  readonly record: CapturedRecord;
  /** Ids of the client writes it holds. */
  readonly past: ReadonlySet<string>;
}

/** The truth of a run. */
export interface Truth {
  readonly writes: readonly ClientWrite[];
  /** Every version any region stored (the new image of every record), with its past. */
  readonly versions: readonly TrueVersion[];
  /** The past of each region's final item, by region then key id. */
  readonly finalPast: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
  /** The resolver's writes that merged a conflict, and those that only compacted metadata. */
  readonly merges: number;
  readonly compactions: number;
}

const NOTHING: ReadonlySet<string> = new Set();

/**
 * Replays a run's records (every region's, in the order they happened) into its truth.
 * `operations` maps each client operation id to the change it asked for.
 *
 * @example
 * const truth = trackTruth(records, operations, rules, 'concord-lab');
 */
export function trackTruth(records: readonly CapturedRecord[], operations: ReadonlyMap<string, Change>, rules: RuleSet, table: string): Truth {
  const pastOfImage = new Map<string, ReadonlySet<string>>();
  const current = new Map<string, Map<string, ReadonlySet<string>>>();
  const oldImagesSeen = new Map<string, AttributeMap[]>();
  /** What the latest local removal of each key held (a client's delete holds what it saw), for its replicas. */
  const pastOfRemoval = new Map<string, ReadonlySet<string>>();
  const writes: ClientWrite[] = [];
  const versions: TrueVersion[] = [];
  const contexts = new ContextCache(rules);
  const textOf = (image: AttributeMap): string => canonicalJson(image);
  let merges = 0;
  let compactions = 0;
  for (const record of records) {
    const region = current.get(record.region) ?? new Map<string, ReadonlySet<string>>();
    current.set(record.region, region);
    const before = region.get(record.keyId) ?? NOTHING;
    let past: ReadonlySet<string>;
    if (record.operation !== undefined) {
      const change = operations.get(record.operation);
      if (change === undefined) throw new Error(`a write of operation ${record.operation}, which the run never made`);
      writes.push({ id: record.operation, dot: dotOfWrite(record, rules), change, saw: before, key: record.key, keyId: record.keyId, region: record.region, at: record.at });
      past = new Set([...before, record.operation]);
    } else if (record.newImage === undefined) past = record.origin === WriteOrigin.Replica ? (pastOfRemoval.get(record.keyId) ?? NOTHING) : NOTHING;
    else if (record.origin === WriteOrigin.Replica) past = pastOfImage.get(textOf(record.newImage)) ?? NOTHING;
    else {
      // The resolver's: a merge brings in what the record's old image held; a compaction nothing.
      const merged = mergedRecord(record, oldImagesSeen.get(`${record.region}\n${record.keyId}`) ?? [], contexts, table);
      if (merged === undefined) compactions += 1;
      else merges += 1;
      past = merged === undefined ? before : new Set([...before, ...(pastOfImage.get(textOf(merged)) ?? NOTHING)]);
    }
    if (record.oldImage !== undefined) {
      const seen = oldImagesSeen.get(`${record.region}\n${record.keyId}`) ?? [];
      seen.push(record.oldImage);
      oldImagesSeen.set(`${record.region}\n${record.keyId}`, seen);
    }
    if (record.newImage !== undefined) {
      pastOfImage.set(textOf(record.newImage), past);
      versions.push({ record, past });
    } else if (record.origin === WriteOrigin.Local) pastOfRemoval.set(record.keyId, past);
    region.set(record.keyId, past);
  }
  return { writes, versions, finalPast: current, merges, compactions };
}

/**
 * The dot of a client write, for the `lww` rule's order: Concord's when the write carries
 * an envelope; for a plain write or delete, its virtual time (plain Global Tables order
 * by time).
 */
function dotOfWrite(record: CapturedRecord, rules: RuleSet): string {
  const image = record.newImage;
  if (image !== undefined && Object.hasOwn(image, rules.table.envelopeAttribute)) {
    const dots = [...decodeItem(image, rules.table, record.key).ex.keys()];
    if (dots.length === 1) return dots[0] as string;
  }
  return dotOf(formatClock({ wallMs: record.at, counter: 0 }), `${record.region}~00000000`);
}

/** Decoded contexts of images, each decoded once. */
class ContextCache {
  private readonly contexts = new Map<AttributeMap, CausalContext | undefined>();

  constructor(private readonly rules: RuleSet) {}

  of(image: AttributeMap, key: AttributeMap): CausalContext | undefined {
    if (!this.contexts.has(image)) this.contexts.set(image, Object.hasOwn(image, this.rules.table.envelopeAttribute) ? decodeItem(image, this.rules.table, key).context : undefined);
    return this.contexts.get(image);
  }

  /** The `wid` of an image, or undefined without an envelope. */
  wid(image: AttributeMap | undefined, key: AttributeMap): string | undefined {
    if (image === undefined || this.of(image, key) === undefined) return undefined;
    const wid = (image[this.rules.table.envelopeAttribute] as { M: AttributeMap }).M.wid;
    return wid !== undefined && 'S' in wid ? wid.S : undefined;
  }
}

/** The old image of an earlier record of the region whose conflict with the replaced version names this merge. */
function mergedRecord(record: CapturedRecord, oldImages: readonly AttributeMap[], contexts: ContextCache, table: string): AttributeMap | undefined {
  const wid = contexts.wid(record.newImage, record.key);
  const over = record.oldImage === undefined ? undefined : contexts.of(record.oldImage, record.key);
  if (wid === undefined || over === undefined) return undefined;
  for (let i = oldImages.length - 1; i >= 0; i -= 1) {
    const candidate = contexts.of(oldImages[i] as AttributeMap, record.key);
    if (candidate !== undefined && conflictId(table, record.key, candidate, over) === wid) return oldImages[i];
  }
  return undefined;
}
