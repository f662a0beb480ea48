import { Readable } from 'node:stream';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ItemStore, widIs } from './item-store';
import exampleRules from '../../rules/example';

const KEY = { pk: { S: 'STOCK#1' }, sk: { S: 'STOCK' } };

/** A request handler that answers DynamoDB calls at once (or, with `hang`, only when aborted) and records what it was given. */
function requestHandler(hang = false) {
  const seen: { operation: string; signal: unknown }[] = [];
  const handler = {
    handle(request: { headers: Record<string, string> }, options?: { abortSignal?: AbortSignal }) {
      seen.push({ operation: String(request.headers['x-amz-target']).split('.')[1] ?? '', signal: options?.abortSignal });
      if (hang) {
        return new Promise((_, reject) => {
          const abort = (): void => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
          if (options?.abortSignal?.aborted === true) abort();
          else options?.abortSignal?.addEventListener('abort', abort);
        });
      }
      const body = seen.at(-1)?.operation === 'GetItem' ? JSON.stringify({ Item: { ...KEY, onHand: { N: '3' } } }) : '{}';
      return Promise.resolve({ response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([Buffer.from(body)]) } });
    },
  };
  return { seen, handler };
}

function client(handler: unknown, cacheMiddleware: boolean): DynamoDBClient {
  return new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, requestHandler: handler as never, maxAttempts: 1, cacheMiddleware });
}

describe('ItemStore', () => {
  afterEach(() => jest.restoreAllMocks());

  it("sends every call with the batch's signal, each operation's middleware resolved once on a client that caches it", async () => {
    // Prepare
    const { seen, handler } = requestHandler();
    const signal = new AbortController().signal;
    const store = new ItemStore(client(handler, true), 'concord-test', signal);
    const puts = jest.spyOn(PutItemCommand.prototype, 'resolveMiddleware');
    const gets = jest.spyOn(GetItemCommand.prototype, 'resolveMiddleware');

    // Act
    const written = [await store.put({ ...KEY, onHand: { N: '1' } }, KEY, widIs(exampleRules.table, 'w1')), await store.put({ ...KEY, onHand: { N: '2' } }, KEY, widIs(exampleRules.table, 'w2'))];
    const read = [await store.get(KEY), await store.get(KEY)];

    // Assess
    expect(written).toEqual([true, true]);
    expect(read).toEqual([{ ...KEY, onHand: { N: '3' } }, { ...KEY, onHand: { N: '3' } }]);
    expect(seen).toEqual([
      { operation: 'PutItem', signal },
      { operation: 'PutItem', signal },
      { operation: 'GetItem', signal },
      { operation: 'GetItem', signal },
    ]);
    expect(puts).toHaveBeenCalledTimes(1);
    expect(gets).toHaveBeenCalledTimes(1);
  });

  it('leaves the middleware to the client when it does not cache it', async () => {
    // Prepare
    const { seen, handler } = requestHandler();
    const signal = new AbortController().signal;
    const store = new ItemStore(client(handler, false), 'concord-test', signal);
    const puts = jest.spyOn(PutItemCommand.prototype, 'resolveMiddleware');

    // Act
    await store.put({ ...KEY, onHand: { N: '1' } }, KEY, widIs(exampleRules.table, 'w1'));
    await store.put({ ...KEY, onHand: { N: '2' } }, KEY, widIs(exampleRules.table, 'w2'));

    // Assess
    expect(seen.map(({ signal: given }) => given)).toEqual([signal, signal]);
    expect(puts).toHaveBeenCalledTimes(2);
  });

  it.each([true, false])('abandons a call still running when the signal aborts (cacheMiddleware: %s)', async (cacheMiddleware) => {
    // Prepare
    const { seen, handler } = requestHandler(true);
    const controller = new AbortController();
    const store = new ItemStore(client(handler, cacheMiddleware), 'concord-test', controller.signal);
    const put = store.put({ ...KEY, onHand: { N: '1' } }, KEY, widIs(exampleRules.table, 'w1'));
    while (seen.length === 0) await new Promise((resolve) => setImmediate(resolve));

    // Act
    controller.abort();

    // Assess
    await expect(put).rejects.toThrow('aborted');
  });
});
