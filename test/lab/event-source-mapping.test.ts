/**
 * The event source mapping on the virtual clock: filter, batch size and window, one
 * batch per shard at a time, the partial batch contract, bisection, bounded retries and
 * record age, the on-failure destination, and the faults it injects.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { Draw } from '../../lab/draw';
import { DEFAULT_MAPPING_SETTINGS, EventSourceMapping, NO_MAPPING_FAULTS, type MappingFaults, type MappingSettings, type StreamFunction } from '../../lab/event-source-mapping';
import type { OnFailureMessage } from '../../lab/on-failure';
import { VirtualScheduler } from '../../lab/scheduler';
import { RegionStream, WriteOrigin } from '../../lab/stream';
import { keyOf } from '../helpers/items';
import { pkOf } from '../helpers/lab-regions';

const START = Date.UTC(2025, 0, 1);

interface Harness {
  readonly scheduler: VirtualScheduler;
  readonly stream: RegionStream;
  readonly mapping: EventSourceMapping;
  /** Keys (pk) of each invocation's records. */
  readonly invocations: string[][];
  readonly failures: OnFailureMessage[];
  /** Appends a MODIFY record of each `pk` at virtual ms `at`. */
  modify(at: number, ...pks: string[]): void;
  /** The sequence number of the record of `pk`. */
  sequenceNumber(pk: string): string | undefined;
}

function harness(answer: (event: DynamoDBStreamEvent, call: number) => Promise<unknown>, settings: Partial<MappingSettings> = {}, faults: MappingFaults = NO_MAPPING_FAULTS): Harness {
  const scheduler = new VirtualScheduler(START);
  const stream = new RegionStream({ region: 'eu-west-1', table: 'concord-lab', createdMs: START, shards: 1 });
  const invocations: string[][] = [];
  const failures: OnFailureMessage[] = [];
  const fn: StreamFunction = (event) => {
    invocations.push(event.Records.map((record) => record.dynamodb?.Keys?.pk?.S as string));
    return answer(event, invocations.length);
  };
  const mapping = new EventSourceMapping({
    scheduler,
    stream,
    fn,
    functionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:f',
    settings: { ...DEFAULT_MAPPING_SETTINGS, ...settings },
    faults,
    draw: new Draw(1, 'mapping'),
    onFailure: async (message) => void failures.push(message),
  });
  return {
    scheduler,
    stream,
    mapping,
    invocations,
    failures,
    modify(at, ...pks) {
      scheduler.at(START + at, () => {
        for (const pk of pks) {
          const key = keyOf(pk);
          stream.append({ key, oldImage: { ...key, n: { N: '1' } }, newImage: { ...key, n: { N: '2' } }, origin: WriteOrigin.Local }, scheduler.now);
        }
      });
    },
    sequenceNumber: (pk) => stream.records().find((captured) => pkOf(captured) === pk)?.record.dynamodb?.SequenceNumber,
  };
}

