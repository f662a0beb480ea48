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
import { widIs, type ItemStore } from './item-store';
import { itemSizeBytes } from './item-size';

/**
 * Compacts `image` (the record's new image) if it is worth it and still current.
 *
 * @returns true when a compaction was written
 * @example
 * if (verdict === Verdict.Successor) await compact(record.key, record.newImage, context, store);
 */
export async function compact(key: AttributeMap, image: AttributeMap, context: ResolverContext, store: ItemStore): Promise<boolean> {
  const { rules, config } = context;
  const region = config.region;
  const lineage = readLineage(image, rules.table.envelopeAttribute, key);
  if (lineage === undefined) return false;
  // Counted on the context alone: most records stop here.
  let candidates = 0;
  for (const actor of lineage.context.vv.keys()) if (actorRegion(actor) === region && actor !== lineage.tip) candidates += 1;
  if (candidates < COMPACT_FROM) return false;
  const state = decodeItem(image, rules.table, key);
  const compacted = compaction(state, region, context.now(), rules.table.maxClockOffsetMs);
  if (compacted === undefined) return false;
  const written = encodeItem({ ...compacted.state, wid: compactionId(config.table, key, state.wid, compacted.floor) }, rules).image;
  if (!compactionPays(itemSizeBytes(image), itemSizeBytes(written), compacted.folded)) return false;
  return store.put(written, key, widIs(rules.table, state.wid));
}
