/**
 * The configuration every AWS SDK client needs to talk to a local endpoint: the
 * endpoint, a region, static dummy credentials (no credential chain, no instance
 * metadata probe) and a timeout on every request, so a test against an endpoint that
 * stopped answering fails instead of hanging. Retries stay the SDK's standard strategy.
 */

/** Dummy credentials: the local endpoints read the region from the signature, never the key. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** The account id of every local resource ARN and queue URL. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** Longest wait for one request to a local endpoint (each attempt), unless a client says otherwise. */
export const LOCAL_REQUEST_TIMEOUT_MS = 10_000;

/** The part of an SDK client configuration that points it at a local endpoint. */
export interface LocalClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: typeof LOCAL_CREDENTIALS;
  readonly requestHandler: { readonly requestTimeout: number; readonly connectionTimeout: number; readonly throwOnRequestTimeout: true };
}

/**
 * Builds the client configuration for a local endpoint.
 *
 * @example
 * new SQSClient({ ...localClientConfig(sqs.endpoint, 'eu-west-1'), maxAttempts: 1 });
 */
export function localClientConfig(endpoint: string, region: string): LocalClientConfig {
  return { endpoint, region, credentials: LOCAL_CREDENTIALS, requestHandler: { requestTimeout: LOCAL_REQUEST_TIMEOUT_MS, connectionTimeout: LOCAL_REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true } };
}

/** Clients a local endpoint made, destroyed when it closes so no socket outlives it. */
export class ClientPool {
  private clients: { destroy(): void }[] = [];

  /**
   * Keeps `client` for {@link ClientPool.destroyAll} and returns it.
   *
   * @example
   * const client = pool.track(new SQSClient(localClientConfig(endpoint, 'us-east-1')));
   */
  track<C extends { destroy(): void }>(client: C): C {
    this.clients.push(client);
    return client;
  }

  /** Destroys every client tracked so far. */
  destroyAll(): void {
    for (const client of this.clients.splice(0)) client.destroy();
  }
}
