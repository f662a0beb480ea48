/**
 * The deployed handler module: configuration validated at cold start, clients built
 * from the environment (endpoints from the SDK's own AWS_ENDPOINT_URL_* variables).
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { startLocalStack, type LocalStack } from '../../local';
import { LAMBDA_CONTEXT } from '../../test/helpers/resolver-harness';
import { sampleEvent, sampleImages } from '../../test/helpers/resolver-samples';
import { conflictRecord, stockConflict, streamEvent, Writers } from '../../test/helpers/resolver-records';
import exampleRules from '../../rules/example';

type Handler = (event: DynamoDBStreamEvent, context: typeof LAMBDA_CONTEXT) => Promise<DynamoDBBatchResponse>;

const saved = { ...process.env };

afterEach(() => {
  process.env = { ...saved };
});

/** Loads handler.ts afresh, as a cold start does. */
function coldStart(env: Record<string, string | undefined>): Handler {
  process.env = { ...saved, ...env };
  let loaded: { handler: Handler } | undefined;
  jest.isolateModules(() => {
    loaded = jest.requireActual<{ handler: Handler }>('./handler');
  });
  return (loaded as { handler: Handler }).handler;
}

describe('the resolver handler module', () => {
  let stack: LocalStack;

  beforeEach(async () => {
    stack = await startLocalStack({ region: 'us-east-1' });
  });

  afterEach(async () => {
    await stack.close();
  });

  it('fails its cold start naming a missing variable', () => {
    // Act
    const start = () => coldStart({ ...stack.env, CONCORD_TABLE: undefined });

    // Assess (the module is loaded afresh, with its own copy of the error classes)
    expect(start).toThrow(expect.objectContaining({ name: 'ConfigurationError', variable: 'CONCORD_TABLE', message: 'invalid configuration: CONCORD_TABLE is required but not set' }));
  });

  it('fails its cold start naming an unusable variable', () => {
    // Act
    const start = () => coldStart({ ...stack.env, CONCORD_CONCURRENCY: 'lots' });

    // Assess
    expect(start).toThrow('invalid configuration: CONCORD_CONCURRENCY must be a whole number from 1 to 100, got "lots"');
  });

  it('fails its cold start naming a rules module that exports no rule set', () => {
    // Act
    const start = () => coldStart({ ...stack.env, CONCORD_RULES: require.resolve('../../test/helpers/resolver-not-rules') });

    // Assess
    expect(start).toThrow(/CONCORD_RULES names a module .* whose default export is not a rule set/);
  });

  it('fails a record whose DynamoDB request hangs past CONCORD_REQUEST_TIMEOUT_MS, instead of waiting for it', async () => {
    // Prepare: a record written just now (an old one would be past the retry budget, and quarantined).
    const event = streamEvent(conflictRecord(stockConflict(new Writers(exampleRules, Date.now())), 1));
    stack.dynamo.intercept(() => new Promise(() => undefined));
    const handler = coldStart({ ...stack.env, CONCORD_REQUEST_TIMEOUT_MS: '200', AWS_MAX_ATTEMPTS: '1' });

    // Act
    const response = await handler(event, LAMBDA_CONTEXT);

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0]?.dynamodb?.SequenceNumber }] });
  });

  it('resolves a conflict against the endpoints named by AWS_ENDPOINT_URL_* variables', async () => {
    // Prepare
    const event = sampleEvent('conflict-stock-counter');
    const { key, newImage } = sampleImages(event);
    await stack.dynamo.call('PutItem', { TableName: stack.env.CONCORD_TABLE, Item: newImage });
    const handler = coldStart({ ...stack.env });

    // Act
    const response = await handler(event, LAMBDA_CONTEXT);

    // Assess
    const stored = await stack.dynamo.call('GetItem', { TableName: stack.env.CONCORD_TABLE, Key: key, ConsistentRead: true });
    expect(response).toEqual({ batchItemFailures: [] });
    expect((stored.body.Item as Record<string, unknown>).onHand).toEqual({ N: '9' });
    expect(stack.eventBridge.events({ name: stack.env.CONCORD_AUDIT_BUS as string }).map((received) => received.event['detail-type'])).toEqual(['ConflictResolved']);
  });
});
