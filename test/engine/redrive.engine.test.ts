/**
 * `concord redrive`, run as a process, on DynamoDB Local's real stream: the batch of a
 * region whose write lost to a concurrent one is named by an on-failure message (as
 * Lambda sends when it gives up); the CLI fetches its records from the stream, runs
 * them through the resolver's logic and deletes the message only once they are
 * settled. EventBridge, SQS and the audit log group are the project's local endpoints.
 */
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import exampleRules from '../../rules/example';
import { LOCAL_STACK_NAMES, startLocalStack, type LocalStack } from '../../local';
import { createConcordTable } from '../../shared/writer';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import type { RedriveReport } from '../../cli/operations/redrive/redrive';
import { EU, US } from '../helpers/items';
import { engineCredentials, engineEndpoint, useEngineDatabase, type EngineTable } from '../helpers/engine';
import { wireKey } from '../helpers/writer-table';
import { jsonOf, runConcord } from '../helpers/cli';

const SUITE = 'redrive';

describe('concord redrive on DynamoDB Local stream records', () => {
  const database = useEngineDatabase(SUITE);
  const regions = {} as Record<typeof US | typeof EU, EngineTable>;
  let stack: LocalStack;
  let streams: DynamoDBStreamsClient;
  const redrive = (...args: string[]) =>
    runConcord(['redrive', ...args], {
      env: { ...stack.env, ...credentialsEnv(), AWS_ENDPOINT_URL_DYNAMODB: engineEndpoint(), AWS_ENDPOINT_URL_DYNAMODB_STREAMS: engineEndpoint(), AWS_MAX_ATTEMPTS: '1' },
    });
  const queued = () => stack.sqs.messages(LOCAL_STACK_NAMES.onFailureQueue);

  function credentialsEnv(): Record<string, string> {
    const { accessKeyId, secretAccessKey } = engineCredentials(SUITE);
    return { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey };
  }

  /** us-east-1 adds 2 and eu-west-1 takes 3 from 10, concurrently; eu-west-1's version replaces us-east-1's there. */
  async function stockConflict(pk: string): Promise<AttributeMap> {
    const key = { pk, sk: 'STOCK' };
    const writer = (table: EngineTable) => createConcordTable({ client: table.client, tableName: table.name, region: table.region, rules: exampleRules });
    await writer(regions[US]).increment(key, 'onHand', 10);
    await regions[EU].store((await regions[US].item(wireKey(key))) as AttributeMap);
    await writer(regions[US]).increment(key, 'onHand', 2);
    await writer(regions[EU]).increment(key, 'onHand', -3);
    await regions[US].store((await regions[EU].item(wireKey(key))) as AttributeMap);
    return wireKey(key);
  }

  /** Sends the on-failure message of a batch of `records` of us-east-1's stream, as Lambda does. */
  async function discard(records: readonly DynamoDBRecord[], shardId?: string): Promise<void> {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: regions[US].stream.arn }));
    const sequence = (record: DynamoDBRecord | undefined): string => record?.dynamodb?.SequenceNumber ?? '';
    const message = {
      requestContext: { requestId: 'r-1', functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:concord-dev-resolver', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 11 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId: shardId ?? StreamDescription?.Shards?.[0]?.ShardId,
        startSequenceNumber: sequence(records[0]),
        endSequenceNumber: sequence(records.at(-1)),
        approximateArrivalOfFirstRecord: new Date().toISOString(),
        approximateArrivalOfLastRecord: new Date().toISOString(),
        batchSize: records.length,
        streamArn: regions[US].stream.arn,
      },
    };
    await stack.sqs.client().send(new SendMessageCommand({ QueueUrl: stack.env.CONCORD_ON_FAILURE_QUEUE_URL, MessageBody: JSON.stringify(message) }));
  }

  beforeAll(async () => {
    regions[US] = await database.table(US, LOCAL_STACK_NAMES.table);
    regions[EU] = await database.table(EU, LOCAL_STACK_NAMES.table);
    stack = await startLocalStack({ region: US });
    streams = new DynamoDBStreamsClient({ endpoint: engineEndpoint(), region: US, credentials: engineCredentials(SUITE) });
  });

  afterAll(async () => {
    streams.destroy();
    await stack.close();
  });

  it('plans on a dry run what the resolver would do with each record, touching nothing', async () => {
    // Prepare
    const key = await stockConflict('STOCK#redrive-plan');
    const records = await regions[US].stream.next(3);
    await discard(records);

    // Act
    const run = await redrive('--dry-run', '--json');

    // Assess
    const report = jsonOf<RedriveReport>(run);
    expect({ code: run.code, plans: report.messages.map((m) => [m.status, m.plans.map((p) => `${p.verdict} ${p.action} ${p.detail}`)]), onHand: (await regions[US].item(key))?.onHand, queued: queued().length }).toEqual({
      code: 0,
      plans: [['planned', ['insert skip insert', 'successor skip successor', 'conflict merge resolved']]],
      onHand: { N: '7' },
      queued: 1,
    });
  });

  it('settles the records the stream still holds and only then deletes the message', async () => {
    // Prepare: the message the dry run above released.

    // Act
    const run = await redrive('--json');

    // Assess
    const report = jsonOf<RedriveReport>(run);
    const audit = stack.eventBridge.events({ name: LOCAL_STACK_NAMES.centralBus }).map((received) => [received.event['detail-type'], received.event.detail.outcome]);
    expect({ code: run.code, results: report.messages.map((m) => [m.status, m.records.map((r) => r.result)]), onHand: (await regions[US].item(wireKey({ pk: 'STOCK#redrive-plan', sk: 'STOCK' })))?.onHand, audit, queued: queued().length }).toEqual({
      code: 0,
      results: [['redriven', ['skipped (insert)', 'skipped (successor)', 'resolved']]],
      onHand: { N: '9' },
      audit: [['ConflictResolved', 'resolved']],
      queued: 0,
    });
  });

  it('keeps a message whose records the stream does not hold, saying so (exit status 1)', async () => {
    // Prepare
    await stockConflict('STOCK#redrive-gone');
    await discard(await regions[US].stream.next(3), 'shardId-00000000000000000000-gone0000');

    // Act
    const run = await redrive();

    // Assess
    expect({ code: run.code, queued: queued().length }).toEqual({ code: 1, queued: 1 });
    expect(run.stdout).toMatch(/^0 messages redriven and deleted, 1 kept/);
    expect(run.stdout).toMatch(/kept \S+ shard shardId-00000000000000000000-gone0000 \d+\.\.\d+ \(RetryAttemptsExhausted\): records \d+\.\.\d+ of shard shardId-00000000000000000000-gone0000 are not available: the stream no longer holds them/);
  });
});
