/**
 * Lambda's event source mapping for one region's DynamoDB stream, on the virtual clock:
 *
 * - records that pass the filter (MODIFY and REMOVE, as Concord deploys it) are read per
 *   shard, one batch per shard at a time, up to `batchSize`, once the batching window
 *   (or the polling interval) has passed since the first waiting record;
 * - the answer follows the partial batch contract (./batch-response.ts): success moves
 *   past the batch; failures resume from the lowest failed record; a thrown error or an
 *   answer naming an unknown identifier fails the whole batch;
 * - a failed batch is bisected (`BisectBatchOnFunctionError`): a thrown error retries
 *   the first half; a partial failure retries from the failed record to the end of the
 *   batch only;
 * - every failed invocation counts one retry of the records at the head of the shard;
 *   past `maximumRetryAttempts` (or past `maximumRecordAgeMs` of age) those records are
 *   discarded and their batch information goes to the on-failure destination.
 *
 * Faults it can inject (seeded): duplicate deliveries (a batch invoked twice), re-delivery
 * (the checkpoint moves back to a batch already processed) and handler crashes after part
 * of a batch was processed.
 */
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { interpretBatchResponse, type BatchVerdict } from './batch-response';
import { uuidOf, type Draw } from './draw';
import { InjectedCrashError } from './errors';
import { DiscardCondition, onFailureMessage, type OnFailureMessage } from './on-failure';
import type { VirtualScheduler } from './scheduler';
import type { CapturedRecord, RegionStream, Shard } from './stream';

/** The mapping's settings, as on `AWS::Lambda::EventSourceMapping` (times in virtual ms). */
export interface MappingSettings {
  readonly batchSize: number;
  readonly batchingWindowMs: number;
  /** How long after a record arrives Lambda's poller sees it, at the earliest. */
  readonly pollIntervalMs: number;
  readonly bisectOnError: boolean;
  /** -1: retry until the record expires from the stream (AWS's -1). */
  readonly maximumRetryAttempts: number;
  /** -1: no limit (AWS's -1). */
  readonly maximumRecordAgeMs: number;
  /** Wait before retrying a failed batch. */
  readonly retryDelayMs: number;
  /** The filter: only records with these event names are delivered. */
  readonly eventNames: readonly string[];
  /** Extra delay before each batch reaches the function, drawn in [min, max] ms: a lagging resolver. */
  readonly lagMs: readonly [number, number];
}

/** AWS's value of `maximumRetryAttempts` and `maximumRecordAgeMs` for no limit. */
const UNLIMITED = -1;

/** Concord's deployed settings (resources/stream.yml, serverless.yml). */
export const DEFAULT_MAPPING_SETTINGS: MappingSettings = {
  batchSize: 100,
  batchingWindowMs: 0,
  pollIntervalMs: 250,
  bisectOnError: true,
  maximumRetryAttempts: -1,
  maximumRecordAgeMs: -1,
  retryDelayMs: 500,
  eventNames: ['MODIFY', 'REMOVE'],
  lagMs: [0, 0],
};

/** Probabilities of the faults the mapping injects, per invocation. */
export interface MappingFaults {
  readonly duplicate: number;
  readonly redeliver: number;
  readonly crash: number;
}

export const NO_MAPPING_FAULTS: MappingFaults = { duplicate: 0, redeliver: 0, crash: 0 };

/** A Lambda function as the mapping calls it. */
export type StreamFunction = (event: DynamoDBStreamEvent, context: Context) => Promise<unknown>;

/** Options of {@link EventSourceMapping}. */
export interface MappingOptions {
  readonly scheduler: VirtualScheduler;
  readonly stream: RegionStream;
  readonly fn: StreamFunction;
  readonly functionArn: string;
  readonly settings: MappingSettings;
  readonly faults: MappingFaults;
  readonly draw: Draw;
  /** Sends a message to the on-failure destination. */
  readonly onFailure: (message: OnFailureMessage) => Promise<void>;
}

