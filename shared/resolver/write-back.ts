/**
 * The write-back of a conflict (design §5.3): merge the old image O with the new image N,
 * write the merged item only if the item is still N; if it is not, read what it is now (C)
 * and either stop (C already holds O's writes) or merge C with O and try again, a bounded
 * number of times.
 *
 * When a later record of the key is in the same batch, N is known not to be the item any
 * more: the write on N would only be refused (and a refused write costs write units), so
 * the first attempt reads C instead.
 *
 * Why a redelivered record changes nothing and reports the same outcome: the first
 * delivery wrote merge(O, N), whose `wid` is the conflict id. The second delivery's
 * write fails its condition (the item is no longer N), the read finds the conflict id
 * as the item's `wid`, and the result is the first delivery's result, unchanged.
 */
import { WriteContentionError } from '../errors';
import type { AttributeMap } from '../dynamodb/attribute-value';
import { decodeItem, describeKey, type ItemState } from '../item/state';
import { visibleOf, type MergeResult } from '../merge/merge';
import { mergeWith, settleAgainst, SupersededBy, type Conflict } from '../merge/settle';
import { backoffDelay } from './backoff';
import type { ResolverContext } from './dependencies';
import { widIs, type ItemStore } from './item-store';
import type { RecordLog } from './record-log';

/** How a conflict ended. */
export const ConflictOutcome = {
  /** The merged item was written (or already was, by an earlier delivery or another region). */
  Resolved: 'resolved',
  /** Written too, and it needs a person: a manual attribute kept siblings, or an invariant is violated. */
  Escalated: 'escalated',
  /** Nothing written: the item changed since, and its new version already settles the conflict. */
  Superseded: 'superseded',
} as const;
export type ConflictOutcome = (typeof ConflictOutcome)[keyof typeof ConflictOutcome];

export { SupersededBy };

/** What the batch knows about a record's new image. */
export interface WriteBackOptions {
  /** A later record of the key is in the batch: the new image is no longer the item. */
  readonly followed?: boolean;
}

/** The end of a resolution. */
export interface Resolution {
  readonly outcome: ConflictOutcome;
  /** The id of the conflict between O and N: the same in every region and on every delivery. */
  readonly conflictId: string;
  /** The old image's version (the writes at risk). */
  readonly local: ItemState;
  readonly localImage: AttributeMap;
  /** The version merged with last: N, or the current item after a failed condition. */
  readonly remote: ItemState;
  readonly remoteImage: AttributeMap;
  /** The merge that was written; when superseded, the merge that was not needed. */
  readonly merge: MergeResult;
  /** When superseded: why, and the version found (absent when the item is gone). */
  readonly supersededBy?: SupersededBy;
  readonly current?: ItemState;
  /** Conditional writes attempted (0 when a read showed the conflict already settled). */
  readonly writes: number;
}

/**
 * Resolves one conflict record.
 *
 * @throws WriteContentionError when every attempt met a changed item
 * @throws ItemTooLargeError when a merged item is over DynamoDB's limit
 * @throws EnvelopeError, RuleApplicationError from the merge
 * @example
 * const resolution = await writeBack(key, oldImage, newImage, context, store, log);
 * resolution.outcome; // 'resolved'
 */
export async function writeBack(
  key: AttributeMap,
  localImage: AttributeMap,
  newImage: AttributeMap,
  context: ResolverContext,
  store: ItemStore,
  log: RecordLog,
  options: WriteBackOptions = {},
): Promise<Resolution> {
  const { rules, config } = context;
  const local = decodeItem(localImage, rules.table, key);
  const conflict: Conflict = { local, localShown: visibleOf(localImage, rules), rules, table: config.table, region: config.region };
  let remote = decodeItem(newImage, rules.table, key);
  let remoteImage = newImage;
  let merged = mergeWith(conflict, remote, visibleOf(newImage, rules));
  const conflictId = merged.conflictId;
  log.identify(conflictId);
  const resolution = (writes: number, fields: Partial<Resolution> = {}): Resolution => ({
    outcome: fields.supersededBy !== undefined ? ConflictOutcome.Superseded : merged.escalations.length > 0 ? ConflictOutcome.Escalated : ConflictOutcome.Resolved,
    conflictId,
    local,
    localImage,
    remote,
    remoteImage,
    merge: merged,
    writes,
    ...fields,
  });
  let writes = 0;
  let stale = options.followed === true;
  for (;;) {
    if (!stale) {
      writes += 1;
      if (await store.put(merged.item, key, widIs(rules.table, remote.wid))) return resolution(writes);
      if (writes > 1) await context.sleep(backoffDelay(context.backoff, writes - 1));
    }
    stale = false;
    const currentImage = await store.get(key);
    const current = currentImage === undefined ? undefined : decodeItem(currentImage, rules.table, key);
    const next = settleAgainst(conflict, conflictId, current, currentImage);
    if (next.settled) return resolution(writes, next.supersededBy === undefined ? {} : { supersededBy: next.supersededBy, ...(current === undefined ? {} : { current }) });
    if (writes >= config.maxWriteAttempts) throw new WriteContentionError(describeKey(key), writes);
    log.info('item changed before the write-back; merging the old image with the current item', { attempt: writes + 1, currentWid: (current as ItemState).wid });
    remote = current as ItemState;
    remoteImage = currentImage as AttributeMap;
    merged = next.merge;
  }
}
