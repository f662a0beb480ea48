/**
 * Custom resource `Custom::ConcordKeyReplicas`: replicates the multi-Region table key
 * into every other region of the global table before the table adds replicas there
 * (resources/keys.yml explains the choice). Idempotent: a region whose replica exists
 * is only waited for. Replica keys are never deleted here: they outlive the stack like
 * the table they encrypt. Shipped inline (ZipFile) by resources/key-replicas.yml.
 */
import { DeploymentWaitError } from '../../shared/errors';
import { customResourceHandler, sleep, type CustomResource } from './cfn-response';

/** The two KMS calls the resource makes, so that the logic runs without KMS. */
export interface KeyReplicaApi {
  /** `KeyState` of the key `keyId` in `region`, or `undefined` when it has no replica there. */
  keyState(keyId: string, region: string): Promise<string | undefined>;
  /** `ReplicateKey` of the primary key `keyArn` into `region`. */
  replicate(keyArn: string, region: string): Promise<void>;
}

export interface KeyReplicasOptions {
  readonly kms: KeyReplicaApi;
  /** Delay between DescribeKey calls while a replica is being created. */
  readonly pollMs?: number;
}

const ENABLED = 'Enabled';
/** States a replica passes through on its way to Enabled. */
const TRANSIENT_STATES = new Set(['Creating', 'Updating']);

/**
 * Makes sure `region` has an Enabled replica of the primary key `keyArn`.
 *
 * @example
 * await ensureReplica(kms, 'arn:aws:kms:us-east-1:123456789012:key/mrk-1', 'eu-west-1', Date.now() + 60_000);
 */
export async function ensureReplica(kms: KeyReplicaApi, keyArn: string, region: string, deadline: number, pollMs = 2_000): Promise<void> {
  const keyId = keyIdOf(keyArn);
  let state = await kms.keyState(keyId, region);
  if (state === undefined) {
    await kms.replicate(keyArn, region);
    state = await kms.keyState(keyId, region);
  }
  while (state !== ENABLED) {
    if (state !== undefined && !TRANSIENT_STATES.has(state)) {
      // PendingDeletion, Disabled, ...: a person must decide; waiting would not help.
      throw new Error(`the replica of ${keyId} in ${region} is ${state}; enable it (or cancel its deletion) and deploy again`);
    }
    if (Date.now() + pollMs > deadline) throw new DeploymentWaitError(`replica key ${keyId} in ${region}`, ENABLED, state ?? 'not visible yet');
    await sleep(pollMs);
    state = await kms.keyState(keyId, region);
  }
}

/**
 * The custom resource: properties `{ KeyArn, Regions: string[] }`. Its physical id is
 * derived from the key id, so adding a region is an in-place update.
 *
 * @example
 * const resource = keyReplicas({ kms: sdkKeyReplicaApi() });
 */
export function keyReplicas(options: KeyReplicasOptions): CustomResource {
  return {
    async apply(event, deadline) {
      const keyArn = String(event.ResourceProperties.KeyArn ?? '');
      const regions: unknown = event.ResourceProperties.Regions ?? [];
      if (!keyArn.startsWith('arn:')) throw new Error(`property KeyArn must be a key ARN, got "${keyArn}"`);
      if (!Array.isArray(regions) || !regions.every((region) => typeof region === 'string')) throw new Error('property Regions must be a list of region names');
      for (const region of regions) await ensureReplica(options.kms, keyArn, region, deadline, options.pollMs);
      return { physicalResourceId: `${keyIdOf(keyArn)}-replicas` };
    },
  };
}

/** `mrk-...` out of `arn:aws:kms:<region>:<account>:key/mrk-...`. */
function keyIdOf(keyArn: string): string {
  return keyArn.slice(keyArn.lastIndexOf('/') + 1);
}

/** The subset of `@aws-sdk/client-kms` used here. */
interface KmsSdk {
  KMSClient: new (config: { region: string }) => { send(command: object): Promise<{ KeyMetadata?: { KeyState?: string } }> };
  DescribeKeyCommand: new (input: { KeyId: string }) => object;
  ReplicateKeyCommand: new (input: { KeyId: string; ReplicaRegion: string; Description: string }) => object;
}

/**
 * {@link KeyReplicaApi} over the AWS SDK for KMS. The Lambda runtime provides
 * `@aws-sdk/client-kms`; the project itself does not depend on it, hence the plain require.
 */
export function sdkKeyReplicaApi(): KeyReplicaApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('@aws-sdk/client-kms') as KmsSdk;
  const clients = new Map<string, InstanceType<KmsSdk['KMSClient']>>();
  const clientFor = (region: string) => {
    const client = clients.get(region) ?? new sdk.KMSClient({ region });
    clients.set(region, client);
    return client;
  };
  return {
    async keyState(keyId, region) {
      try {
        const { KeyMetadata } = await clientFor(region).send(new sdk.DescribeKeyCommand({ KeyId: keyId }));
        return KeyMetadata?.KeyState;
      } catch (error) {
        if ((error as { name?: string }).name === 'NotFoundException') return undefined;
        throw error;
      }
    },
    async replicate(keyArn, region) {
      const primaryRegion = keyArn.split(':')[3] ?? '';
      try {
        await clientFor(primaryRegion).send(new sdk.ReplicateKeyCommand({ KeyId: keyArn, ReplicaRegion: region, Description: `Replica of ${keyArn} for the Concord table` }));
      } catch (error) {
        // A concurrent or earlier attempt got there first: the replica exists, which is the goal.
        if ((error as { name?: string }).name !== 'AlreadyExistsException') throw error;
      }
    },
  };
}

/** Lambda entry; the SDK is loaded on first use so that importing this module needs no KMS client. */
export const handler: ReturnType<typeof customResourceHandler> = (event, context) => customResourceHandler(keyReplicas({ kms: sdkKeyReplicaApi() }))(event, context);