/** What the mapping did during a run. */
export interface MappingStats {
  invocations: number;
  recordsDelivered: number;
  failedInvocations: number;
  partialFailures: number;
  bisections: number;
  duplicates: number;
  redeliveries: number;
  crashes: number;
  discardedRecords: number;
}

interface ShardState {
  readonly shard: Shard;
  /** The records that pass the filter, in sequence order. */
  readonly records: CapturedRecord[];
  /** Index of the next record to deliver (the checkpoint). */
  position: number;
  /** Exclusive end of a bisected retry. */
  limit: number | undefined;
  /** Failed invocations of the records at the head. */
  attempts: number;
  busy: boolean;
  scheduled: boolean;
}

/** The event source mapping of one region's stream. */
export class EventSourceMapping {
  readonly stats: MappingStats = { invocations: 0, recordsDelivered: 0, failedInvocations: 0, partialFailures: 0, bisections: 0, duplicates: 0, redeliveries: 0, crashes: 0, discardedRecords: 0 };
  /** Every record discarded to the on-failure destination. */
  readonly discarded: CapturedRecord[] = [];
  private readonly shards: ShardState[];
  private invocationCount = 0;

  constructor(private readonly options: MappingOptions) {
    this.shards = options.stream.shards.map((shard) => ({ shard, records: [], position: 0, limit: undefined, attempts: 0, busy: false, scheduled: false }));
    options.stream.subscribe((record) => {
      if (!options.settings.eventNames.includes(record.record.eventName ?? '')) return;
      const state = this.shards[record.shard] as ShardState;
      state.records.push(record);
      this.schedulePoll(state);
    });
  }

  /** Records that passed the filter and wait to be delivered. */
  get backlog(): number {
    return this.shards.reduce((sum, state) => sum + state.records.length - state.position, 0);
  }

  private schedulePoll(state: ShardState, delayMs?: number): void {
    if (state.busy || state.scheduled || state.position >= state.records.length) return;
    const { scheduler, settings } = this.options;
    const waiting = state.records.length - state.position;
    const firstArrival = (state.records[state.position] as CapturedRecord).at;
    const ready = waiting >= settings.batchSize ? scheduler.now : firstArrival + Math.max(settings.batchingWindowMs, settings.pollIntervalMs);
    const [minLag, maxLag] = settings.lagMs;
    const lag = maxLag > 0 ? Math.round(this.options.draw.between(minLag, maxLag)) : 0;
    state.scheduled = true;
    scheduler.at(Math.max(ready, scheduler.now + (delayMs ?? 0)) + lag, () => this.poll(state));
  }

  private poll(state: ShardState): void {
    state.scheduled = false;
    if (state.busy) return;
    const { scheduler, stream } = this.options;
    state.busy = true;
    scheduler.spawn(scheduler.now, `mapping ${stream.identity.region}/${state.shard.index}`, async () => {
      let retryDelay = 0;
      try {
        await this.discardExpired(state);
        const batch = this.nextBatch(state);
        if (batch.length > 0) retryDelay = await this.process(state, batch);
      } finally {
        state.busy = false;
      }
      this.schedulePoll(state, retryDelay);
    });
  }

  private nextBatch(state: ShardState): CapturedRecord[] {
    const end = Math.min(state.records.length, state.position + this.options.settings.batchSize, state.limit ?? Infinity);
    return state.records.slice(state.position, end);
  }

