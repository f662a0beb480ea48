/**
 * Custom resource `Custom::ConcordReplicaStream`: the stream ARN of the global table's
 * replica in the stack's own region. `Fn::GetAtt` on an `AWS::DynamoDB::GlobalTable`
 * yields the stream of the table stack's region only, so a resolver stack in another
 * region asks DynamoDB (DescribeTable) at deploy time. Shipped inline (ZipFile) by
 * resources/stream.yml; the Lambda runtime provides the SDK.
 */
import { DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DeploymentWaitError } from '../../shared/errors';
import { customResourceHandler, sleep, type CustomResource } from './cfn-response';

/** What `DescribeTable` needs to answer for the resolver to read the stream. */
const REQUIRED_VIEW_TYPE = 'NEW_AND_OLD_IMAGES';

export interface StreamArnLookupOptions {
  readonly client: Pick<DynamoDBClient, 'send'>;
  /** Delay between DescribeTable calls while the replica is not ready. */
  readonly pollMs?: number;
}

/**
 * Waits until the table in the client's region is ACTIVE with a NEW_AND_OLD_IMAGES
 * stream and returns its `LatestStreamArn`. A missing table (a replica still being
 * added) is waited for too.
 *
 * @example
 * const arn = await waitForStreamArn(new DynamoDBClient({}), 'concord-prod', Date.now() + 60_000);
 */
export async function waitForStreamArn(client: Pick<DynamoDBClient, 'send'>, tableName: string, deadline: number, pollMs = 5_000): Promise<string> {
  for (;;) {
    const seen = await describeStream(client, tableName);
    if (seen.streamArn !== undefined) return seen.streamArn;
    if (Date.now() + pollMs > deadline) throw new DeploymentWaitError(`table ${tableName}`, `ACTIVE with a ${REQUIRED_VIEW_TYPE} stream`, seen.state);
    await sleep(pollMs);
  }
}

async function describeStream(client: Pick<DynamoDBClient, 'send'>, tableName: string): Promise<{ streamArn?: string; state: string }> {
  try {
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const viewType = table?.StreamSpecification?.StreamEnabled === true ? table.StreamSpecification.StreamViewType : undefined;
    if (table?.LatestStreamArn !== undefined && viewType !== undefined && viewType !== REQUIRED_VIEW_TYPE) {
      // Waiting would not help: the table itself is configured wrongly.
      throw new Error(`table ${tableName} streams ${viewType}; the resolver needs ${REQUIRED_VIEW_TYPE}`);
    }
    const ready = table?.TableStatus === 'ACTIVE' && viewType === REQUIRED_VIEW_TYPE && table.LatestStreamArn !== undefined;
    return { streamArn: ready ? table.LatestStreamArn : undefined, state: `status ${table?.TableStatus ?? 'unknown'}, stream ${viewType ?? 'off'}` };
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return { state: 'no such table in this region' };
    throw error;
  }
}

/**
 * The custom resource: properties `{ TableName }`, attribute `StreamArn`. Its physical
 * id is the stream ARN, so a new stream replaces it. Delete has nothing to remove.
 *
 * @example
 * const resource = streamArnLookup({ client: new DynamoDBClient({}) });
 */
export function streamArnLookup(options: StreamArnLookupOptions): CustomResource {
  return {
    async apply(event, deadline) {
      const tableName = String(event.ResourceProperties.TableName ?? '');
      if (tableName === '') throw new Error('property TableName is required');
      const streamArn = await waitForStreamArn(options.client, tableName, deadline, options.pollMs);
      return { physicalResourceId: streamArn, data: { StreamArn: streamArn } };
    },
  };
}

export const handler = customResourceHandler(streamArnLookup({ client: new DynamoDBClient({}) }));
