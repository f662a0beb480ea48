/**
 * The resolver against the local stack over HTTP (dynalite behind the counting proxy,
 * local EventBridge and SQS): the real handler, real SDK clients, nothing mocked on the
 * wire. One harness per test keeps tests independent.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import exampleRules from '../../rules/example';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import { parseAttributeMap } from '../../shared/dynamodb/attribute-value';
import type { RuleSet } from '../../shared/rules/types';
import { createResolverHandler, loadConfig, type ResolverConfig, type ResolverDependencies } from '../../shared/resolver';
import type { QuarantineMessage } from '../../shared/resolver/quarantine';
import { LOCAL_STACK_NAMES, startLocalStack, type EventBridgeEvent, type LocalStack } from '../../local';
import { LOCAL_REGION, T0 } from './resolver-records';

/**
 * The resolver's clock in tests: ten minutes after the records' virtual start, so the
 * records are minutes old, as on a healthy stream, and well inside the retry budget.
 */
export const HARNESS_NOW = T0 + 10 * 60_000;

/** What a test may change about the resolver. */
export interface HarnessOptions {
  /** Configuration overrides, or a function of the started stack giving them. */
  readonly config?: Partial<ResolverConfig> | ((stack: LocalStack) => Partial<ResolverConfig>);
  readonly rules?: RuleSet;
  /** Extra dependencies (a clock, a sleep, a logger); the clock is {@link HARNESS_NOW} unless given. */
  readonly deps?: Partial<ResolverDependencies>;
  /** SDK attempts per call (the standard retry strategy); 3 unless given. */
  readonly sdkMaxAttempts?: number;
}

/** A running resolver and its local stack. */
export interface ResolverHarness {
  readonly stack: LocalStack;
  readonly config: ResolverConfig;
  /** Invokes the handler as Lambda would; `lambda` replaces the test context (e.g. its remaining time). */
  invoke(event: DynamoDBStreamEvent, lambda?: Context): Promise<DynamoDBBatchResponse>;
  /** Writes items straight to dynalite (no proxy counting or faults). */
  seed(...items: AttributeMap[]): Promise<void>;
  /** The item stored under `key`, read straight from dynalite. */
  item(key: AttributeMap): Promise<AttributeMap | undefined>;
  /** The audit events the regional bus received, oldest first. */
  auditEvents(): EventBridgeEvent[];
  /** The messages the quarantine queue received, parsed. */
  quarantined(): QuarantineMessage[];
  /** The payloads in the payload bucket, parsed, by key. */
  payloads(): Map<string, unknown>;
  close(): Promise<void>;
}

/** A Lambda context good enough for Powertools. */
export const LAMBDA_CONTEXT = {
  functionName: 'concord-resolver-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:concord-resolver-test',
  memoryLimitInMB: '1024',
  awsRequestId: '00000000-0000-4000-8000-000000000000',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

/**
 * Starts the local stack and a resolver on it (retries fast: backoff steps of 1 ms).
 *
 * @example
 * const harness = await startResolverHarness();
 * await harness.seed(newImage);
 * const response = await harness.invoke(streamEvent(record));
 * await harness.close();
 */
export async function startResolverHarness(options: HarnessOptions = {}): Promise<ResolverHarness> {
  const stack = await startLocalStack({ region: LOCAL_REGION });
  const overrides = typeof options.config === 'function' ? options.config(stack) : options.config;
  const config: ResolverConfig = { ...loadConfig({ ...stack.env, CONCORD_RETRY_BASE_MS: '1', CONCORD_RETRY_MAX_MS: '5' }), ...overrides };
  const sdk = { maxAttempts: options.sdkMaxAttempts ?? 3 };
  const handler = createResolverHandler({
    config,
    rules: options.rules ?? exampleRules,
    dynamodb: stack.dynamo.client(sdk),
    eventBridge: stack.eventBridge.client(sdk),
    sqs: stack.sqs.client(sdk),
    s3: stack.s3.client(sdk),
    now: () => HARNESS_NOW,
    ...options.deps,
  });
  return {
    stack,
    config,
    invoke: (event, lambda = LAMBDA_CONTEXT) => handler(event, lambda),
    async seed(...items) {
      for (const item of items) {
        const response = await stack.dynamo.call('PutItem', { TableName: config.table, Item: item });
        if (response.status !== 200) throw new Error(`seeding failed: ${JSON.stringify(response.body)}`);
      }
    },
    async item(key) {
      const response = await stack.dynamo.call('GetItem', { TableName: config.table, Key: key, ConsistentRead: true });
      const item = response.body.Item;
      return item === undefined ? undefined : parseAttributeMap(item, 'Item');
    },
    auditEvents: () => stack.eventBridge.events({ name: config.auditBus }).map((received) => received.event),
    quarantined: () => stack.sqs.messages(LOCAL_STACK_NAMES.quarantineQueue).map((message) => JSON.parse(message.body) as QuarantineMessage),
    payloads: () => new Map(stack.s3.objects(LOCAL_STACK_NAMES.payloadBucket).map((object) => [object.key, JSON.parse(object.body.toString('utf8')) as unknown])),
    close: () => stack.close(),
  };
}

/**
 * For a test file: returns a function that starts a harness, and closes whatever it
 * started after each test.
 *
 * @example
 * const start = harnessPerTest();
 * it('…', async () => {
 *   const harness = await start({ config: { concurrency: 1 } });
 * });
 */
export function harnessPerTest(): (options?: HarnessOptions) => Promise<ResolverHarness> {
  let started: ResolverHarness | undefined;
  afterEach(async () => {
    await started?.close();
    started = undefined;
  });
  return async (options) => (started = await startResolverHarness(options));
}
