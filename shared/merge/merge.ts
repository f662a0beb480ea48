/**
 * `merge(local, remote)`: the business merge of two versions of one item (design §5.2).
 * Pure and deterministic: the same two inputs give the same state in either order and in
 * any region (lineage aside: `wid`, `by`, `tip`).
 */
import { convertToNative } from '@aws-sdk/util-dynamodb';
import { attributeValuesEqual, type AttributeMap, type AttributeValue } from '../dynamodb/attribute-value';
import { dict, hasOwn } from '../dynamodb/dict';
import { keyOf, readImage, type ItemState, type RawImage, type Register } from '../item/state';
import { encodeItem } from '../item/encode';
import { ruleFor } from '../rules/define-rules';
import { RuleKind, type Entity, type PlainItem, type RuleSet } from '../rules/types';
import { conflictId } from './conflict-id';
import { joinStates } from './join';

/** How an attribute's merged value relates to the two inputs. */
export const Outcome = {
  /** The local (old image's) value stands. */
  Local: 'local',
  /** The remote (new image's) value stands. */
  Remote: 'remote',
  /** A value neither side showed (a sum, a union, a pick among siblings). */
  Merged: 'merged',
  /** Both sides showed the same value. */
  Equal: 'equal',
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

/** Why a merged item needs a person. */
export const EscalationReason = { Manual: 'manual', Invariant: 'invariant' } as const;
export type EscalationReason = (typeof EscalationReason)[keyof typeof EscalationReason];

export interface Escalation {
  readonly reason: EscalationReason;
  /** The manual attribute, or the violated invariant's name. */
  readonly subject: string;
  readonly detail?: string;
}

export interface AttributeReport {
  readonly rule: RuleKind;
  readonly outcome: Outcome;
}

/** One surviving write of an attribute that holds several. */
export interface Sibling {
  readonly dot: string;
  /** Absent for a write that removed the attribute. */
  readonly value?: AttributeValue;
}

export interface MergeResult {
  /** The merged image to write back, envelope included. */
  readonly item: AttributeMap;
  readonly state: ItemState;
  readonly conflictId: string;
  readonly entity: string;
  readonly deleted: boolean;
  /** Per attribute (a null-prototype record: names are user data). */
  readonly attributes: Readonly<Record<string, AttributeReport>>;
  /** Attributes holding several surviving writes (a null-prototype record). */
  readonly siblings: Readonly<Record<string, readonly Sibling[]>>;
  readonly escalations: readonly Escalation[];
}

export interface MergeOptions {
  /** The table name, part of the conflict id. */
  readonly table: string;
  /**
   * The region where the merged item is written over `remote`, that region's current
   * version: the merged item is `by` that region and stays on `remote`'s line of it
   * (design §3.2). Lineage only: it does not change what the item shows.
   */
  readonly writtenIn?: string;
}

/**
 * Merges the local version (a stream record's old image) with the remote one (its new
 * image) under the table's rules. Both images are validated as they are decoded.
 *
 * @throws MalformedAttributeError when an attribute value is malformed
 * @throws EnvelopeError when either envelope is malformed
 * @throws RuleApplicationError when a value does not suit its rule
 * @example
 * const result = merge(oldImage, newImage, rules, { table: 'concord-prod' });
 * result.item;       // the image to write back on the condition _cc.wid = new image's wid
 * result.conflictId; // the same in every region
 */
export function merge(local: RawImage, remote: RawImage, rules: RuleSet, options: MergeOptions): MergeResult {
  const key = keyOf(remote, rules.table);
  const [a, b] = [readImage(local, rules.table, key), readImage(remote, rules.table, key)];
  return mergeStates(a.state, b.state, rules, options, [a.visible, b.visible]);
}

/**
 * Merges two decoded states; `shown` holds what each side showed, for the report
 * (computed from the states when not given).
 */
export function mergeStates(local: ItemState, remote: ItemState, rules: RuleSet, options: MergeOptions, shown?: readonly [AttributeMap, AttributeMap]): MergeResult {
  const id = conflictId(options.table, remote.key, local.context, remote.context);
  const joined = joinStates(local, remote, { writtenIn: options.writtenIn });
  return projectMerge({ ...joined, wid: id }, rules, shown ?? [encodeItem(local, rules).visible, encodeItem(remote, rules).visible]);
}

/**
 * The merge result of a merged state: its image under the rules, and the report of what
 * it shows against what each side showed.
 */
export function projectMerge(state: ItemState, rules: RuleSet, [localShown, remoteShown]: readonly [AttributeMap, AttributeMap]): MergeResult {
  const projection = encodeItem(state, rules);
  const merged = projection.visible;
  const attributes = dict<AttributeReport>();
  const names = new Set([...Object.keys(localShown), ...Object.keys(remoteShown), ...Object.keys(merged), ...state.registers.keys()]);
  for (const name of [...names].sort()) {
    attributes[name] = { rule: ruleFor(projection.entity, name).kind, outcome: outcomeOf(member(merged, name), member(localShown, name), member(remoteShown, name)) };
  }
  const siblings = siblingsOf(projection.siblings);
  const escalations: Escalation[] = Object.keys(siblings)
    .filter((name) => ruleFor(projection.entity, name).kind === RuleKind.Manual)
    .map((name) => ({ reason: EscalationReason.Manual, subject: name }));
  if (!projection.deleted) escalations.push(...violatedInvariants(projection.entity, { ...state.key, ...merged }));
  return {
    item: projection.image,
    state,
    conflictId: state.wid,
    entity: projection.entity.name,
    deleted: projection.deleted,
    attributes,
    siblings,
    escalations,
  };
}

function outcomeOf(merged: AttributeValue | undefined, local: AttributeValue | undefined, remote: AttributeValue | undefined): Outcome {
  const isLocal = attributeValuesEqual(merged, local);
  const isRemote = attributeValuesEqual(merged, remote);
  if (isLocal && isRemote) return Outcome.Equal;
  if (isLocal) return Outcome.Local;
  if (isRemote) return Outcome.Remote;
  return Outcome.Merged;
}

function member(map: AttributeMap, name: string): AttributeValue | undefined {
  return hasOwn(map, name) ? map[name] : undefined;
}

function siblingsOf(registers: ReadonlyMap<string, Register>): Record<string, Sibling[]> {
  const siblings = dict<Sibling[]>();
  for (const [name, register] of registers) {
    siblings[name] = [...register.keys()].sort().map((dot) => {
      const value = register.get(dot);
      return value ? { dot, value } : { dot };
    });
  }
  return siblings;
}

function violatedInvariants(entity: Entity, image: AttributeMap): Escalation[] {
  if (entity.invariants.length === 0) return [];
  const item = dict<PlainItem[string]>();
  for (const name in image) item[name] = convertToNative(image[name] as never);
  const violations: Escalation[] = [];
  for (const [name, holds] of entity.invariants) {
    try {
      if (!holds(item)) violations.push({ reason: EscalationReason.Invariant, subject: name });
    } catch (error) {
      violations.push({ reason: EscalationReason.Invariant, subject: name, detail: `threw: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return violations;
}

/** The attributes an image shows: everything but the key, the envelope and the TTL attribute. */
export function visibleOf(image: AttributeMap, rules: RuleSet): AttributeMap {
  const { partitionKey, sortKey, envelopeAttribute, ttlAttribute } = rules.table;
  const visible = dict<AttributeValue>();
  for (const name in image) {
    if (name !== partitionKey && name !== sortKey && name !== envelopeAttribute && name !== ttlAttribute) visible[name] = image[name] as AttributeValue;
  }
  return visible;
}
