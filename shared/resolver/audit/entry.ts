/**
 * An audit event as a PutEvents entry that fits EventBridge's 256 KB limit: attribute
 * values go first (with the inputs' attributes), then the inputs' envelopes, then the
 * per-attribute lines, and the event says what it dropped. What still does not fit (a
 * very wide version vector) becomes a pointer event: the conflict id, the table, the
 * key and the record, enough to find the rest in the table and the stream.
 */
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { AttributeDetail, AuditDetail, AuditEvent, EscalationDetail, VersionInput } from './events';

/** EventBridge's limit for one entry and for one PutEvents call. */
export const MAX_ENTRY_BYTES = 256 * 1024;

/** An entry with the size EventBridge counts for it. */
export interface SizedEntry {
  readonly entry: PutEventsRequestEntry;
  readonly sizeBytes: number;
}

/** Where the entries go and what they are stamped with. */
export interface EntryOptions {
  readonly bus: string;
  readonly source: string;
  readonly time: Date;
  /** The limit to fit under; EventBridge's unless a test shrinks it. */
  readonly maxBytes?: number;
}

/**
 * Builds the PutEvents entry of an event, shrinking its detail if needed.
 *
 * @example
 * const { entry, sizeBytes } = toEntry(event, { bus: 'concord-audit', source: 'concord', time: new Date() });
 */
export function toEntry(event: AuditEvent, options: EntryOptions): SizedEntry {
  const maxBytes = options.maxBytes ?? MAX_ENTRY_BYTES;
  let detail = event.detail;
  for (const shrink of SHRINKS) {
    const sized = sizedEntry(event, detail, options);
    if (sized.sizeBytes <= maxBytes) return sized;
    detail = shrink(detail);
  }
  return sizedEntry(event, detail, options);
}

function sizedEntry(event: AuditEvent, detail: AuditDetail, options: EntryOptions): SizedEntry {
  const entry: PutEventsRequestEntry = {
    EventBusName: options.bus,
    Source: options.source,
    DetailType: event.type,
    Detail: JSON.stringify(detail),
    Time: options.time,
  };
  return { entry, sizeBytes: entrySize(entry) };
}

/**
 * The size EventBridge counts for an entry: Source, DetailType, Detail and Resources in
 * UTF-8, plus 14 bytes for a Time.
 */
export function entrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time === undefined ? 0 : 14;
  for (const part of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) size += part === undefined ? 0 : Buffer.byteLength(part);
  return size;
}

function withoutValues(detail: AuditDetail): AuditDetail {
  const shrunk: { -readonly [K in keyof AuditDetail]: AuditDetail[K] } = { ...detail, valuesDropped: true };
  if (detail.attributes !== undefined) {
    const attributes = Object.create(null) as Record<string, AttributeDetail>;
    for (const [name, { rule, outcome }] of Object.entries(detail.attributes)) attributes[name] = { rule, outcome };
    shrunk.attributes = attributes;
  }
  if (detail.escalations !== undefined) shrunk.escalations = detail.escalations.map(withoutSiblingValues);
  if (detail.inputs !== undefined) shrunk.inputs = { old: envelopeOnly(detail.inputs.old), new: envelopeOnly(detail.inputs.new) };
  return shrunk;
}

function withoutSiblingValues({ siblings: _siblings, ...escalation }: EscalationDetail): EscalationDetail {
  return escalation;
}

function envelopeOnly({ envelope }: VersionInput): VersionInput {
  return { envelope };
}

function withoutEnvelopes(detail: AuditDetail): AuditDetail {
  if (detail.inputs === undefined) return detail;
  const { inputs: _inputs, ...rest } = detail;
  return { ...rest, envelopesDropped: true };
}

function withoutAttributes(detail: AuditDetail): AuditDetail {
  if (detail.attributes === undefined) return detail;
  const { attributes: _attributes, ...rest } = detail;
  return { ...rest, attributesDropped: true };
}

/** Only what identifies the event, and the record of what was dropped. */
function pointerOf(detail: AuditDetail): AuditDetail {
  const { conflictId, table, key, region, entity, outcome, record, valuesDropped, envelopesDropped, attributesDropped } = detail;
  return { conflictId, table, key, region, entity, outcome, record, valuesDropped, envelopesDropped, attributesDropped, pointer: true };
}

/** Each step drops more, in the order a reader of the bus misses it least. */
const SHRINKS: readonly ((detail: AuditDetail) => AuditDetail)[] = [withoutValues, withoutEnvelopes, withoutAttributes, pointerOf];