  /** Invokes the function with a batch and moves the checkpoint; returns the wait before the next poll. */
  private async process(state: ShardState, batch: CapturedRecord[]): Promise<number> {
    const { settings, faults, draw } = this.options;
    const start = state.position;
    const verdict = await this.invoke(state, batch);
    if (verdict.kind === 'success') {
      state.position = start + batch.length;
      state.attempts = 0;
      if (state.limit !== undefined && state.position >= state.limit) state.limit = undefined;
      if (draw.chance(faults.duplicate)) {
        this.stats.duplicates += 1;
        await this.invoke(state, batch);
      }
      if (state.limit === undefined && draw.chance(faults.redeliver)) {
        this.stats.redeliveries += 1;
        state.position = start;
      }
      return 0;
    }
    this.stats.failedInvocations += 1;
    state.attempts += 1;
    let failing = batch;
    if (verdict.kind === 'partial') {
      this.stats.partialFailures += 1;
      state.position = start + verdict.index;
      failing = batch.slice(verdict.index);
      if (settings.bisectOnError) state.limit = start + batch.length;
    } else if (settings.bisectOnError && batch.length > 1) {
      this.stats.bisections += 1;
      state.limit = start + Math.ceil(batch.length / 2);
    }
    if (settings.maximumRetryAttempts !== UNLIMITED && state.attempts > settings.maximumRetryAttempts) {
      await this.discard(state, failing, DiscardCondition.RetryAttemptsExhausted, verdict.kind === 'failure');
      return 0;
    }
    return settings.retryDelayMs;
  }

  private async invoke(state: ShardState, batch: CapturedRecord[]): Promise<BatchVerdict> {
    const { fn, faults, draw, functionArn, scheduler } = this.options;
    this.stats.invocations += 1;
    this.stats.recordsDelivered += batch.length;
    this.invocationCount += 1;
    // The event crosses a JSON boundary, as Lambda's does: the function cannot alter the stream.
    const records = JSON.parse(JSON.stringify(batch.map((captured) => captured.record))) as DynamoDBStreamEvent['Records'];
    const context = lambdaContext(functionArn, `${state.shard.id}/${this.invocationCount}/${scheduler.now}`);
    try {
      if (draw.chance(faults.crash)) {
        const processed = draw.int(0, records.length);
        this.stats.crashes += 1;
        if (processed > 0) await fn({ Records: records.slice(0, processed) }, context);
        throw new InjectedCrashError(processed, records.length);
      }
      const response = await fn({ Records: records }, context);
      return interpretBatchResponse(response, batch.map((captured) => captured.record.dynamodb?.SequenceNumber ?? ''));
    } catch (error) {
      return { kind: 'failure', reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  }

  /** Discards records older than the maximum record age from the head of the shard. */
  private async discardExpired(state: ShardState): Promise<void> {
    const { scheduler, settings } = this.options;
    if (settings.maximumRecordAgeMs === UNLIMITED) return;
    let end = state.position;
    while (end < state.records.length && scheduler.now - (state.records[end] as CapturedRecord).at > settings.maximumRecordAgeMs) end += 1;
    if (end > state.position) await this.discard(state, state.records.slice(state.position, end), DiscardCondition.RecordAgeExceeded, false);
  }

  private async discard(state: ShardState, records: CapturedRecord[], condition: DiscardCondition, threw: boolean): Promise<void> {
    const { scheduler, stream, functionArn, onFailure } = this.options;
    const invocations = state.attempts;
    state.position += records.length;
    state.attempts = 0;
    state.limit = undefined;
    this.stats.discardedRecords += records.length;
    this.discarded.push(...records);
    await onFailure(onFailureMessage({ records, shardId: state.shard.id, streamArn: stream.arn, functionArn, condition, invocations, threw, at: scheduler.now }));
  }
}

/**
 * The Lambda context of one invocation. It has no `getRemainingTimeInMillis`: middy
 * would arm a real timer for its early timeout, which has no place on a virtual clock.
 */
function lambdaContext(functionArn: string, invocation: string): Context {
  const functionName = functionArn.split(':').pop() as string;
  const id = uuidOf(invocation);
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: '1024',
    awsRequestId: id,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `lab/[$LATEST]${id.replace(/-/g, '')}`,
  } as unknown as Context;
}
