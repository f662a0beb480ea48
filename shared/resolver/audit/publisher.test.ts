import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { Logger } from '@aws-lambda-powertools/logger';
import { chunkEntries, MAX_ENTRIES_PER_CALL, PublicationStream, type PublisherOptions } from './publisher';

const sized = (sizeBytes: number) => ({ sized: { entry: {}, sizeBytes } });

describe('chunkEntries', () => {
  it('puts 100 small entries in 10 calls of 10', () => {
    // Act
    const calls = chunkEntries(Array.from({ length: 100 }, () => sized(1_000)), 256 * 1024);

    // Assess
    expect(calls.map((call) => call.length)).toEqual(Array(10).fill(MAX_ENTRIES_PER_CALL));
  });

  it('closes a call before the entry that would take it over the byte budget', () => {
    // Act
    const calls = chunkEntries([sized(400), sized(400), sized(300), sized(100)], 1_000);

    // Assess
    expect(calls.map((call) => call.map((entry) => entry.sized.sizeBytes))).toEqual([[400, 400], [300, 100]]);
  });

  it('keeps the entries in order', () => {
    // Prepare
    const entries = Array.from({ length: 25 }, (_, i) => sized(i + 1));

    // Act
    const calls = chunkEntries(entries, 256 * 1024);

    // Assess
    expect(calls.flat()).toEqual(entries);
  });
});

describe('PublicationStream', () => {
  type Call = { Entries: { Detail?: string }[] };

  /** An EventBridge client that records each call's entries and answers when `answer` says. */
  function eventBridge(answer: (call: Call) => Promise<unknown> = async (call) => ({ Entries: call.Entries.map((_, i) => ({ EventId: `e${i}` })) })) {
    const calls: string[][] = [];
    const client = {
      send: jest.fn(async (command: { input: Call }) => {
        calls.push(command.input.Entries.map((entry) => entry.Detail ?? ''));
        return answer(command.input);
      }),
    };
    return { calls, client: client as unknown as EventBridgeClient };
  }

  function options(client: EventBridgeClient, overrides: Partial<PublisherOptions> = {}): PublisherOptions {
    return { eventBridge: client, maxAttempts: 1, concurrency: 4, backoff: { baseMs: 1, maxMs: 1, random: () => 0 }, sleep: async () => undefined, logger: new Logger({ logLevel: 'SILENT' }), ...overrides };
  }

  const publication = (owner: number, sizeBytes = 100) => ({ sized: { entry: { Detail: String(owner) }, sizeBytes }, owner });

  it('sends a call as soon as it holds 10 entries, and the rest when drained, in owner order', async () => {
    // Prepare
    const { calls, client } = eventBridge();
    const stream = new PublicationStream<number>(options(client), (a, b) => a - b);

    // Act
    for (let owner = 0; owner < 10; owner += 1) stream.add(publication(owner));
    await new Promise((resolve) => setImmediate(resolve));
    const beforeDrain = calls.length;
    for (const owner of [13, 11, 12]) stream.add(publication(owner));
    const report = await stream.drain();

    // Assess
    expect(beforeDrain).toBe(1);
    expect(calls).toEqual([['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], ['11', '12', '13']]);
    expect(report).toEqual({ published: 13, calls: 2, failed: new Map() });
  });

  it('sends nothing before the drain at concurrency 1 (one call at a time in the whole batch)', async () => {
    // Prepare
    const { calls, client } = eventBridge();
    const stream = new PublicationStream<number>(options(client, { concurrency: 1 }), (a, b) => a - b);

    // Act
    for (let owner = 14; owner >= 0; owner -= 1) stream.add(publication(owner));
    await new Promise((resolve) => setImmediate(resolve));
    const beforeDrain = calls.length;
    const report = await stream.drain();

    // Assess
    expect(beforeDrain).toBe(0);
    expect(calls).toEqual([['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], ['10', '11', '12', '13', '14']]);
    expect(report.calls).toBe(2);
  });

  it('closes a call before the entry that would take it over the byte budget', async () => {
    // Prepare
    const { calls, client } = eventBridge();
    const stream = new PublicationStream<number>(options(client, { maxCallBytes: 1_000 }));

    // Act
    for (const [owner, size] of [[1, 400], [2, 400], [3, 300], [4, 100]] as const) stream.add(publication(owner, size));
    await stream.drain();

    // Assess
    expect(calls).toEqual([['1', '2'], ['3', '4']]);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    // Prepare
    let inFlight = 0;
    let most = 0;
    const { client } = eventBridge(async (call) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { Entries: call.Entries.map((_, i) => ({ EventId: `e${i}` })) };
    });
    const stream = new PublicationStream<number>(options(client, { concurrency: 2 }));

    // Act
    for (let owner = 0; owner < 50; owner += 1) stream.add(publication(owner));
    const report = await stream.drain();

    // Assess
    expect(most).toBe(2);
    expect(report.calls).toBe(5);
  });

  it('reports the owners of entries that failed, whichever call they were in', async () => {
    // Prepare
    const { client } = eventBridge(async (call) => ({ Entries: call.Entries.map((entry) => (entry.Detail === '3' || entry.Detail === '12' ? { ErrorCode: 'MalformedDetail', ErrorMessage: 'no' } : { EventId: 'e' })) }));
    const stream = new PublicationStream<number>(options(client));

    // Act
    for (let owner = 0; owner < 15; owner += 1) stream.add(publication(owner));
    const report = await stream.drain();

    // Assess
    expect([...report.failed.keys()].sort((a, b) => a - b)).toEqual([3, 12]);
    expect([...report.failed.values()].every((failure) => failure.permanent)).toBe(true);
    expect(report.published).toBe(13);
  });
});
