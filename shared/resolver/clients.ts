/**
 * The deployed resolver's AWS SDK clients: its region, a timeout on every request (each
 * attempt), so that one call that hangs fails and is retried, or reported, instead of
 * holding the invocation until Lambda's timeout, and each operation's middleware
 * resolved once rather than on every call. Endpoints come from the SDK's own
 * `AWS_ENDPOINT_URL_*` variables, retries from `AWS_MAX_ATTEMPTS` / `AWS_RETRY_MODE`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ResolverConfig } from './config';
import type { ResolverDependencies } from './dependencies';

/** The clients of {@link ResolverDependencies}. */
export type ResolverClients = Required<Pick<ResolverDependencies, 'dynamodb' | 'eventBridge' | 'sqs' | 's3'>>;

/**
 * The request handler settings of every client: a request (and its connection) that
 * takes longer than `CONCORD_REQUEST_TIMEOUT_MS` fails with a `TimeoutError` (the SDK
 * only logs a warning unless told to throw).
 *
 * @example
 * new DynamoDBClient({ requestHandler: requestTimeouts(config) });
 */
export function requestTimeouts(config: Pick<ResolverConfig, 'requestTimeoutMs'>): { requestTimeout: number; connectionTimeout: number; throwOnRequestTimeout: true } {
  return { requestTimeout: config.requestTimeoutMs, connectionTimeout: config.requestTimeoutMs, throwOnRequestTimeout: true };
}

/**
 * The configuration every resolver client is built with. `cacheMiddleware`: the SDK
 * otherwise builds an operation's middleware chain anew on every call, about a third of
 * its CPU for a PutItem; the resolver never changes a client's middleware after building
 * it, which is what the cache asks.
 *
 * @example
 * new DynamoDBClient({ ...resolverClientConfig(config), endpoint: 'http://127.0.0.1:8000' });
 */
export function resolverClientConfig(config: Pick<ResolverConfig, 'region' | 'requestTimeoutMs'>): { region: string; requestHandler: ReturnType<typeof requestTimeouts>; cacheMiddleware: true } {
  return { region: config.region, requestHandler: requestTimeouts(config), cacheMiddleware: true };
}

/**
 * Builds the resolver's clients.
 *
 * @example
 * export const handler = createResolverHandler({ config, rules, ...createResolverClients(config) });
 */
export function createResolverClients(config: ResolverConfig): ResolverClients {
  const clientConfig = resolverClientConfig(config);
  return { dynamodb: new DynamoDBClient(clientConfig), eventBridge: new EventBridgeClient(clientConfig), sqs: new SQSClient(clientConfig), s3: new S3Client(clientConfig) };
}
