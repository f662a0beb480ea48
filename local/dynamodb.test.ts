import { DescribeTableCommand, GetItemCommand, PutItemCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { concordTableDefinition, DynamoFault, startLocalDynamo, type DynamoRequest, type LocalDynamo } from './dynamodb';

const TABLE = 'concord-local-test';
const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'item' } });

describe('startLocalDynamo', () => {
  let dynamo: LocalDynamo;
  let client: DynamoDBClient;
  let singleAttempt: DynamoDBClient;

  beforeAll(async () => {
    dynamo = await startLocalDynamo({ tables: [concordTableDefinition(TABLE)] });
    client = dynamo.client();
    singleAttempt = dynamo.client({ maxAttempts: 1 });
  });

  afterAll(async () => {
    await dynamo.close();
  });

  beforeEach(() => {
    dynamo.calls.reset();
    dynamo.faults.clear();
    dynamo.latencyMs = 0;
  });

  it('creates the Concord table with pk/sk string keys, ACTIVE', async () => {
    // Act
    const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));

    // Assess
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
  });

  it('passes calls through to dynalite and counts them per operation', async () => {
    // Prepare
    const item = { ...key('pass-through'), qty: { N: '3' }, blob: { B: new Uint8Array([1, 2, 3]) } };

    // Act
    await client.send(new PutItemCommand({ TableName: TABLE, Item: item }));
    const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: key('pass-through') }));

    // Assess
    expect(Item).toEqual(item);
    expect(dynamo.calls.snapshot()).toEqual({ PutItem: 1, GetItem: 1 });
  });

  it('throttles the next calls of an operation as AWS does, and the SDK retries them', async () => {
    // Prepare
    dynamo.faults.failNext({ count: 2, only: ['PutItem'] });

    // Act
    const output = await client.send(new PutItemCommand({ TableName: TABLE, Item: key('throttled') }));

    // Assess
    expect(output.$metadata.attempts).toBe(3);
    expect(dynamo.calls.count('PutItem')).toBe(3);
    expect(dynamo.faults.injected).toBe(2);
  });

  it('surfaces ProvisionedThroughputExceededException when retries are exhausted', async () => {
    // Prepare
    dynamo.faults.failNext({ count: 1 });

    // Act
    const sent = singleAttempt.send(new GetItemCommand({ TableName: TABLE, Key: key('exhausted') }));

    // Assess
    await expect(sent).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } });
  });

  it('fails a call with a 500 InternalServerError when asked', async () => {
    // Prepare
    dynamo.faults.failNext({ count: 1, error: DynamoFault.InternalServerError });

    // Act
    const sent = singleAttempt.send(new GetItemCommand({ TableName: TABLE, Key: key('internal') }));

    // Assess
    await expect(sent).rejects.toMatchObject({ name: 'InternalServerError', $metadata: { httpStatusCode: 500 } });
  });

  it('leaves operations outside the fault filter alone', async () => {
    // Prepare
    dynamo.faults.failFraction({ fraction: 1, seed: 1, only: ['DeleteItem'] });

    // Act
    const output = await singleAttempt.send(new GetItemCommand({ TableName: TABLE, Key: key('unfiltered') }));

    // Assess
    expect(output.$metadata.httpStatusCode).toBe(200);
  });

  it('adds the configured latency to every call', async () => {
    // Prepare
    dynamo.latencyMs = 60;
    const start = process.hrtime.bigint();

    // Act
    await client.send(new GetItemCommand({ TableName: TABLE, Key: key('slow') }));

    // Assess
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeGreaterThanOrEqual(60);
  });

  it('shows interceptors the operation, region, body and headers of each request', async () => {
    // Prepare
    const seen: DynamoRequest[] = [];
    const remove = dynamo.intercept(async (request, forward) => {
      seen.push(request);
      return forward();
    });

    // Act
    await client.send(new PutItemCommand({ TableName: TABLE, Item: key('seen') }));
    remove();

    // Assess
    expect(seen.map(({ operation, region, body, headers }) => ({ operation, region, body, target: headers?.['x-amz-target'] }))).toEqual([{ operation: 'PutItem', region: 'us-east-1', body: { TableName: TABLE, Item: key('seen') }, target: 'DynamoDB_20120810.PutItem' }]);
  });

  it('lets an interceptor rewrite the request it forwards', async () => {
    // Prepare
    const remove = dynamo.intercept((request, forward) =>
      request.operation === 'PutItem' ? forward({ ...request.body, Item: { ...key('rewritten'), note: { S: 'added by interceptor' } } }) : forward(),
    );

    // Act
    await client.send(new PutItemCommand({ TableName: TABLE, Item: key('rewritten') }));
    remove();

    // Assess
    const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: key('rewritten') }));
    expect(Item?.note).toEqual({ S: 'added by interceptor' });
  });

  it('lets an interceptor answer without forwarding', async () => {
    // Prepare
    const remove = dynamo.intercept(async () => ({
      status: 400,
      body: { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed' },
    }));

    // Act
    const sent = singleAttempt.send(new PutItemCommand({ TableName: TABLE, Item: key('answered') }));

    // Assess
    await expect(sent).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    remove();
    const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: key('answered') }));
    expect(Item).toBeUndefined();
  });

  it('lets an async interceptor read the old image straight from dynalite around a write', async () => {
    // Prepare
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('images'), v: { N: '1' } } }));
    const images: unknown[] = [];
    const remove = dynamo.intercept(async (request, forward) => {
      if (request.operation !== 'PutItem') return forward();
      const before = await dynamo.call('GetItem', { TableName: TABLE, Key: key('images'), ConsistentRead: true });
      const response = await forward();
      const after = await dynamo.call('GetItem', { TableName: TABLE, Key: key('images'), ConsistentRead: true });
      images.push(before.body.Item, after.body.Item);
      return response;
    });

    // Act
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('images'), v: { N: '2' } } }));
    remove();

    // Assess
    expect(images).toEqual([
      { ...key('images'), v: { N: '1' } },
      { ...key('images'), v: { N: '2' } },
    ]);
    expect(dynamo.calls.count('GetItem')).toBe(0);
  });

  it('does not support enabling TTL (dynalite has no UpdateTimeToLive)', async () => {
    // Act
    const sent = singleAttempt.send(new UpdateTimeToLiveCommand({ TableName: TABLE, TimeToLiveSpecification: { Enabled: true, AttributeName: '_ttl' } }));

    // Assess
    await expect(sent).rejects.toMatchObject({ name: 'UnknownOperationException' });
  });
});
