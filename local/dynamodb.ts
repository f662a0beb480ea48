/**
 * A local DynamoDB endpoint: dynalite in-process, fronted by a small proxy that counts
 * calls per operation, adds latency, injects the faults DynamoDB answers (throttling,
 * 500s) and lets other modules wrap every request (the lab captures images around
 * writes there). Clients talk to the proxy; the raw dynalite endpoint is exposed for
 * calls that must bypass it.
 *
 * dynalite has no Streams API, no `TransactWriteItems` and no TTL: `UpdateTimeToLive`
 * is answered `UnknownOperationException`, `DescribeTimeToLive` always says
 * `DISABLED`, and expired items are never removed. `npm run test:engine` runs the
 * integration suites on DynamoDB Local, Amazon's own engine, as well.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import dynalite from 'dynalite';
import { DynamoDBClient, type CreateTableInput, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { CallCounter } from './call-counter';
import { ClientPool, localClientConfig } from './client-config';
import { FaultSchedule } from './faults';
import type { RequestListener } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { JsonClient, listen, operationOf, startJsonServer, writeJsonResponse, type JsonResponse, type LocalServer } from './http';
import { localAuthorization } from './sigv4';

const TARGET_PREFIX = 'DynamoDB_20120810';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
const ERROR_NAMESPACE = 'com.amazonaws.dynamodb.v20120810#';

/** The faults the proxy can inject, named by the error DynamoDB answers. */
export const DynamoFault = {
  /** HTTP 400, retried by the SDK's standard strategy as throttling. */
  Throttle: 'ProvisionedThroughputExceededException',
  /** HTTP 500, retried by the SDK as a transient server error. */
  InternalServerError: 'InternalServerError',
  /**
   * HTTP 400, never retried: what Amazon's engine answers for a request dynalite lets
   * through, such as an item holding an empty map key (`Empty attribute name`).
   */
  Validation: 'ValidationException',
} as const;
export type DynamoFault = (typeof DynamoFault)[keyof typeof DynamoFault];

const FAULT_RESPONSES: Record<DynamoFault, DynamoResponse> = {
  ProvisionedThroughputExceededException: {
    status: 400,
    body: {
      __type: `${ERROR_NAMESPACE}ProvisionedThroughputExceededException`,
      message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
    },
  },
  InternalServerError: { status: 500, body: { __type: `${ERROR_NAMESPACE}InternalServerError`, message: 'Internal server error' } },
  ValidationException: { status: 400, body: { __type: 'com.amazon.coral.validate#ValidationException', message: 'Empty attribute name' } },
};

/** A DynamoDB JSON request or response body (attribute values in wire form). */
export type DynamoJson = Record<string, unknown>;

/** A request as the proxy sees it. */
export interface DynamoRequest {
  /** e.g. `PutItem`, from `X-Amz-Target: DynamoDB_20120810.PutItem`. */
  readonly operation: string;
  readonly body: DynamoJson;
  /** The caller's region (from its signature). */
  readonly region: string;
  /** The request's HTTP headers (absent on requests an interceptor makes itself). */
  readonly headers?: IncomingHttpHeaders;
}

/** A response from dynalite (or from an interceptor). */
export interface DynamoResponse {
  readonly status: number;
  readonly body: DynamoJson;
}

/** Sends the request on (to the next interceptor, then dynalite), with `body` replacing the request's when given. */
export type DynamoForward = (body?: DynamoJson) => Promise<DynamoResponse>;

/**
 * Wraps every request that passed latency and fault injection. It may change the body,
 * answer without forwarding, forward more than once, or make its own calls with
 * {@link LocalDynamo.call}; it may be async and hold a request back (e.g. to serialise
 * writes per item key).
 */
export type DynamoInterceptor = (request: DynamoRequest, forward: DynamoForward) => Promise<DynamoResponse>;

/** Options of {@link startLocalDynamo}. */
export interface LocalDynamoOptions {
  /** Port of the proxy on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Region of {@link LocalDynamo.client} and of unsigned calls (default `us-east-1`). */
  readonly region?: string;
  /** Tables created (and ACTIVE) before the endpoint is returned. */
  readonly tables?: readonly CreateTableInput[];
  /** Milliseconds added to every call through the proxy (default 0). */
  readonly latencyMs?: number;
}

