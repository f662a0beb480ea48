/**
 * The table policies for changes made around Concord (docs/design.md §3): an item
 * overwritten by a client without the writer library, and an item deleted outright
 * instead of through a tombstone.
 */
import { latestSeen, summarize } from '../clock/context';
import { randomTag } from '../clock/dot';
import { HybridClock } from '../clock/hlc';
import { encodeItem } from '../item/encode';
import type { AttributeMap } from '../dynamodb/attribute-value';
import { entityOfState } from '../item/encode';
import { decodeItem, type ItemState } from '../item/state';
import { visibleOf } from '../merge/merge';
import { HardDeletePolicy, UnversionedOverwritePolicy, type Entity, type TableSettings } from '../rules/types';
import { applyWrite, lineClock } from '../write/apply-write';
import { AuditEventType, attributeDetails, compareAttributes, observationId, recordFields, versionOf, type AuditDetail, type AuditEvent, type Sides } from './audit/events';
import type { ResolverContext } from './dependencies';
import { itemAbsent, stillUnversioned, type ItemStore } from './item-store';
import type { StreamRecord } from './stream-record';

/** What a policy did. */
export const PolicyOutcome = {
  /** Left as the client made it (policy `accept`). */
  Accepted: 'accepted',
  /** The overwriting client's values brought in as a Concord write (policy `merge`). */
  Merged: 'merged',
  /** The deleted item put back (policy `restore`). */
  Restored: 'restored',
  /** A restore without an old image (the stream does not carry old images). */
  Unrestorable: 'unrestorable',
  /** Nothing written: the item changed again before the policy's write. */
  Superseded: 'superseded',
} as const;
export type PolicyOutcome = (typeof PolicyOutcome)[keyof typeof PolicyOutcome];

/** A policy's outcome and its audit event. */
export interface PolicyResult {
  readonly outcome: PolicyOutcome;
  readonly event: AuditEvent;
}

/**
 * An item that Concord versioned (O) overwritten by a client that bypassed it (N, no
 * envelope). `accept` keeps N and audits it; `merge` brings N's values in as a Concord
 * write by this region on top of O, written only if the item is still N, so the item
 * is versioned again and N's values merge with other regions' writes like any write.
 * The write's clock comes from the record (its creation time, above O's clock), so a
 * redelivery computes the same write and recognises it as done.
 *
 * @throws InvalidWriteError when N holds a value the rules refuse (the record is quarantined)
 * @example
 * const { outcome, event } = await applyUnversionedOverwritePolicy(record, context, store);
 */
export async function applyUnversionedOverwritePolicy(record: StreamRecord, context: ResolverContext, store: ItemStore): Promise<PolicyResult> {
  const { rules, config } = context;
  const key = record.key as AttributeMap;
  const oldImage = record.oldImage as AttributeMap;
  const newImage = record.newImage as AttributeMap;
  const local = decodeItem(oldImage, rules.table, key);
  const overwrite = { local: visibleOf(oldImage, rules), remote: visibleOf(newImage, rules) };
  const observed = observationId(AuditEventType.UnversionedOverwrite, config.table, key, summarize(local.context), newImage);
  const result = (outcome: PolicyOutcome, entity: Entity, merged?: { image: AttributeMap; state: ItemState }): PolicyResult => ({
    outcome,
    event: policyEvent(AuditEventType.UnversionedOverwrite, record, context, {
      conflictId: observed,
      entity,
      outcome,
      local,
      merged: merged?.state,
      // What the item shows now: the merged write, else N as the client left it.
      sides: { ...overwrite, merged: merged === undefined ? overwrite.remote : visibleOf(merged.image, rules) },
      policy: rules.policies.unversionedOverwrite,
    }),
  });
  if (rules.policies.unversionedOverwrite === UnversionedOverwritePolicy.Accept) return result(PolicyOutcome.Accepted, entityOfState(rules, local));
  // A write of this region now (above its line and floor, design §3.3), named by the
  // observation so that a redelivery recognises it as done.
  const tick = new HybridClock({ now: context.now, maxOffsetMs: rules.table.maxClockOffsetMs }).tickAbove(lineClock(local, config.region) ?? '');
  const applied = applyWrite(local, { type: 'put', item: overwrite.remote }, { region: config.region, clock: tick?.clock ?? '', writer: 'resolver', tags: randomTag }, rules);
  const state = { ...applied.state, wid: observed };
  const write = { ...encodeItem(state, rules), state };
  if (await store.put(write.image, key, stillUnversioned(rules.table, withoutKey(newImage, key)))) return result(PolicyOutcome.Merged, write.entity, write);
  // A redelivery: the write it made the first time is there, named by the observation.
  const current = await store.get(key);
  const earlier = current === undefined ? undefined : decodeItem(current, rules.table, key);
  return earlier?.wid === observed ? result(PolicyOutcome.Merged, write.entity, { image: current as AttributeMap, state: earlier }) : result(PolicyOutcome.Superseded, write.entity);
}

