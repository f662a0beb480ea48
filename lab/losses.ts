/**
 * Lost updates of one item: where its final version differs from what the oracle of
 * every client write says it must show (lab/oracle.ts), and which writes were lost.
 *
 * A write counts as lost when an attribute it wrote (or the item's existence) ends up
 * other than the rules say, and the final version never saw the write (its dot is not
 * in the final version vector): the write's effect was dropped on the way, as Global
 * Tables drop the loser of a concurrent overwrite. When the final version saw every such
 * write and still differs, the merge itself lost something: the latest of those writes
 * is counted. For `manual` attributes every surviving concurrent value must be kept as a
 * sibling for a person to settle; a dropped sibling is a lost write too.
 */
import { sees } from '../shared/clock/context';
import type { Clock } from '../shared/clock/hlc';
import { attributeValuesEqual, canonicalJson, type AttributeMap } from '../shared/dynamodb/attribute-value';
import { isDeleted } from '../shared/item/encode';
import { contextOf, decodeItem, describeKey, type ItemState } from '../shared/item/state';
import type { WriteEvent } from '../shared/laws/histories';
import { visibleOf } from '../shared/merge/merge';
import { ruleFor } from '../shared/rules/define-rules';
import { RuleKind, type RuleSet } from '../shared/rules/types';
import { entityForChange, type Change } from '../shared/write/change';
import { expectedItem, survivingDots } from './oracle';

/** What a loss is about: an attribute's rule kind, or the item's existence. */
export const EXISTENCE = 'existence';
export type LossKind = RuleKind | typeof EXISTENCE;

/** How the final version differs from the oracle. */
export const LossReason = {
  /** The visible value differs. */
  Value: 'value',
  /** A `manual` attribute dropped a concurrent value it had to keep. */
  Sibling: 'sibling',
  /** The item exists where it must be deleted, or the other way round. */
  Existence: 'existence',
} as const;
export type LossReason = (typeof LossReason)[keyof typeof LossReason];

/** One difference between an item's final version and the oracle. */
export interface Loss {
  readonly key: string;
  /** Undefined for the item's existence. */
  readonly attribute: string | undefined;
  readonly kind: LossKind;
  readonly reason: LossReason;
  /** Canonical JSON of what the oracle expects and what the item shows. */
  readonly expected: string;
  readonly actual: string;
  /** Dots of the writes lost. */
  readonly lost: readonly Clock[];
}

function touches(change: Change, name: string): boolean {
  if (change.type !== 'update') return true;
  return [change.set, change.increment, change.addToSet, change.removeFromSet].some((operation) => operation?.[name] !== undefined) || (change.remove ?? []).includes(name);
}

/**
 * Compares an item's final version (undefined when the region holds none) with the
 * oracle of its client writes.
 *
 * @example
 * const losses = findLosses(rules, key, writes, finalImage); // [] when nothing was lost
 */
export function findLosses(rules: RuleSet, key: AttributeMap, writes: readonly WriteEvent[], finalImage: AttributeMap | undefined): Loss[] {
  if (writes.length === 0) return [];
  const expected = expectedItem(rules, key, writes);
  const entity = entityForChange(rules, key, (writes[0] as WriteEvent).change);
  const state: ItemState | undefined = finalImage === undefined ? undefined : decodeItem(finalImage, rules.table, key);
  const actualDeleted = state === undefined || isDeleted(state.ex, entity.onDelete);
  const described = describeKey(key);
  /** The unseen ones among `candidates`, else the latest of them. */
  const lostAmong = (candidates: readonly WriteEvent[]): Clock[] => {
    const unseen = candidates.filter((write) => state === undefined || !sees(contextOf(state), write.dot)).map((write) => write.dot);
    if (unseen.length > 0) return unseen;
    const latest = [...candidates].sort((a, b) => (a.dot < b.dot ? -1 : 1)).pop();
    return latest === undefined ? [] : [latest.dot];
  };

  if (expected.deleted !== actualDeleted) {
    return [{ key: described, attribute: undefined, kind: EXISTENCE, reason: LossReason.Existence, expected: expected.deleted ? 'deleted' : 'present', actual: actualDeleted ? 'deleted' : 'present', lost: lostAmong(writes) }];
  }
  if (expected.deleted) return [];
  const actual = visibleOf(finalImage as AttributeMap, rules);
  const losses: Loss[] = [];
  for (const name of [...new Set([...Object.keys(expected.attributes), ...Object.keys(actual)])].sort()) {
    const kind = ruleFor(entity, name).kind;
    const writers = writes.filter((write) => touches(write.change, name));
    if (!attributeValuesEqual(expected.attributes[name], actual[name])) {
      losses.push({ key: described, attribute: name, kind, reason: LossReason.Value, expected: canonicalJson(expected.attributes[name] ?? null), actual: canonicalJson(actual[name] ?? null), lost: lostAmong(writers) });
      continue;
    }
    if (kind !== RuleKind.Manual) continue;
    const kept = new Set(Object.keys((state as ItemState).registers[name] ?? {}));
    const dropped = survivingDots(rules, key, writes, name).filter((dot) => !kept.has(dot));
    if (dropped.length > 0) losses.push({ key: described, attribute: name, kind, reason: LossReason.Sibling, expected: canonicalJson(survivingDots(rules, key, writes, name)), actual: canonicalJson([...kept].sort()), lost: dropped });
  }
  return losses;
}