const succeed = async (): Promise<unknown> => ({ batchItemFailures: [] });
const keys = (count: number, prefix = 'K#'): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('EventSourceMapping', () => {
  it('delivers only the records that pass the filter (no INSERT)', async () => {
    // Prepare
    const lab = harness(succeed);
    lab.stream.append({ key: keyOf('I#1'), oldImage: undefined, newImage: keyOf('I#1'), origin: WriteOrigin.Local }, START);
    lab.modify(0, 'M#1');

    // Act
    await lab.scheduler.run();

    // Assess
    expect(lab.invocations).toEqual([['M#1']]);
  });

  it('invokes with at most batchSize records, in stream order', async () => {
    // Prepare
    const lab = harness(succeed, { batchSize: 2 });
    lab.modify(0, ...keys(5));

    // Act
    await lab.scheduler.run();

    // Assess
    expect(lab.invocations).toEqual([['K#0', 'K#1'], ['K#2', 'K#3'], ['K#4']]);
  });

  it('waits for the batching window before invoking a batch that is not full', async () => {
    // Prepare
    let invokedAt = 0;
    const lab = harness(
      async () => {
        invokedAt = lab.scheduler.now - START;
        return null;
      },
      { batchingWindowMs: 2_000 },
    );
    lab.modify(100, 'K#1');

    // Act
    await lab.scheduler.run();

    // Assess
    expect(invokedAt).toBe(2_100);
  });

  it('runs one batch per shard at a time', async () => {
    // Prepare: each invocation lasts 1 s of virtual time
    let running = 0;
    let most = 0;
    const lab = harness(
      async () => {
        most = Math.max(most, (running += 1));
        await lab.scheduler.sleep(1_000);
        running -= 1;
        return null;
      },
      { batchSize: 1 },
    );
    lab.modify(0, ...keys(3));

    // Act
    await lab.scheduler.run();

    // Assess
    expect({ most, invocations: lab.invocations.length }).toEqual({ most: 1, invocations: 3 });
  });

  it('resumes from the lowest failed record, retrying up to the end of the failed batch', async () => {
    // Prepare
    const lab = harness(async (event, call) => (call === 1 ? { batchItemFailures: [{ itemIdentifier: event.Records[2]?.dynamodb?.SequenceNumber }, { itemIdentifier: event.Records[1]?.dynamodb?.SequenceNumber }] } : null), { batchSize: 4 });
    lab.modify(0, ...keys(4));
    lab.modify(10, 'L#1');

    // Act
    await lab.scheduler.run();

    // Assess
    expect(lab.invocations).toEqual([keys(4), keys(4).slice(1), ['L#1']]);
  });

  it('retries the whole batch, bisected, when an answer names an unknown record', async () => {
    // Prepare
    const lab = harness(async (_event, call) => (call === 1 ? { batchItemFailures: [{ itemIdentifier: '' }] } : null), { batchSize: 4 });
    lab.modify(0, ...keys(4));

    // Act
    await lab.scheduler.run();

    // Assess
    expect(lab.invocations).toEqual([keys(4), keys(2), keys(4).slice(2)]);
  });

  it('bisects a batch whose invocation threw until the failing record is alone, then gives up on it', async () => {
    // Prepare: the record of K#2 always fails the invocation; a success resets the retry count
    const lab = harness(
      async (event) => {
        if (event.Records.some((record) => record.dynamodb?.Keys?.pk?.S === 'K#2')) throw new Error('poison');
        return null;
      },
      { batchSize: 4, maximumRetryAttempts: 3 },
    );
    lab.modify(0, ...keys(4));

    // Act
    await lab.scheduler.run();

    // Assess
    expect({ invocations: lab.invocations, discarded: lab.failures.map((message) => message.DDBStreamBatchInfo.startSequenceNumber) }).toEqual({
      invocations: [keys(4), keys(2), ['K#2', 'K#3'], ['K#2'], ['K#2'], ['K#2'], ['K#3']],
      discarded: [lab.sequenceNumber('K#2')],
    });
  });

  it('sends the batch information of records it gives up on to the on-failure destination, and moves on', async () => {
    // Prepare
    const lab = harness(
      async (event) => {
        if (event.Records.some((record) => record.dynamodb?.Keys?.pk?.S === 'BAD')) throw new Error('always');
        return null;
      },
      { maximumRetryAttempts: 2, bisectOnError: false },
    );
    lab.modify(0, 'BAD');
    lab.modify(5_000, 'GOOD');

    // Act
    await lab.scheduler.run();

    // Assess
    expect({ message: lab.failures[0]?.requestContext, range: lab.failures[0]?.DDBStreamBatchInfo.startSequenceNumber, invocations: lab.invocations }).toEqual({
      message: expect.objectContaining({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 }),
      range: lab.sequenceNumber('BAD'),
      invocations: [['BAD'], ['BAD'], ['BAD'], ['GOOD']],
    });
  });

  it('discards records older than the maximum record age', async () => {
    // Prepare: the first batch takes 2 virtual minutes; records behind it grow older than 1 minute
    const lab = harness(
      async () => {
        await lab.scheduler.sleep(120_000);
        return null;
      },
      { batchSize: 1, maximumRecordAgeMs: 60_000 },
    );
    lab.modify(0, 'K#1', 'K#2');

    // Act
    await lab.scheduler.run();

    // Assess
    expect({ invocations: lab.invocations.length, condition: lab.failures[0]?.requestContext.condition }).toEqual({ invocations: 1, condition: 'RecordAgeExceeded' });
  });

  it('injects crashes after part of a batch was processed, and redelivers the batch', async () => {
    // Prepare: every invocation crashes; retries stop after one
    const lab = harness(succeed, { batchSize: 4, maximumRetryAttempts: 1, bisectOnError: false }, { ...NO_MAPPING_FAULTS, crash: 1 });
    lab.modify(0, ...keys(4));

    // Act
    await lab.scheduler.run();

    // Assess: the function saw prefixes of the batch; the records were retried, then discarded
    expect({ crashes: lab.mapping.stats.crashes, prefixes: lab.invocations.every((batch) => batch.length <= 4), discarded: lab.mapping.stats.discardedRecords }).toEqual({ crashes: 2, prefixes: true, discarded: 4 });
  });

  it('injects duplicate deliveries and re-deliveries of processed batches', async () => {
    // Prepare
    const lab = harness(succeed, {}, { duplicate: 0.3, redeliver: 0.3, crash: 0 });
    const written = keys(20);
    written.forEach((pk, index) => lab.modify(index * 1_000, pk));

    // Act
    await lab.scheduler.run();

    // Assess: some records were delivered more than once, and every record was delivered
    const delivered = lab.invocations.flat();
    expect({ extra: delivered.length > written.length, duplicates: lab.mapping.stats.duplicates > 0, redeliveries: lab.mapping.stats.redeliveries > 0, all: written.every((pk) => delivered.includes(pk)) }).toEqual({ extra: true, duplicates: true, redeliveries: true, all: true });
  });
});
