/**
 * PutEvents limits and per-entry validation, as the EventBridge API reference
 * documents them: 1–10 entries and 256 KB a call (entry size computed as in "Calculating
 * PutEvents event entry size"), and per-entry `InvalidArgument` / `MalformedDetail`.
 */

/** Most entries in one PutEvents call. */
export const PUT_EVENTS_MAX_ENTRIES = 10;

/** Most bytes of all entries of one PutEvents call (256 KB). */
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;

/** Longest `DetailType`, in characters. */
export const DETAIL_TYPE_MAX_LENGTH = 128;

/** One request entry in wire form (as the SDK serialises `PutEventsRequestEntry`). */
export interface PutEventsEntry {
  /** Epoch seconds. */
  readonly Time?: number;
  readonly Source?: string;
  readonly Resources?: readonly string[];
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly EventBusName?: string;
  readonly TraceHeader?: string;
}

/** A per-entry error code of a PutEvents response. */
export const EntryErrorCode = {
  InvalidArgument: 'InvalidArgument',
  MalformedDetail: 'MalformedDetail',
  ThrottlingException: 'ThrottlingException',
  InternalFailure: 'InternalFailure',
  /** Not an AWS code: the local bus's `missingBus: 'fail'` answer for an unknown bus. */
  ResourceNotFoundException: 'ResourceNotFoundException',
} as const;
export type EntryErrorCode = (typeof EntryErrorCode)[keyof typeof EntryErrorCode];

/** Why one entry was refused. */
export interface EntryError {
  readonly code: EntryErrorCode;
  readonly message: string;
}

const utf8Bytes = (value: string | undefined): number => (value === undefined ? 0 : Buffer.byteLength(value, 'utf8'));

/**
 * The size AWS counts for one entry: 14 bytes for `Time` when present, plus the UTF-8
 * bytes of `Source`, `DetailType`, `Detail` and each `Resources` entry.
 *
 * @example
 * putEventsEntrySize({ Source: 'concord', DetailType: 'ConflictResolved', Detail: '{}' }); // 25
 */
export function putEventsEntrySize(entry: PutEventsEntry): number {
  let size = entry.Time === undefined ? 0 : 14;
  size += utf8Bytes(entry.Source) + utf8Bytes(entry.DetailType) + utf8Bytes(entry.Detail);
  for (const resource of entry.Resources ?? []) size += utf8Bytes(resource);
  return size;
}

/**
 * Why EventBridge would refuse this entry, or `undefined` when it is valid.
 *
 * @example
 * validateEntry({ Source: 'concord', DetailType: 'X', Detail: '[1]' }); // { code: 'MalformedDetail', ... }
 */
export function validateEntry(entry: PutEventsEntry): EntryError | undefined {
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    if (entry[field] === undefined || entry[field] === '') {
      return { code: EntryErrorCode.InvalidArgument, message: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
    }
  }
  if ((entry.DetailType ?? '').length > DETAIL_TYPE_MAX_LENGTH) {
    return { code: EntryErrorCode.InvalidArgument, message: `Parameter DetailType is not valid. Reason: DetailType is longer than ${DETAIL_TYPE_MAX_LENGTH} characters.` };
  }
  if (!isJsonObject(entry.Detail ?? '')) return { code: EntryErrorCode.MalformedDetail, message: 'Detail is malformed.' };
  return undefined;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}
