/**
 * The audit events: one per outcome, with the conflict id (the same in every region,
 * so consumers drop duplicates), both inputs' causal contexts, the merged version, and
 * per attribute the rule and the outcome; values only when the table's rules allow
 * them, with the rules' redacted paths masked (./redaction.ts).
 */
import { latestSeen, summarize } from '../../clock/context';
import { createHash } from 'node:crypto';
import { hasOwn } from '../../dynamodb/dict';
import { attributeValuesEqual, canonicalJson, type AttributeMap, type AttributeValue } from '../../dynamodb/attribute-value';
import type { ItemState } from '../../item/state';
import { Outcome, type Escalation, type Sibling } from '../../merge/merge';
import { ruleFor } from '../../rules/define-rules';
import type { Entity, RuleKind, RuleSet } from '../../rules/types';
import { Redactor, REDACTED } from '../redaction';
import type { StreamRecord } from '../stream-record';
import { toPlain, toPlainMap, type Json } from './plain';

export { REDACTED };

/** The `DetailType` of each audit event. */
export const AuditEventType = {
  ConflictResolved: 'ConflictResolved',
  ConflictEscalated: 'ConflictEscalated',
  ConflictSuperseded: 'ConflictSuperseded',
  UnversionedOverwrite: 'UnversionedOverwrite',
  HardDeleteObserved: 'HardDeleteObserved',
  RecordQuarantined: 'RecordQuarantined',
  /** Candidate rules (CONCORD_SHADOW_RULES) would have settled a conflict differently (shadow.ts). */
  ShadowDifference: 'ShadowDifference',
} as const;
export type AuditEventType = (typeof AuditEventType)[keyof typeof AuditEventType];

/** A version as the audit shows it. */
export interface VersionSummary {
  /** Floors per region and the latest dot per epoch seen (design §3). */
  readonly fl: Readonly<Record<string, string>>;
  readonly vv: Readonly<Record<string, string>>;
  /** The latest clock the version has seen. */
  readonly hlc: string;
  readonly by: string;
}

/** One attribute's line in an audit event. */
export interface AttributeDetail {
  readonly rule: RuleKind;
  readonly outcome: Outcome;
  /** Present only when the rules allow values; redacted attributes show {@link REDACTED}. */
  readonly values?: { readonly local?: Json; readonly remote?: Json; readonly merged?: Json };
}

/** An escalation as the audit shows it. */
export interface EscalationDetail {
  readonly reason: Escalation['reason'];
  readonly subject: string;
  readonly detail?: string;
  /** The concurrent values kept side by side (manual attributes), when values are allowed. */
  readonly siblings?: readonly { readonly dot: string; readonly value?: Json }[];
}

/** One input version of a conflict, as a later re-merge needs it. */
export interface VersionInput {
  /** The envelope attribute's value exactly as the image holds it (wire form; its format is not the event's business), redacted names masked. */
  readonly envelope: AttributeValue | null;
  /** The image's other attributes, key excluded (wire form, redacted), when the rules allow values. */
  readonly attributes?: AttributeMap;
}

/** The `Detail` of an audit event. */
export interface AuditDetail {
  /** The conflict id (a hash of table, key and both version vectors), or for other events a hash of what they observed. */
  readonly conflictId: string;
  readonly table: string;
  readonly key: Readonly<Record<string, Json>>;
  /** The resolving region. */
  readonly region: string;
  readonly entity?: string;
  readonly outcome: string;
  readonly local?: VersionSummary | null;
  readonly remote?: VersionSummary | null;
  readonly merged?: { readonly fl: Readonly<Record<string, string>>; readonly vv: Readonly<Record<string, string>>; readonly hlc: string } | null;
  readonly attributes?: Readonly<Record<string, AttributeDetail>>;
  readonly escalations?: readonly EscalationDetail[];
  /** The stream record the event is about. */
  readonly record: { readonly eventId?: string; readonly sequenceNumber?: string };
  /** A conflict's two input versions: the stream record's old and new image. */
  readonly inputs?: { readonly old: VersionInput; readonly new: VersionInput };
  /** Why: the superseding change, the policy applied, the quarantine reason. */
  readonly reason?: Json;
  /** Set when attribute values (and the inputs' attributes) were removed to fit EventBridge's entry limit. */
  readonly valuesDropped?: true;
  /** Set when the inputs' envelopes had to go too. */
  readonly envelopesDropped?: true;
  /** Set when the per-attribute lines had to go too. */
  readonly attributesDropped?: true;
  /** Set on a pointer event: only the ids remain (conflict id, table, key, record); the rest would not fit. */
  readonly pointer?: true;
}

/** One audit event, before it becomes a PutEvents entry. */
export interface AuditEvent {
  readonly type: AuditEventType;
  readonly detail: AuditDetail;
}

/** The three sides an attribute line compares. */
export interface Sides {
  readonly local?: AttributeMap;
  readonly remote?: AttributeMap;
  readonly merged?: AttributeMap;
}

/**
 * The summary of a version: its vector, clock and writing region.
 *
 * @example
 * versionOf(decodeItem(oldImage, rules.table)); // { fl: {}, vv: { 'us-east-1~k3F9aZ2q': '…' }, hlc: '…', by: 'us-east-1' }
 */
