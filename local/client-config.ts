/**
 * The configuration every AWS SDK client needs to talk to a local endpoint: the
 * endpoint, a region and static dummy credentials (no credential chain, no instance
 * metadata probe). Retries stay the SDK's standard strategy.
 */

/** Dummy credentials: the local endpoints read the region from the signature, never the key. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** The account id of every local resource ARN and queue URL. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** The part of an SDK client configuration that points it at a local endpoint. */
export interface LocalClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: typeof LOCAL_CREDENTIALS;
}

/**
 * Builds the client configuration for a local endpoint.
 *
 * @example
 * new SQSClient({ ...localClientConfig(sqs.endpoint, 'eu-west-1'), maxAttempts: 1 });
 */
export function localClientConfig(endpoint: string, region: string): LocalClientConfig {
  return { endpoint, region, credentials: LOCAL_CREDENTIALS };
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