/**
 * A versioned item deleted outright (not through a tombstone). `accept` audits it;
 * `restore` puts the old image back unless an item with the key exists again.
 *
 * @example
 * const { outcome, event } = await applyHardDeletePolicy(record, context, store);
 */
export async function applyHardDeletePolicy(record: StreamRecord, context: ResolverContext, store: ItemStore): Promise<PolicyResult> {
  const { rules, config } = context;
  const key = record.key as AttributeMap;
  const oldImage = record.oldImage;
  const local = oldImage === undefined ? undefined : decodeItem(oldImage, rules.table, key);
  const result = (outcome: PolicyOutcome): PolicyResult => {
    const shown = oldImage === undefined ? {} : visibleOf(oldImage, rules);
    const restored = outcome === PolicyOutcome.Restored;
    return {
      outcome,
      event: policyEvent(AuditEventType.HardDeleteObserved, record, context, {
        conflictId: observationId(AuditEventType.HardDeleteObserved, config.table, key, local === undefined ? null : summarize(local.context), record.sequenceNumber ?? ''),
        entity: local === undefined ? undefined : entityOfState(rules, local),
        outcome,
        local,
        merged: restored ? local : undefined,
        sides: { local: shown, remote: {}, merged: restored ? shown : {} },
        policy: rules.policies.hardDelete,
      }),
    };
  };
  if (rules.policies.hardDelete === HardDeletePolicy.Accept) return result(PolicyOutcome.Accepted);
  if (oldImage === undefined || local === undefined) return result(PolicyOutcome.Unrestorable);
  const restored = (await store.put(oldImage, key, itemAbsent(rules.table))) || (await currentWid(store, key, rules.table)) === local.wid;
  return result(restored ? PolicyOutcome.Restored : PolicyOutcome.Superseded);
}

interface PolicyEventFields {
  readonly conflictId: string;
  readonly entity: Entity | undefined;
  readonly outcome: PolicyOutcome;
  readonly local: ItemState | undefined;
  readonly merged: ItemState | undefined;
  readonly sides: Required<Sides>;
  readonly policy: string;
}

function policyEvent(type: AuditEventType, record: StreamRecord, { rules, config }: ResolverContext, fields: PolicyEventFields): AuditEvent {
  const detail: AuditDetail = {
    conflictId: fields.conflictId,
    ...recordFields(record, config.table, config.region),
    entity: fields.entity?.name,
    outcome: fields.outcome,
    local: fields.local === undefined ? null : versionOf(fields.local),
    remote: null,
    merged: fields.merged === undefined ? null : { ...summarize(fields.merged.context), hlc: latestSeen(fields.merged.context) ?? '' },
    attributes: fields.entity === undefined ? {} : attributeDetails(rules, compareAttributes(fields.entity, fields.sides), fields.sides),
    reason: { policy: fields.policy },
  };
  return { type, detail };
}

async function currentWid(store: ItemStore, key: AttributeMap, table: TableSettings): Promise<string | undefined> {
  const current = await store.get(key);
  return current === undefined ? undefined : decodeItem(current, table, key).wid;
}

function withoutKey(image: AttributeMap, key: AttributeMap): AttributeMap {
  const rest: AttributeMap = {};
  for (const name in image) if (key[name] === undefined) rest[name] = image[name] as AttributeMap[string];
  return rest;
}