export function versionOf(state: ItemState): VersionSummary {
  return { ...summarize(state.context), hlc: latestSeen(state.context) ?? '', by: state.by };
}

/**
 * The rule and outcome of every attribute shown on any side, for events whose versions
 * did not come out of `merge` (the policies).
 *
 * @example
 * compareAttributes(entity, { local: { qty: { N: '1' } }, remote: {}, merged: {} }); // { qty: { rule: 'lww', outcome: 'remote' } }
 */
export function compareAttributes(entity: Entity, sides: Required<Sides>): Record<string, { rule: RuleKind; outcome: Outcome }> {
  const reports = Object.create(null) as Record<string, { rule: RuleKind; outcome: Outcome }>;
  const names = new Set([...Object.keys(sides.local), ...Object.keys(sides.remote), ...Object.keys(sides.merged)]);
  for (const name of [...names].sort()) reports[name] = { rule: ruleFor(entity, name).kind, outcome: outcomeOf(sides.merged[name], sides.local[name], sides.remote[name]) };
  return reports;
}

function outcomeOf(merged: AttributeValue | undefined, local: AttributeValue | undefined, remote: AttributeValue | undefined): Outcome {
  const isLocal = attributeValuesEqual(merged, local);
  const isRemote = attributeValuesEqual(merged, remote);
  if (isLocal && isRemote) return Outcome.Equal;
  if (isLocal) return Outcome.Local;
  return isRemote ? Outcome.Remote : Outcome.Merged;
}

/**
 * The per-attribute lines of an event: the rule and outcome of each attribute, and,
 * when the rules allow values, each side's visible value (redacted where configured).
 */
export function attributeDetails(rules: RuleSet, reports: Readonly<Record<string, { readonly rule: RuleKind; readonly outcome: Outcome }>>, sides: Sides): Record<string, AttributeDetail> {
  const details = Object.create(null) as Record<string, AttributeDetail>;
  for (const name of Object.keys(reports).sort()) {
    const report = reports[name] as { rule: RuleKind; outcome: Outcome };
    details[name] = rules.audit.includeValues ? { ...report, values: valuesOf(rules, name, sides) } : { ...report };
  }
  return details;
}

function valuesOf(rules: RuleSet, name: string, sides: Sides): NonNullable<AttributeDetail['values']> {
  const redactor = Redactor.of(rules);
  const values: Record<string, Json> = {};
  for (const side of ['local', 'remote', 'merged'] as const) {
    const value = sides[side]?.[name];
    if (value !== undefined) values[side] = toPlain(redactor.value(name, value));
  }
  return values;
}

/** Escalations for the audit; sibling values only when the rules allow values. */
export function escalationDetails(rules: RuleSet, escalations: readonly Escalation[], siblings: Readonly<Record<string, readonly Sibling[]>>): EscalationDetail[] {
  const redactor = Redactor.of(rules);
  return escalations.map((escalation) => {
    const kept = siblings[escalation.subject];
    if (!rules.audit.includeValues || kept === undefined) return { ...escalation };
    return {
      ...escalation,
      siblings: kept.map(({ dot, value }) => (value === undefined ? { dot } : { dot, value: toPlain(redactor.value(escalation.subject, value)) })),
    };
  });
}

/**
 * One input version of a conflict: the image's envelope as it is (redacted names
 * masked), and its other attributes when the rules allow values.
 *
 * @example
 * versionInput(rules, record.oldImage, record.key); // { envelope: { M: { … } }, attributes: { onHand: { N: '12' } } }
 */
export function versionInput(rules: RuleSet, image: AttributeMap, key: AttributeMap): VersionInput {
  const redactor = Redactor.of(rules);
  const envelopeName = rules.table.envelopeAttribute;
  const raw = image[envelopeName];
  const envelope = raw === undefined ? null : redactor.envelope(raw);
  if (!rules.audit.includeValues) return { envelope };
  const attributes = Object.create(null) as AttributeMap;
  for (const name of Object.keys(image).sort()) if (name !== envelopeName && !hasOwn(key, name)) attributes[name] = redactor.value(name, image[name] as AttributeValue);
  return { envelope, attributes };
}

/** The fields every event about a record shares. */
export function recordFields(record: StreamRecord, table: string, region: string): Pick<AuditDetail, 'table' | 'key' | 'region' | 'record'> {
  return {
    table,
    key: record.key === undefined ? {} : toPlainMap(record.key),
    region,
    record: { eventId: record.eventId, sequenceNumber: record.sequenceNumber },
  };
}

/**
 * The id of an event that is not a conflict (an overwrite, a delete, a quarantine): a
 * hash of what it observed, so a redelivered record gets the same id.
 *
 * @example
 * observationId(AuditEventType.HardDeleteObserved, 'concord-prod', key, oldVv);
 */
export function observationId(type: AuditEventType, table: string, key: AttributeMap | undefined, ...observed: unknown[]): string {
  return createHash('sha256')
    .update([type, table, canonicalJson(key ?? {}), ...observed.map(canonicalJson)].join('\n'))
    .digest('hex')
    .slice(0, 32);
}