/** A running local DynamoDB endpoint. */
export interface LocalDynamo {
  /** The proxy's URL: give it to clients (`endpoint`, `AWS_ENDPOINT_URL_DYNAMODB`). */
  readonly endpoint: string;
  /** dynalite's own URL: no counting, latency, faults or interceptors. */
  readonly rawEndpoint: string;
  readonly region: string;
  /** Calls received by the proxy, per operation. */
  readonly calls: CallCounter;
  /** Faults answered by the proxy; `only` names operations. */
  readonly faults: FaultSchedule<DynamoFault>;
  /** Milliseconds added to every call through the proxy; may be changed at any time. */
  latencyMs: number;
  /** Adds an interceptor (the first added sees requests first); returns its removal. */
  intercept(interceptor: DynamoInterceptor): () => void;
  /** Calls dynalite directly with a wire-form body, bypassing the proxy. */
  call(operation: string, body: DynamoJson): Promise<DynamoResponse>;
  /** Creates a table through dynalite and waits until it is ACTIVE. */
  createTable(input: CreateTableInput): Promise<void>;
  /** A client of the proxy with dummy credentials; destroyed by {@link LocalDynamo.close}. */
  client(config?: Partial<DynamoDBClientConfig>): DynamoDBClient;
  /** Stops the proxy and dynalite and destroys the clients it made. */
  close(): Promise<void>;
}

/**
 * The definition of a Concord table: `pk`/`sk` strings, on-demand capacity,
 * NEW_AND_OLD_IMAGES stream (dynalite accepts and ignores it). TTL cannot be enabled
 * on dynalite (no `UpdateTimeToLive`).
 *
 * @example
 * const dynamo = await startLocalDynamo({ tables: [concordTableDefinition('concord-dev')] });
 */
export function concordTableDefinition(name: string): CreateTableInput {
  return {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
}

/**
 * Starts dynalite on 127.0.0.1 and the proxy in front of it.
 *
 * @example
 * const dynamo = await startLocalDynamo({ tables: [concordTableDefinition('concord-test')], latencyMs: 5 });
 * const client = dynamo.client({ maxAttempts: 1 });
 * dynamo.faults.failNext({ count: 1, only: ['PutItem'] }); // next PutItem is throttled
 * await dynamo.close();
 */
export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  const region = options.region ?? 'us-east-1';
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const serveInProcess = server.listeners('request')[0] as RequestListener;
  const raw = await listen(server, 0);
  const rawClient = new JsonClient(raw.url);
  const interceptors: DynamoInterceptor[] = [];
  const clients = new ClientPool();
  const calls = new CallCounter();
  const faults = new FaultSchedule<DynamoFault>(DynamoFault.Throttle);
  const settings = { latencyMs: options.latencyMs ?? 0 };

  const send = (operation: string, body: DynamoJson, callerRegion: string): Promise<DynamoResponse> =>
    rawClient
      .post({ 'content-type': CONTENT_TYPE, 'x-amz-target': `${TARGET_PREFIX}.${operation}`, 'x-amz-date': '20000101T000000Z', authorization: localAuthorization(callerRegion, 'dynamodb') }, body)
      .then((response) => ({ status: response.status, body: response.body as DynamoJson }));

  const through = (index: number, request: DynamoRequest): Promise<DynamoResponse> => {
    const interceptor = interceptors[index];
    if (interceptor === undefined) return send(request.operation, request.body, request.region);
    return interceptor(request, (body) => through(index + 1, body === undefined ? request : { ...request, body }));
  };

  let proxy: LocalServer;
  try {
    proxy = await startJsonServer({
      port: options.port ?? 0,
      targetPrefix: TARGET_PREFIX,
      contentType: CONTENT_TYPE,
      defaultRegion: region,
      checksum: true,
      // With no interceptor the request goes to dynalite's own handler in this process:
      // no body parse, no second HTTP hop, so the endpoint's cost stays close to dynalite's.
      bypass(req, res) {
        const operation = operationOf(req.headers['x-amz-target'], TARGET_PREFIX);
        if (interceptors.length > 0 || req.method !== 'POST' || operation === undefined) return false;
        calls.record(operation);
        const proceed = (): void => {
          const fault = faults.draw(operation);
          if (fault === undefined) return void serveInProcess(req, res);
          req.resume();
          writeJsonResponse({ contentType: CONTENT_TYPE, checksum: true }, res, FAULT_RESPONSES[fault]);
        };
        if (settings.latencyMs > 0) setTimeout(proceed, settings.latencyMs);
        else proceed();
        return true;
      },
      async handle(request): Promise<JsonResponse> {
        calls.record(request.operation);
        if (settings.latencyMs > 0) await sleep(settings.latencyMs);
        const fault = faults.draw(request.operation);
        if (fault !== undefined) return FAULT_RESPONSES[fault];
        return through(0, { operation: request.operation, body: request.body, region: request.region, headers: request.headers });
      },
    });
  } catch (error) {
    rawClient.close();
    await raw.close();
    throw error;
  }

  const local: LocalDynamo = {
    endpoint: proxy.url,
    rawEndpoint: raw.url,
    region,
    calls,
    faults,
    get latencyMs() {
      return settings.latencyMs;
    },
    set latencyMs(value: number) {
      settings.latencyMs = value;
    },
    intercept(interceptor) {
      interceptors.push(interceptor);
      return () => {
        const at = interceptors.indexOf(interceptor);
        if (at >= 0) interceptors.splice(at, 1);
      };
    },
    call: (operation, body) => send(operation, body, region),
    createTable: (input) => createActiveTable(local, input),
    client: (config = {}) => clients.track(new DynamoDBClient({ ...localClientConfig(proxy.url, region), ...config })),
    async close() {
      clients.destroyAll();
      await proxy.close();
      rawClient.close();
      await raw.close();
    },
  };
  for (const table of options.tables ?? []) await local.createTable(table);
  return local;
}

