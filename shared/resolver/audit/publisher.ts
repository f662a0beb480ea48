/**
 * Publishes a whole invocation's audit events: PutEvents calls of up to 10 entries and
 * 256 KB, sent in parallel (bounded), each as soon as it is full when the entries come
 * one by one (`PublicationStream`), failed entries retried with backoff; what still
 * fails is reported per owner (the record that produced the event), so exactly those
 * records fail and are redelivered, or, when EventBridge refused the entry itself
 * (`ValidationException`, `InvalidArgument`, `MalformedDetail`), are quarantined: such
 * an entry is refused on every delivery. A whole call refused as invalid is sent again
 * entry by entry at once, to find the entry at fault.
 */
import { PutEventsCommand, type EventBridgeClient, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import type { Logger } from '@aws-lambda-powertools/logger';
import { AuditPublishError, InvalidRequestError } from '../../errors';
import { backoffDelay, type Backoff } from '../backoff';
import { mapConcurrently } from '../concurrency';
import { MAX_ENTRY_BYTES, type SizedEntry } from './entry';

/** EventBridge's limit of entries per PutEvents call. */
export const MAX_ENTRIES_PER_CALL = 10;

/** Per-entry error codes worth another attempt. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set(['ThrottlingException', 'InternalFailure', 'InternalException', 'ServiceUnavailable']);

/**
 * Codes that refuse the entry itself: it fails on every delivery. Any other code (a
 * missing bus, a denied permission) is about the deployment, and is left to retries.
 */
const INVALID_ENTRY_CODES: ReadonlySet<string> = new Set(['ValidationException', 'InvalidArgument', 'MalformedDetail']);

/** An entry to publish and the owner its failure is charged to. */
export interface Publication<Owner> {
  readonly sized: SizedEntry;
  readonly owner: Owner;
}

/** Why an owner's entry was not published. */
export interface PublishFailure {
  /** An InvalidRequestError (permanent) or an AuditPublishError (retries ran out). */
  readonly error: Error;
  /** True when EventBridge refused the entry itself: no redelivery will publish it. */
  readonly permanent: boolean;
}

/** What a publication round achieved. */
export interface PublishReport<Owner> {
  readonly published: number;
  readonly calls: number;
  /** Owners with at least one entry that was not published, and why. */
  readonly failed: ReadonlyMap<Owner, PublishFailure>;
}

/** The publisher's collaborators and limits. */
export interface PublisherOptions {
  readonly eventBridge: EventBridgeClient;
  readonly maxAttempts: number;
  readonly concurrency: number;
  readonly backoff: Backoff;
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger: Logger;
  /** The byte budget of one call; EventBridge's unless a test shrinks it. */
  readonly maxCallBytes?: number;
}

/** How a failed entry is treated: tried again, given up for this delivery, or refused for good. */
type Disposition = 'retry' | 'exhausted' | 'invalid';

interface Attempt<Owner> extends Publication<Owner> {
  readonly attempt: number;
  readonly disposition: Disposition;
  readonly errorCode: string;
  readonly message: string;
}

function dispositionOf(errorCode: string): Disposition {
  if (INVALID_ENTRY_CODES.has(errorCode)) return 'invalid';
  return RETRYABLE_CODES.has(errorCode) ? 'retry' : 'exhausted';
}

/**
 * Publishes every entry, retrying failed ones up to `maxAttempts` times in all.
 *
 * @example
 * const { failed } = await publishAll(entries.map((sized) => ({ sized, owner: record })), options);
 * for (const [record, error] of failed) fail(record, error);
 */
export async function publishAll<Owner>(publications: readonly Publication<Owner>[], options: PublisherOptions): Promise<PublishReport<Owner>> {
  const given: Attempt<Owner>[] = [];
  let retryable: Attempt<Owner>[] = [];
  let pending: readonly Publication<Owner>[] = publications;
  let published = 0;
  let calls = 0;
  for (let attempt = 1; attempt <= options.maxAttempts && pending.length > 0; attempt += 1) {
    if (attempt > 1) await options.sleep(backoffDelay(options.backoff, attempt - 1));
    const batches = chunkEntries(pending, options.maxCallBytes ?? MAX_ENTRY_BYTES);
    const outcomes = await mapConcurrently(batches, options.concurrency, (batch) => sendBatch(batch, attempt, options.eventBridge));
    retryable = [];
    for (const outcome of outcomes) {
      published += outcome.published;
      calls += outcome.calls;
      for (const failure of outcome.failures) (failure.disposition === 'retry' ? retryable : given).push(failure);
    }
    if (retryable.length > 0) options.logger.warn('audit entries failed', { attempt, failed: retryable.length, errorCodes: [...new Set(retryable.map((f) => f.errorCode))] });
    pending = retryable;
  }
  const failed = new Map<Owner, PublishFailure>();
  for (const failure of [...given, ...retryable]) {
    const error = new AuditPublishError(failure.errorCode, failure.message, failure.attempt);
    const permanent = failure.disposition === 'invalid';
    if (!failed.get(failure.owner)?.permanent) failed.set(failure.owner, permanent ? { error: new InvalidRequestError('EventBridge', 'PutEvents', failure.errorCode, { cause: error }), permanent } : { error, permanent });
  }
  return { published, calls, failed };
}

/**
 * Publishes entries as they are produced: a PutEvents call is sent, in the background, as
 * soon as it is full (10 entries, or the next entry would take it over the byte budget),
 * at most `concurrency` calls at a time; {@link PublicationStream.drain} sends the rest
 * and reports on everything. Each call's failed entries are retried as `publishAll`
 * retries them. So the calls of a batch go out while its later records are still being
 * processed, instead of all after the last one. With `concurrency` 1 nothing is sent
 * before the drain: one call at a time in the whole batch, publication included (the
 * lab's virtual clock runs one branch at a time).
 *
 * @example
 * const stream = new PublicationStream<StreamRecord>(options, (a, b) => a.index - b.index);
 * stream.add({ sized: toEntry(event, entryOptions), owner: record }); // as each record settles
 * const { failed } = await stream.drain();
 */
export class PublicationStream<Owner> {
  private pending: Publication<Owner>[] = [];
  private pendingBytes = 0;
  private readonly reports: Promise<PublishReport<Owner>>[] = [];
  private running = 0;
  private readonly queued: (() => void)[] = [];
  /** False at concurrency 1: everything waits for the drain. */
  private readonly sendsWhenFull: boolean;

  /**
   * @param order the order of the entries of the last, partial call (the others go in the order they were added)
   */
  constructor(
    private readonly options: PublisherOptions,
    private readonly order?: (a: Owner, b: Owner) => number,
  ) {
    this.sendsWhenFull = options.concurrency > 1;
  }

  /** Adds an entry; sends the call it fills. */
  add(publication: Publication<Owner>): void {
    if (this.sendsWhenFull && this.pending.length > 0 && this.pendingBytes + publication.sized.sizeBytes > (this.options.maxCallBytes ?? MAX_ENTRY_BYTES)) this.send();
    this.pending.push(publication);
    this.pendingBytes += publication.sized.sizeBytes;
    if (this.sendsWhenFull && this.pending.length === MAX_ENTRIES_PER_CALL) this.send();
  }

  /** Sends what is left and waits for every call: the report of all of them. */
  async drain(): Promise<PublishReport<Owner>> {
    const order = this.order;
    if (order !== undefined) this.pending.sort((a, b) => order(a.owner, b.owner));
    if (this.pending.length > 0) this.send();
    const reports = await Promise.all(this.reports);
    const failed = new Map<Owner, PublishFailure>();
    for (const report of reports) for (const [owner, failure] of report.failed) if (!failed.get(owner)?.permanent) failed.set(owner, failure);
    return { published: reports.reduce((sum, report) => sum + report.published, 0), calls: reports.reduce((sum, report) => sum + report.calls, 0), failed };
  }

  private send(): void {
    const call = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    const report = this.whenFree().then(() => publishAll(call, this.options).finally(() => this.release()));
    // Handled now, awaited in drain: a failure before the drain is not an unhandled rejection.
    report.catch(() => undefined);
    this.reports.push(report);
  }

  private whenFree(): Promise<void> {
    if (this.running < Math.max(1, this.options.concurrency)) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queued.push(resolve));
  }

  /** Hands the slot to the next queued call, or frees it. */
  private release(): void {
    const next = this.queued.shift();
    if (next === undefined) this.running -= 1;
    else next();
  }
}

