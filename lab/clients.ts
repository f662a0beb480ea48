/**
 * AWS SDK clients for the lab's endpoints, fitted to the virtual clock: each call first
 * waits a drawn network latency on the virtual clock (so tasks interleave call by call,
 * as concurrent clients do), and the SDK's retries back off on the virtual clock too
 * instead of sleeping real time. A DynamoDB call made inside {@link asOperation} carries
 * the client operation's id in a header, so that the lab knows which write a stream record
 * shows without reading anything Concord wrote.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ClientPool, localClientConfig } from '../local/client-config';
import type { Draw } from './draw';
import type { VirtualScheduler } from './scheduler';

type RetryStrategy = NonNullable<DynamoDBClientConfig['retryStrategy']>;

/** Network and retry settings of the lab's clients. */
export interface ClientTiming {
  /** Virtual round trip of one call, drawn uniformly in [min, max] ms. */
  readonly latencyMs: readonly [number, number];
  /** Attempts per call, as the SDK's `maxAttempts` (default 3 in the SDK). */
  readonly maxAttempts: number;
  /** First backoff cap of the SDK's retries; doubles per retry (full jitter). */
  readonly retryBaseMs: number;
}

/** The default timing: a few milliseconds per call inside a region, the SDK's attempts. */
export const DEFAULT_CLIENT_TIMING: ClientTiming = { latencyMs: [2, 8], maxAttempts: 3, retryBaseMs: 50 };

const RETRY_CAP_MS = 5_000;

/** The header naming the client operation a request belongs to. */
export const OPERATION_HEADER = 'x-concord-lab-operation';
const operation = new AsyncLocalStorage<string>();

/**
 * Runs `work` as client operation `id`: its DynamoDB requests carry the id.
 *
 * @example
 * await asOperation('17', () => table.increment(key, 'onHand', 1));
 */
export function asOperation<T>(id: string, work: () => Promise<T>): Promise<T> {
  return operation.run(id, work);
}

/** Makes and tracks the clients of one run. */
export class LabClients {
  private readonly pool = new ClientPool();

  constructor(
    private readonly scheduler: VirtualScheduler,
    private readonly draw: Draw,
    private readonly timing: ClientTiming = DEFAULT_CLIENT_TIMING,
  ) {}

  /**
   * A DynamoDB client of one region's endpoint.
   *
   * @example
   * const client = clients.dynamodb(region.dynamo.endpoint, 'eu-west-1');
   */
  dynamodb(endpoint: string, region: string): DynamoDBClient {
    const client = new DynamoDBClient(this.config(endpoint, region));
    const tag = (next: (args: { request: { headers: Record<string, string> } }) => Promise<unknown>) => async (args: { request: { headers: Record<string, string> } }) => {
      const id = operation.getStore();
      if (id !== undefined) args.request.headers[OPERATION_HEADER] = id;
      return next(args);
    };
    (client.middlewareStack as unknown as { add(middleware: unknown, options: { step: 'build'; name: string }): void }).add(tag, { step: 'build', name: 'labOperation' });
    return this.onVirtualTime(client);
  }

  /** An EventBridge client signed for `region`. */
  eventBridge(endpoint: string, region: string): EventBridgeClient {
    return this.onVirtualTime(new EventBridgeClient(this.config(endpoint, region)));
  }

  /** An SQS client signed for `region`. */
  sqs(endpoint: string, region: string): SQSClient {
    return this.onVirtualTime(new SQSClient(this.config(endpoint, region)));
  }

  /** Destroys every client made. */
  destroyAll(): void {
    this.pool.destroyAll();
  }

  private config(endpoint: string, region: string): { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string }; maxAttempts: number; retryStrategy: RetryStrategy } {
    return { ...localClientConfig(endpoint, region), maxAttempts: this.timing.maxAttempts, retryStrategy: this.retryStrategy() };
  }

  /** Waits one drawn latency on the virtual clock before each call (within a task). */
  private onVirtualTime<C extends DynamoDBClient | EventBridgeClient | SQSClient>(client: C): C {
    const [min, max] = this.timing.latencyMs;
    const park = (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      if (this.scheduler.inTask) await this.scheduler.sleep(Math.round(this.draw.between(min, max)));
      return next(args);
    };
    (client.middlewareStack as unknown as { add(middleware: unknown, options: { step: 'initialize'; name: string }): void }).add(park, { step: 'initialize', name: 'labVirtualLatency' });
    return this.pool.track(client);
  }

  /** The SDK's retry loop with its waits on the virtual clock: retry all but client errors. */
  private retryStrategy(): RetryStrategy {
    const { maxAttempts, retryBaseMs } = this.timing;
    const token = (count: number) => ({ getRetryCount: () => count, getRetryDelay: () => 0 });
    return {
      acquireInitialRetryToken: async () => token(0),
      refreshRetryTokenForRetry: async (previous: { getRetryCount(): number }, info: { errorType: string }) => {
        const retries = previous.getRetryCount() + 1;
        if (info.errorType === 'CLIENT_ERROR' || retries >= maxAttempts) throw new Error('no retry left');
        if (this.scheduler.inTask) await this.scheduler.sleep(Math.round(this.draw.next() * Math.min(RETRY_CAP_MS, retryBaseMs * 2 ** (retries - 1))));
        return token(retries);
      },
      recordSuccess: () => undefined,
    } as unknown as RetryStrategy;
  }
}