const ACTIVE_POLLS = 200;

async function createActiveTable(dynamo: LocalDynamo, input: CreateTableInput): Promise<void> {
  const created = await dynamo.call('CreateTable', { ...input });
  if (created.status !== 200) throw new Error(`CreateTable ${input.TableName} failed: ${JSON.stringify(created.body)}`);
  // dynalite flips a new table to ACTIVE on a timer, even with createTableMs 0.
  for (let poll = 0; poll < ACTIVE_POLLS; poll += 1) {
    const described = await dynamo.call('DescribeTable', { TableName: input.TableName });
    if ((described.body.Table as { TableStatus?: string } | undefined)?.TableStatus === 'ACTIVE') return;
    await sleep(5);
  }
  throw new Error(`table ${input.TableName} did not become ACTIVE`);
}

/**
 * Makes the endpoint answer like DynamoDB when a conditional write asks for
 * `ReturnValuesOnConditionCheckFailure: ALL_OLD` (dynalite ignores it): the failure
 * carries the item it was checked against, read right after the failure. Added after an
 * interceptor that serialises writes per key (as the lab's regions do), that read sees
 * exactly the item the condition saw. Keys are `keyNames` (Concord's `pk` and `sk` by
 * default). Returns the removal of the emulation.
 *
 * @example
 * const undo = returnItemsOnConditionFailure(dynamo);
 */
export function returnItemsOnConditionFailure(dynamo: LocalDynamo, keyNames: readonly string[] = ['pk', 'sk']): () => void {
  return dynamo.intercept(async (request, forward) => {
    const response = await forward();
    const body = request.body as { TableName?: string; Key?: DynamoJson; Item?: DynamoJson; ReturnValuesOnConditionCheckFailure?: string };
    const failed = String(response.body.__type ?? '').endsWith('ConditionalCheckFailedException');
    if (!failed || body.ReturnValuesOnConditionCheckFailure !== 'ALL_OLD') return response;
    const key = body.Key ?? Object.fromEntries(keyNames.filter((name) => body.Item?.[name] !== undefined).map((name) => [name, body.Item?.[name]]));
    const current = await dynamo.call('GetItem', { TableName: body.TableName, Key: key, ConsistentRead: true });
    return current.body.Item === undefined ? response : { ...response, body: { ...response.body, Item: current.body.Item } };
  });
}
