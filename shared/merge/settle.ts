/**
 * How a conflict is settled (design §5.3), as pure decisions: the resolver's write-back
 * loop and the models of the property tests take the same steps.
 */
import type { AttributeMap } from '../dynamodb/attribute-value';
import type { ItemState } from '../item/state';
import type { RuleSet } from '../rules/types';
import { holdsAll } from './holds-all';
import { mergeStates, visibleOf, type MergeResult } from './merge';

/** What superseded a resolution. */
export const SupersededBy = {
  /** A version that holds the old image's writes. */
  NewerVersion: 'newerVersion',
  /** The item is gone: its removal has its own stream record (and policy). */
  Removal: 'removal',
  /** The item was overwritten without Concord: that overwrite has its own record (and policy). */
  UnversionedOverwrite: 'unversionedOverwrite',
} as const;
export type SupersededBy = (typeof SupersededBy)[keyof typeof SupersededBy];

/** A conflict's old image, decoded, and where and when it is being settled. */
export interface Conflict {
  readonly local: ItemState;
  /** What the old image showed, for the merge report. */
  readonly localShown: AttributeMap;
  readonly rules: RuleSet;
  readonly table: string;
  /** The resolving region: the merge is written there. */
  readonly region: string;
}

/**
 * The merge of the conflict's old image with a version of the item (the record's new
 * image, or the current item), written in the resolving region. Not certified: a merge
 * is the same in every region that resolves the conflict, so regions that resolve it alike
 * write the same state and nothing loops (floors rise in compactions, design §3.4).
 *
 * @example
 * const merged = mergeWith(conflict, decodeItem(newImage, table), visibleOf(newImage, rules));
 */
export function mergeWith(conflict: Conflict, remote: ItemState, remoteShown: AttributeMap): MergeResult {
  const { local, localShown, rules, table, region } = conflict;
  return mergeStates(local, remote, rules, { table, writtenIn: region }, [localShown, remoteShown]);
}

/** What the current item says once the write over the record's new image failed. */
export type Settlement =
  /** Nothing to write: the conflict is settled already (by our own merge, or a later version). */
  | { readonly settled: true; readonly supersededBy?: SupersededBy }
  /** Write this merge over the current item . */
  | { readonly settled: false; readonly merge: MergeResult };

/**
 * Settles a conflict against the current item, after the write over the record's new
 * image failed: gone, our own merge (`conflictId`), unversioned, a version that holds
 * every write of the old image, or else the merge to write over it.
 *
 * @example
 * const next = settleAgainst(conflict, merged.conflictId, current, currentImage);
 */
export function settleAgainst(conflict: Conflict, conflictId: string, current: ItemState | undefined, currentImage: AttributeMap | undefined): Settlement {
  if (current === undefined || currentImage === undefined) return { settled: true, supersededBy: SupersededBy.Removal };
  // Our own merge, written by an earlier delivery of this record or by another region resolving the same conflict.
  if (current.wid === conflictId) return { settled: true };
  if (!current.versioned) return { settled: true, supersededBy: SupersededBy.UnversionedOverwrite };
  if (holdsAll(current, conflict.local)) return { settled: true, supersededBy: SupersededBy.NewerVersion };
  return { settled: false, merge: mergeWith(conflict, current, visibleOf(currentImage, conflict.rules)) };
}