/**
 * Splits entries into PutEvents calls, in order: a call closes at 10 entries or when
 * the next entry would take it over the byte budget.
 *
 * @example
 * chunkEntries(hundredSmallEntries, MAX_ENTRY_BYTES).length; // 10
 */
export function chunkEntries<T extends { readonly sized: SizedEntry }>(entries: readonly T[], maxCallBytes: number): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (batch.length === MAX_ENTRIES_PER_CALL || (batch.length > 0 && bytes + entry.sized.sizeBytes > maxCallBytes)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(entry);
    bytes += entry.sized.sizeBytes;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

interface CallOutcome<Owner> {
  readonly published: number;
  readonly calls: number;
  readonly failures: Attempt<Owner>[];
}

async function sendBatch<Owner>(batch: readonly Publication<Owner>[], attempt: number, eventBridge: EventBridgeClient): Promise<CallOutcome<Owner>> {
  let results: readonly PutEventsResultEntry[];
  try {
    const response = await eventBridge.send(new PutEventsCommand({ Entries: batch.map(({ sized }) => sized.entry) }));
    results = response.Entries ?? [];
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    if (name === 'ValidationException' && batch.length > 1) return sendOneByOne(batch, attempt, eventBridge);
    // The SDK already retried throttling and 5xx for the whole call; a later round may still succeed.
    const disposition = name === 'ValidationException' ? 'invalid' : 'retry';
    return { published: 0, calls: 1, failures: batch.map((publication) => ({ ...publication, attempt, disposition, errorCode: name, message })) };
  }
  const failures: Attempt<Owner>[] = [];
  batch.forEach((publication, index) => {
    const result = results[index];
    // Entries come back in request order; a missing one was not accepted.
    if (result === undefined || (result.ErrorCode === undefined && result.EventId === undefined)) {
      failures.push({ ...publication, attempt, disposition: 'retry', errorCode: 'InternalFailure', message: 'EventBridge returned no event id for this entry' });
    } else if (result.ErrorCode !== undefined) {
      failures.push({ ...publication, attempt, disposition: dispositionOf(result.ErrorCode), errorCode: result.ErrorCode, message: result.ErrorMessage ?? '' });
    }
  });
  return { published: batch.length - failures.length, calls: 1, failures };
}

/** A call refused as invalid, sent again one entry per call: the entries at fault fail alone. */
async function sendOneByOne<Owner>(batch: readonly Publication<Owner>[], attempt: number, eventBridge: EventBridgeClient): Promise<CallOutcome<Owner>> {
  const outcomes = await Promise.all(batch.map((publication) => sendBatch([publication], attempt, eventBridge)));
  return {
    published: outcomes.reduce((sum, outcome) => sum + outcome.published, 0),
    calls: outcomes.reduce((sum, outcome) => sum + outcome.calls, 1),
    failures: outcomes.flatMap((outcome) => outcome.failures),
  };
}
