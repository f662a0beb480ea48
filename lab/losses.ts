/**
 * Lost updates of one item: the client writes its final version does not hold (the truth
 * of lab/truth.ts, tracked outside Concord), and the attributes whose final value differs
 * from what the oracle of every client write says the rules make of them
 * (shared/laws/oracle.ts, on the writes' true causal order). For `manual` attributes every
 * surviving concurrent value must be kept as a sibling for a person to settle; a dropped
 * sibling is a lost write too.
 */
import { attributeValuesEqual, canonicalJson, type AttributeMap } from '../shared/dynamodb/attribute-value';
import { own } from '../shared/dynamodb/dict';
import { isDeleted } from '../shared/item/encode';
import { decodeItem, describeKey, type ItemState } from '../shared/item/state';
import { expectedItem, survivingDots, type TrueWrite } from '../shared/laws/oracle';
import { visibleOf } from '../shared/merge/merge';
import { attributesOf, entityForChange, type Change } from '../shared/write/change';
import { ruleFor } from '../shared/rules/define-rules';
import { RuleKind, type RuleSet } from '../shared/rules/types';

/** What a loss is about: an attribute's rule kind, or the item's existence. */
export const EXISTENCE = 'existence';
export type LossKind = RuleKind | typeof EXISTENCE;

/** How the final version differs from the truth. */
export const LossReason = {
  /** A client write is in no region's final item. */
  Missing: 'missing',
  /** The visible value differs from what the rules make of the writes. */
  Value: 'value',
  /** A `manual` attribute dropped a concurrent value it had to keep. */
  Sibling: 'sibling',
  /** The item exists where it must be deleted, or the other way round. */
  Existence: 'existence',
} as const;
export type LossReason = (typeof LossReason)[keyof typeof LossReason];

/** One difference between an item's final version and the truth. */
export interface Loss {
  readonly key: string;
  /** Undefined for the item's existence and for missing writes. */
  readonly attribute: string | undefined;
  readonly kind: LossKind;
  readonly reason: LossReason;
  /** Canonical JSON of what the oracle expects and what the item shows. */
  readonly expected: string;
  readonly actual: string;
  /** Ids of the writes lost. */
  readonly lost: readonly string[];
}

/** True when a change writes `name` (a put and a delete write every attribute). */
function touches(change: Change, name: string): boolean {
  return change.type !== 'update' || attributesOf(change).includes(name);
}

/** The rule kind a lost write falls under: the first attribute it wrote, or existence. */
function kindOf(rules: RuleSet, key: AttributeMap, write: TrueWrite): LossKind {
  const { change } = write;
  const first = attributesOf(change).sort()[0];
  return first === undefined ? EXISTENCE : ruleFor(entityForChange(rules, key, change), first).kind;
}

/**
 * Compares an item's final version (undefined when the region holds none) and its true
 * past with the truth of its client writes.
 *
 * @example
 * const losses = findLosses(rules, key, writes, finalImage, finalPast); // [] when nothing was lost
 */
export function findLosses(rules: RuleSet, key: AttributeMap, writes: readonly TrueWrite[], finalImage: AttributeMap | undefined, finalPast: ReadonlySet<string>): Loss[] {
  if (writes.length === 0) return [];
  const described = describeKey(key);
  const missing = writes.filter((write) => !finalPast.has(write.id));
  const losses: Loss[] = missing.map((write) => ({ key: described, attribute: undefined, kind: kindOf(rules, key, write), reason: LossReason.Missing, expected: 'held', actual: 'missing', lost: [write.id] }));
  const expected = expectedItem(rules, key, writes);
  const entity = entityForChange(rules, key, (writes[0] as TrueWrite).change);
  const state: ItemState | undefined = finalImage === undefined ? undefined : decodeItem(finalImage, rules.table, key);
  const actualDeleted = state === undefined || (state.versioned ? isDeleted(state.ex, entity.onDelete) : false);
  /** The missing ones among `candidates`, else the latest of them: the write whose effect is wrong. */
  const lostAmong = (candidates: readonly TrueWrite[]): string[] => {
    const gone = candidates.filter((write) => !finalPast.has(write.id)).map((write) => write.id);
    if (gone.length > 0) return gone;
    const latest = [...candidates].sort((a, b) => (a.dot < b.dot ? -1 : 1)).pop();
    return latest === undefined ? [] : [latest.id];
  };
  if (expected.deleted !== actualDeleted) {
    return [...losses, { key: described, attribute: undefined, kind: EXISTENCE, reason: LossReason.Existence, expected: expected.deleted ? 'deleted' : 'present', actual: actualDeleted ? 'deleted' : 'present', lost: lostAmong(writes) }];
  }
  if (expected.deleted) return losses;
  const actual = visibleOf(finalImage as AttributeMap, rules);
  for (const name of [...new Set([...Object.keys(expected.attributes), ...Object.keys(actual)])].sort()) {
    const kind = ruleFor(entity, name).kind;
    const writers = writes.filter((write) => touches(write.change, name));
    const wanted = own(expected.attributes, name);
    const shown = own(actual, name);
    if (!attributeValuesEqual(wanted, shown)) {
      losses.push({ key: described, attribute: name, kind, reason: LossReason.Value, expected: canonicalJson(wanted ?? null), actual: canonicalJson(shown ?? null), lost: lostAmong(writers) });
      continue;
    }
    if (kind !== RuleKind.Manual || state === undefined) continue;
    const byDot = new Map(writes.map((write) => [write.dot, write.id]));
    const survivingInOrder = survivingDots(rules, key, writes, name).sort();
    const surviving = survivingInOrder.map((dot) => byDot.get(dot) ?? dot);
    // A plain item (no envelope) holds one value: of several concurrent writes, the last at most.
    const keptDots = state.versioned ? [...(state.registers.get(name)?.keys() ?? [])] : survivingInOrder.slice(-1);
    const kept = new Set(keptDots.map((dot) => byDot.get(dot) ?? dot));
    const dropped = surviving.filter((id) => !kept.has(id));
    if (dropped.length > 0) losses.push({ key: described, attribute: name, kind, reason: LossReason.Sibling, expected: canonicalJson(surviving.sort()), actual: canonicalJson([...kept].sort()), lost: dropped });
  }
  return losses;
}
