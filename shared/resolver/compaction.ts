/**
 * Compaction (design §3.4): a record that needs no work may still leave its new image
 * carrying epochs of this region that a floor could fold. When folding them saves every
 * later write a write unit, or they reach `COMPACT_AT`, the resolver writes the certified
 * image over it, on the condition that it is still current (then every earlier record has
 * been processed).
 */
import type { AttributeMap } from '../dynamodb/attribute-value';
import { actorRegion } from '../clock/dot';
import { readLineage } from '../detect/classify';
import { encodeItem } from '../item/encode';
import { decodeItem } from '../item/state';
import { COMPACT_FROM, compaction, compactionPays } from '../merge/certify';
import { compactionId } from '../merge/conflict-id';
import type { ResolverContext } from './dependencies';
import { widIs, type Condition, type ItemStore } from './item-store';
import { itemSizeBytes } from './item-size';
import type { StreamRecord } from './stream-record';

/** A compaction to write: the certified image, if the record's new image is still the item. */
export interface Compaction {
  readonly key: AttributeMap;
  readonly item: AttributeMap;
  readonly condition: Condition;
}

/**
 * The compaction of a record's new image, if it is worth it. Counted on the image's
 * context alone, read from the wire form as classify reads it: most records stop there,
 * and only an image worth compacting is parsed and decoded.
 *
 * @example
 * const due = compactionOf(record, context); // undefined for most successors
 * if (due !== undefined) await compact(due, store);
 */
export function compactionOf(record: StreamRecord, context: ResolverContext): Compaction | undefined {
  const { rules, config } = context;
  const region = config.region;
  const key = record.key as AttributeMap;
  const lineage = readLineage(record.raw.dynamodb?.NewImage as Record<string, unknown> | undefined, rules.table.envelopeAttribute, key);
  if (lineage === undefined) return undefined;
  let candidates = 0;
  for (const actor of lineage.context.vv.keys()) if (actorRegion(actor) === region && actor !== lineage.tip) candidates += 1;
  if (candidates < COMPACT_FROM) return undefined;
  const image = record.newImage as AttributeMap;
  const state = decodeItem(image, rules.table, key);
  const compacted = compaction(state, region, context.now(), rules.table.maxClockOffsetMs);
  if (compacted === undefined) return undefined;
  const item = encodeItem({ ...compacted.state, wid: compactionId(config.table, key, state.wid, compacted.floor) }, rules).image;
  if (!compactionPays(itemSizeBytes(image), itemSizeBytes(item), compacted.folded)) return undefined;
  return { key, item, condition: widIs(rules.table, state.wid) };
}

/**
 * Writes a compaction if the image it certifies is still current.
 *
 * @returns true when it was written
 */
export function compact(due: Compaction, store: ItemStore): Promise<boolean> {
  return store.put(due.item, due.key, due.condition);
}
