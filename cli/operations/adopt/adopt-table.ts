/**
 * `concord adopt`: brings an existing table under Concord. A parallel scan (segments,
 * resumable from a checkpoint) reads every item; each item without an envelope gets one
 * (adopt-item.ts) by a conditional write that holds only if the item is still exactly
 * what was scanned (no envelope, every attribute as read), so a concurrent change is
 * never overwritten: such an item is read again and adopted as it now is, or left to
 * the Concord writer that just versioned it. Reads and writes spend the table's
 * capacity through limiters set to a share of it.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AttributeMap } from '../../../shared/dynamodb/attribute-value';
import { dict } from '../../../shared/dynamodb/dict';
import { ItemTooLargeError } from '../../../shared/errors';
import { describeKey, keyOf } from '../../../shared/item/state';
import { mapConcurrently } from '../../../shared/resolver/concurrency';
import { itemSizeBytes } from '../../../shared/resolver/item-size';
import { stillUnversioned, type ItemStore } from '../../../shared/resolver/item-store';
import type { RuleSet } from '../../../shared/rules/types';
import type { Progress } from '../../progress';
import type { CapacityLimiter } from '../scan/capacity-limiter';
import { scanTable, type SegmentPosition } from '../scan/table-scan';
import { adoptionOf } from './adopt-item';
import { NO_COUNTS, type AdoptCounts, type Checkpoint } from './checkpoint';

/** What an adoption works with. */
export interface AdoptContext {
  readonly client: DynamoDBClient;
  readonly store: ItemStore;
  readonly table: string;
  readonly region: string;
  readonly rules: RuleSet;
  readonly segments: number;
  readonly pageSize: number;
  readonly reads: CapacityLimiter;
  readonly writes: CapacityLimiter;
  /** None on a dry run: nothing is saved, nothing written. */
  readonly checkpoint: Checkpoint | undefined;
  readonly progress: Progress;
  readonly now: () => number;
}

/** One item that could not be adopted. */
export interface RefusedItem {
  readonly key: string;
  readonly reason: string;
}

/** What an adoption did (a dry run: what it would do). */
export interface AdoptReport {
  readonly dryRun: boolean;
  /** Counted over the whole adoption, resumed runs included. */
  readonly counts: AdoptCounts;
  /** The first refused items, with why. */
  readonly refusals: readonly RefusedItem[];
  readonly elapsedMs: number;
  /** Items scanned per second in this run. */
  readonly itemsPerSecond: number;
  /** Capacity units spent in this run. */
  readonly readUnits: number;
  readonly writeUnits: number;
}

const WRITES_PER_PAGE = 8;
const REFUSALS_SHOWN = 20;

type Counts = { -readonly [K in keyof AdoptCounts]: number };

/**
 * Adopts every unversioned item of the table.
 *
 * @example
 * const report = await adoptTable({ client, store, table: 'concord-prod', region: 'us-east-1', rules, segments: 4, pageSize: 100, reads, writes, checkpoint, progress, now: Date.now });
 */
export async function adoptTable(context: AdoptContext): Promise<AdoptReport> {
  const started = context.now();
  const refusals: RefusedItem[] = [];
  const total: Counts = { ...(context.checkpoint?.counts ?? NO_COUNTS) };
  let scannedNow = 0;
  await scanTable(context.client, context.table, {
    segments: context.segments,
    pageSize: context.pageSize,
    reads: context.reads,
    ...(context.checkpoint === undefined ? {} : { start: (segment: number): SegmentPosition => (context.checkpoint as Checkpoint).position(segment) }),
    onPage: async ({ segment, items, position }) => {
      const page: Counts = { ...NO_COUNTS, scanned: items.length };
      await mapConcurrently(items, WRITES_PER_PAGE, async (image) => {
        const outcome = await adoptOne(image, context);
        page[outcome.counted] += 1;
        if (outcome.counted === 'refused' && refusals.length < REFUSALS_SHOWN) refusals.push({ key: describeKey(keyOf(image, context.rules.table)), reason: outcome.reason ?? '' });
      });
      for (const name of Object.keys(page) as (keyof AdoptCounts)[]) total[name] += page[name];
      scannedNow += items.length;
      context.progress.advance(items.length);
      await context.checkpoint?.record(segment, position, page);
    },
  });
  await context.checkpoint?.remove();
  const elapsedMs = context.now() - started;
  return { dryRun: context.checkpoint === undefined, counts: total, refusals, elapsedMs, itemsPerSecond: elapsedMs === 0 ? scannedNow : Math.round((scannedNow / elapsedMs) * 1000), readUnits: context.reads.spent, writeUnits: context.writes.spent };
}

/** Adopts one scanned item (or, on a dry run, says it would); a changed item is read again once. */
async function adoptOne(scanned: AttributeMap, context: AdoptContext): Promise<{ counted: keyof AdoptCounts; reason?: string }> {
  const { rules, store } = context;
  const key = keyOf(scanned, rules.table);
  let image: AttributeMap | undefined = scanned;
  for (let attempt = 1; image !== undefined; attempt += 1) {
    const adoption = adoptionOf(image, rules, context.region, context.table);
    if (adoption.kind === 'versioned') return { counted: attempt === 1 ? 'versioned' : 'changedMeanwhile' };
    if (adoption.kind === 'refused') return { counted: 'refused', reason: adoption.reason };
    if (context.checkpoint === undefined) return { counted: 'adopted' };
    try {
      const written = await store.put(adoption.image, key, stillUnversioned(rules.table, withoutKey(image, key)));
      await context.writes.spend(writeUnits(image, adoption.image));
      if (written) return { counted: 'adopted' };
    } catch (error) {
      if (error instanceof ItemTooLargeError) return { counted: 'refused', reason: error.message };
      throw error;
    }
    if (attempt === 2) return { counted: 'changedMeanwhile' };
    image = await store.get(key);
    await context.reads.spend(1);
  }
  return { counted: 'changedMeanwhile' };
}

/** A put's write units as DynamoDB counts them: 1 per KB started of the larger of the item before and after. */
function writeUnits(before: AttributeMap, after: AttributeMap): number {
  return Math.max(1, Math.ceil(Math.max(itemSizeBytes(before), itemSizeBytes(after)) / 1024));
}

function withoutKey(image: AttributeMap, key: AttributeMap): AttributeMap {
  const rest = dict<AttributeMap[string]>();
  for (const name of Object.keys(image)) if (!Object.hasOwn(key, name)) rest[name] = image[name] as AttributeMap[string];
  return rest;
}
