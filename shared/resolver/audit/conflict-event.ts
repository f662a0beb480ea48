/**
 * The audit event of a resolved, escalated or superseded conflict.
 */
import { latestSeen, summarize } from '../../clock/context';
import type { AttributeMap } from '../../dynamodb/attribute-value';
import { visibleOf } from '../../merge/merge';
import type { ResolverContext } from '../dependencies';
import type { StreamRecord } from '../stream-record';
import { ConflictOutcome, type Resolution } from '../write-back';
import { AuditEventType, attributeDetails, escalationDetails, recordFields, versionInput, versionOf, type AuditEvent } from './events';

const EVENT_TYPES: Record<ConflictOutcome, AuditEventType> = {
  resolved: AuditEventType.ConflictResolved,
  escalated: AuditEventType.ConflictEscalated,
  superseded: AuditEventType.ConflictSuperseded,
};

/**
 * Builds the event of a resolution. A superseded conflict reports the version that
 * superseded it as `merged` (it holds the old image's writes) and no attribute lines.
 * Every conflict event carries its inputs, the record's old and new image (envelopes,
 * and values where the rules allow), for a later re-merge or a replay under other rules.
 *
 * @example
 * events.push(conflictEvent(await writeBack(...), record, context));
 */
export function conflictEvent(resolution: Resolution, record: StreamRecord, { rules, config }: ResolverContext): AuditEvent {
  const { merge, outcome } = resolution;
  const superseded = outcome === ConflictOutcome.Superseded;
  const result = superseded ? resolution.current : merge.state;
  return {
    type: EVENT_TYPES[outcome],
    detail: {
      conflictId: resolution.conflictId,
      ...recordFields(record, config.table, config.region),
      entity: merge.entity,
      outcome,
      local: versionOf(resolution.local),
      remote: versionOf(resolution.remote),
      merged: result === undefined ? null : { ...summarize(result.context), hlc: latestSeen(result.context) ?? '' },
      attributes: superseded
        ? {}
        : attributeDetails(rules, merge.attributes, {
            local: visibleOf(resolution.localImage, rules),
            remote: visibleOf(resolution.remoteImage, rules),
            merged: visibleOf(merge.item, rules),
          }),
      escalations: superseded ? [] : escalationDetails(rules, merge.escalations, merge.siblings),
      inputs: { old: versionInput(rules, record.oldImage as AttributeMap, record.key as AttributeMap), new: versionInput(rules, record.newImage as AttributeMap, record.key as AttributeMap) },
      ...(superseded ? { reason: { supersededBy: resolution.supersededBy ?? null } } : {}),
    },
  };
}
