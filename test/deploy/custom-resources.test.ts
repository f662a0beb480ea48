/**
 * The deploy-time custom resources: the replica stream lookup against a loopback
 * DynamoDB endpoint that answers DescribeTable (dynalite reports no streams), the key
 * replication over an in-memory KMS (no KMS emulator exists), and both answering
 * CloudFormation through a loopback stand-in for the pre-signed response URL.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AwsProtocolError } from '../../local/aws-error';
import { startJsonServer, type LocalServer } from '../../local/http';
import { customResourceHandler } from '../../functions/custom-resources/cfn-response';
import { keyReplicas, type KeyReplicaApi } from '../../functions/custom-resources/key-replicas';
import { streamArnLookup } from '../../functions/custom-resources/stream-arn-lookup';
import { customResourceEvent, lambdaContext, startAnswerCapture, type AnswerCapture } from '../helpers/custom-resource';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { inlineSource } = require('../../resources/inline-code.js') as { inlineSource(name: string): string };

const STREAM_ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/concord-test/stream/2026-01-01T00:00:00.000';
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd';

type TableView = { status: string; viewType?: string; streamArn?: string } | 'missing';

/** A loopback DynamoDB endpoint whose DescribeTable answers follow `views`, the last one repeating. */
async function startDescribeTableEndpoint(views: TableView[]): Promise<LocalServer & { calls: () => number }> {
  let calls = 0;
  const server = await startJsonServer({
    targetPrefix: 'DynamoDB_20120810',
    contentType: 'application/x-amz-json-1.0',
    defaultRegion: 'eu-west-1',
    handle: async ({ operation, body }) => {
      if (operation !== 'DescribeTable') throw new AwsProtocolError(400, 'UnknownOperationException', operation);
      const view = views[Math.min(calls, views.length - 1)] as TableView;
      calls += 1;
      if (view === 'missing') throw new AwsProtocolError(400, 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', `Requested resource not found: Table: ${String(body.TableName)} not found`);
      const stream = view.viewType === undefined ? {} : { StreamSpecification: { StreamEnabled: true, StreamViewType: view.viewType }, LatestStreamArn: view.streamArn ?? STREAM_ARN };
      return { status: 200, body: { Table: { TableName: body.TableName, TableStatus: view.status, ...stream } } };
    },
  });
  return Object.assign(server, { calls: () => calls });
}

function dynamoDbAt(url: string): DynamoDBClient {
  return new DynamoDBClient({ region: 'eu-west-1', endpoint: url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

/** An in-memory KMS: key states per region; a replica is Creating for `creatingPolls` reads. */
function memoryKms(initial: Record<string, string>, creatingPolls = 1): KeyReplicaApi & { replicated: string[] } {
  const states = new Map(Object.entries(initial));
  const pollsLeft = new Map<string, number>();
  const replicated: string[] = [];
  return {
    replicated,
    async keyState(_keyId, region) {
      const left = pollsLeft.get(region) ?? 0;
      if (left > 0) {
        pollsLeft.set(region, left - 1);
        return 'Creating';
      }
      return states.get(region);
    },
    async replicate(_keyArn, region) {
      replicated.push(region);
      states.set(region, 'Enabled');
      pollsLeft.set(region, creatingPolls);
    },
  };
}

let capture: AnswerCapture;
beforeEach(async () => {
  capture = await startAnswerCapture();
  // The handlers log each failure as a JSON line; the answers are what these tests check.
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(async () => {
  await capture.close();
  jest.restoreAllMocks();
});

describe('replica stream lookup', () => {
  let endpoint: (LocalServer & { calls: () => number }) | undefined;
  afterEach(async () => {
    await endpoint?.close();
    endpoint = undefined;
  });

  it('waits for a replica that is still being created and answers its LatestStreamArn', async () => {
    // Prepare
    endpoint = await startDescribeTableEndpoint(['missing', { status: 'CREATING' }, { status: 'ACTIVE', viewType: 'NEW_AND_OLD_IMAGES' }]);
    const handler = customResourceHandler(streamArnLookup({ client: dynamoDbAt(endpoint.url), pollMs: 10 }));

    // Act
    await handler(customResourceEvent({ requestType: 'Create', responseUrl: capture.url, properties: { TableName: 'concord-test' } }), lambdaContext());

    // Assess
    expect(endpoint.calls()).toBe(3);
    expect(capture.answers.map((answer) => answer.body)).toEqual([
      expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: STREAM_ARN, Data: { StreamArn: STREAM_ARN }, RequestId: 'request-1', LogicalResourceId: 'TestResource' }),
    ]);
  });

  it('fails at once when the table streams something other than NEW_AND_OLD_IMAGES', async () => {
    // Prepare
    endpoint = await startDescribeTableEndpoint([{ status: 'ACTIVE', viewType: 'KEYS_ONLY' }]);
    const handler = customResourceHandler(streamArnLookup({ client: dynamoDbAt(endpoint.url), pollMs: 10 }));

    // Act
    await handler(customResourceEvent({ requestType: 'Create', responseUrl: capture.url, properties: { TableName: 'concord-test' } }), lambdaContext());

    // Assess
    expect(endpoint.calls()).toBe(1);
    expect(capture.answers[0]?.body).toEqual(expect.objectContaining({ Status: 'FAILED', Reason: expect.stringContaining('streams KEYS_ONLY') }));
  });

  it('answers FAILED before the Lambda deadline when the replica never becomes ready', async () => {
    // Prepare: 10 s are kept back to answer, so 10.3 s leave 300 ms of waiting.
    endpoint = await startDescribeTableEndpoint([{ status: 'CREATING' }]);
    const handler = customResourceHandler(streamArnLookup({ client: dynamoDbAt(endpoint.url), pollMs: 50 }));

    // Act
    await handler(customResourceEvent({ requestType: 'Create', responseUrl: capture.url, properties: { TableName: 'concord-test' } }), lambdaContext(10_300));

    // Assess
    expect(capture.answers[0]?.body).toEqual(expect.objectContaining({ Status: 'FAILED', PhysicalResourceId: '2026/01/01/[$LATEST]test', Reason: expect.stringContaining('DeploymentWaitError') }));
  });

  it('deletes without calling DynamoDB and keeps the physical id', async () => {
    // Prepare
    endpoint = await startDescribeTableEndpoint(['missing']);
    const handler = customResourceHandler(streamArnLookup({ client: dynamoDbAt(endpoint.url) }));

    // Act
    await handler(customResourceEvent({ requestType: 'Delete', responseUrl: capture.url, properties: { TableName: 'concord-test' }, physicalResourceId: STREAM_ARN }), lambdaContext());

    // Assess
    expect(endpoint.calls()).toBe(0);
    expect(capture.answers[0]?.body).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: STREAM_ARN }));
  });

  it('answers with a PUT that carries no content type, as the pre-signed URL expects', async () => {
    // Prepare
    endpoint = await startDescribeTableEndpoint([{ status: 'ACTIVE', viewType: 'NEW_AND_OLD_IMAGES' }]);
    const handler = customResourceHandler(streamArnLookup({ client: dynamoDbAt(endpoint.url) }));

    // Act
    await handler(customResourceEvent({ requestType: 'Update', responseUrl: capture.url, properties: { TableName: 'concord-test' } }), lambdaContext());

    // Assess
    expect(capture.answers[0]?.method).toBe('PUT');
    expect(capture.answers[0]?.headers['content-type'] ?? '').toBe('');
  });

  it('works as the inline bundle CloudFormation ships, with the SDK the runtime provides', async () => {
    // Prepare: load the ZipFile source as Lambda would, with its region and endpoint from the environment.
    endpoint = await startDescribeTableEndpoint([{ status: 'ACTIVE', viewType: 'NEW_AND_OLD_IMAGES' }]);
    const saved = { region: process.env.AWS_REGION, endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB };
    process.env.AWS_REGION = 'eu-west-1';
    process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint.url;
    const lambdaModule = { exports: {} as { handler?: ReturnType<typeof customResourceHandler> } };
    try {
      new Function('module', 'exports', 'require', inlineSource('stream-arn-lookup'))(lambdaModule, lambdaModule.exports, require);

      // Act
      await lambdaModule.exports.handler?.(customResourceEvent({ requestType: 'Create', responseUrl: capture.url, properties: { TableName: 'concord-test' } }), lambdaContext());
    } finally {
      process.env.AWS_REGION = saved.region;
      process.env.AWS_ENDPOINT_URL_DYNAMODB = saved.endpoint;
      if (saved.region === undefined) delete process.env.AWS_REGION;
      if (saved.endpoint === undefined) delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    }

    // Assess
    expect(capture.answers[0]?.body).toEqual(expect.objectContaining({ Status: 'SUCCESS', Data: { StreamArn: STREAM_ARN } }));
  });
});

describe('table key replicas', () => {
  it('replicates the key into every region that has no replica and waits until each is Enabled', async () => {
    // Prepare
    const kms = memoryKms({ 'ap-southeast-2': 'Enabled' }, 2);
    const handler = customResourceHandler(keyReplicas({ kms, pollMs: 5 }));

    // Act
    await handler(customResourceEvent({ requestType: 'Create', responseUrl: capture.url, properties: { KeyArn: KEY_ARN, Regions: ['eu-west-1', 'ap-southeast-2'] } }), lambdaContext());

    // Assess
    expect(kms.replicated).toEqual(['eu-west-1']);
    expect(capture.answers[0]?.body).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'mrk-1234abcd-replicas' }));
  });

  it('replicates into a region added by an update, keeping the physical id', async () => {
    // Prepare
    const kms = memoryKms({ 'eu-west-1': 'Enabled' }, 0);
    const handler = customResourceHandler(keyReplicas({ kms, pollMs: 5 }));

    // Act
    await handler(customResourceEvent({ requestType: 'Update', responseUrl: capture.url, properties: { KeyArn: KEY_ARN, Regions: ['eu-west-1', 'sa-east-1'] }, physicalResourceId: 'mrk-1234abcd-replicas' }), lambdaContext());

    // Assess
    expect(kms.replicated).toEqual(['sa-east-1']);
    expect(capture.answers[0]?.body).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'mrk-1234abcd-replicas' }));
  });

  it('fails with what to do when a replica is pending deletion', async () => {
    // Prepare
    const kms = memoryKms({ 'eu-west-1': 'PendingDeletion' });
    const handler = customResourceHandler(keyReplicas({ kms, pollMs: 5 }));

    // Act
    await handler(customResourceEvent({ requestType: 'Create', responseUrl: capture.url, properties: { KeyArn: KEY_ARN, Regions: ['eu-west-1'] } }), lambdaContext());

    // Assess
    expect(kms.replicated).toEqual([]);
    expect(capture.answers[0]?.body).toEqual(expect.objectContaining({ Status: 'FAILED', Reason: expect.stringContaining('is PendingDeletion; enable it (or cancel its deletion)') }));
  });

  it('keeps the replica keys when the resource is deleted', async () => {
    // Prepare
    const kms = memoryKms({ 'eu-west-1': 'Enabled' });
    const deletions = jest.spyOn(kms, 'keyState');
    const handler = customResourceHandler(keyReplicas({ kms }));

    // Act
    await handler(customResourceEvent({ requestType: 'Delete', responseUrl: capture.url, properties: { KeyArn: KEY_ARN, Regions: ['eu-west-1'] }, physicalResourceId: 'mrk-1234abcd-replicas' }), lambdaContext());

    // Assess
    expect(deletions).not.toHaveBeenCalled();
    expect(capture.answers[0]?.body).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'mrk-1234abcd-replicas' }));
  });
});
