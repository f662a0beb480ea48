/**
 * An audit event as a PutEvents entry that always fits EventBridge's 256 KB limit:
 * attribute values go first, then the per-attribute lines, and the event says so.
 */
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { AttributeDetail, AuditDetail, AuditEvent, EscalationDetail } from './events';

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
  let sized = sizedEntry(event, event.detail, options);
  if (sized.sizeBytes <= maxBytes) return sized;
  sized = sizedEntry(event, withoutValues(event.detail), options);
  if (sized.sizeBytes <= maxBytes) return sized;
  return sizedEntry(event, withoutAttributes(event.detail), options);
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
    const attributes: Record<string, AttributeDetail> = {};
    for (const [name, { rule, outcome }] of Object.entries(detail.attributes)) attributes[name] = { rule, outcome };
    shrunk.attributes = attributes;
  }
  if (detail.escalations !== undefined) shrunk.escalations = detail.escalations.map(withoutSiblingValues);
  return shrunk;
}

function withoutSiblingValues({ siblings: _siblings, ...escalation }: EscalationDetail): EscalationDetail {
  return escalation;
}

function withoutAttributes(detail: AuditDetail): AuditDetail {
  const { attributes: _attributes, ...rest } = withoutValues(detail);
  return { ...rest, attributesDropped: true };
}
