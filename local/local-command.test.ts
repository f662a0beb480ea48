import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeEventBusCommand, EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_PORTS, parseLocalArgs, runLocal, UsageError } from './local-command';
import type { LocalStack } from './stack';

const TSX_CLI = join(__dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
const START = join(__dirname, 'start.ts');
const FREE_PORTS = ['--port-dynamodb', '0', '--port-eventbridge', '0', '--port-sqs=0', '--port-s3=0', '--port-logs=0'];

describe('parseLocalArgs', () => {
  it('defaults to fixed ports and us-east-1', () => {
    // Act
    const args = parseLocalArgs([]);

    // Assess
    expect(args).toEqual({ region: 'us-east-1', auditRegion: 'us-east-1', ports: DEFAULT_PORTS, help: false });
  });

  it('reads flags written with a space or an equals sign', () => {
    // Act
    const args = parseLocalArgs(['--region', 'eu-west-1', '--audit-region=us-east-1', '--port-sqs=9020']);

    // Assess
    expect(args).toMatchObject({ region: 'eu-west-1', auditRegion: 'us-east-1', ports: { sqs: 9020 } });
  });

  it.each([
    [['--verbose'], '--verbose: unknown flag'],
    [['--port-dynamodb', 'eight'], '--port-dynamodb: expected a port number'],
    [['--port-sqs=70000'], '--port-sqs: expected a port number'],
    [['--region', 'mars'], '--region: expected a region'],
    [['--region'], '--region: needs a region'],
  ])('refuses %j saying what is wrong', (argv, message) => {
    // Act
    const parse = () => parseLocalArgs(argv);

    // Assess
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(message);
  });
});

describe('runLocal', () => {
  const lines: string[] = [];
  const notes: string[] = [];
  let stack: LocalStack;
  let seedFolder: string;
  const env = () => stack.env as Record<string, string>;

  beforeAll(async () => {
    seedFolder = mkdtempSync(join(tmpdir(), 'concord-seed-'));
    const seedFile = join(seedFolder, 'seed.json');
    writeFileSync(seedFile, JSON.stringify([{ pk: { S: 'seed#1' }, sk: { S: 'item' }, raw: { B: Buffer.from([7, 8, 9]).toString('base64') } }]));
    stack = await runLocal(parseLocalArgs(FREE_PORTS), { out: (line) => lines.push(...line.split('\n')), note: (line) => notes.push(line) }, seedFile);
  });

  afterAll(async () => {
    await stack.close();
    rmSync(seedFolder, { recursive: true, force: true });
  });

  it('prints every variable as a valid export line', () => {
    // Act
    const exports = lines.filter((line) => line.startsWith('export '));

    // Assess
    expect(exports.every((line) => /^export [A-Z][A-Z0-9_]*=[^\s'"]+$/.test(line))).toBe(true);
    expect(exports.map((line) => line.slice('export '.length).split('=')[0])).toEqual([
      'AWS_REGION',
      'AWS_ENDPOINT_URL_DYNAMODB',
      'AWS_ENDPOINT_URL_EVENTBRIDGE',
      'AWS_ENDPOINT_URL_SQS',
      'AWS_ENDPOINT_URL_S3',
      'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_EC2_METADATA_DISABLED',
      'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
      'CONCORD_TABLE',
      'CONCORD_AUDIT_BUS',
      'CONCORD_QUARANTINE_QUEUE_URL',
      'CONCORD_PAYLOAD_BUCKET',
      'CONCORD_ON_FAILURE_QUEUE_URL',
      'CONCORD_AUDIT_REGION',
      'CONCORD_AUDIT_LOG_GROUP',
    ]);
  });

  it('prints an environment that points unconfigured SDK clients at the stack', async () => {
    // Prepare
    const saved = { ...process.env };
    Object.assign(process.env, env());
    // The SDK reads the environment lazily, at the first call: keep it until the calls are done.
    const clients = { dynamo: new DynamoDBClient({}), events: new EventBridgeClient({}), sqs: new SQSClient({}), s3: new S3Client({}) };
    try {
      // Act
      const [tables, bus, queue, bucket] = await Promise.all([
        clients.dynamo.send(new ListTablesCommand({})),
        clients.events.send(new DescribeEventBusCommand({ Name: env().CONCORD_AUDIT_BUS })),
        clients.sqs.send(new GetQueueUrlCommand({ QueueName: 'concord-quarantine-dev' })),
        clients.s3.send(new HeadBucketCommand({ Bucket: env().CONCORD_PAYLOAD_BUCKET })),
      ]);

      // Assess
      expect([tables.TableNames, bus.Name, queue.QueueUrl, bucket.$metadata.httpStatusCode]).toEqual([['concord-dev'], 'concord-audit-dev', env().CONCORD_QUARANTINE_QUEUE_URL, 200]);
    } finally {
      Object.values(clients).forEach((client) => client.destroy());
      process.env = saved;
    }
  });

  it('seeds the table from the seed file, binary as bytes', async () => {
    // Act
    const { Item } = await stack.dynamo.client().send(new GetItemCommand({ TableName: 'concord-dev', Key: { pk: { S: 'seed#1' }, sk: { S: 'item' } } }));

    // Assess
    expect(Item?.raw?.B).toEqual(new Uint8Array([7, 8, 9]));
  });

  it('prints each Concord event forwarded to the central bus as one JSON line', async () => {
    // Prepare
    const client = stack.eventBridge.client();

    // Act
    await client.send(new PutEventsCommand({ Entries: [{ EventBusName: env().CONCORD_AUDIT_BUS, Source: 'concord', DetailType: 'ConflictResolved', Detail: '{"conflictId":"c-1"}' }] }));

    // Assess
    const printed = lines.filter((line) => line.startsWith('{"version"')).map((line) => JSON.parse(line) as { detail: unknown });
    expect(printed.map((event) => event.detail)).toEqual([{ conflictId: 'c-1' }]);
  });

  it('keeps each event of the central bus in the central audit log group, as the audit region does', async () => {
    // Prepare
    const client = stack.eventBridge.client();

    // Act
    await client.send(new PutEventsCommand({ Entries: [{ EventBusName: env().CONCORD_AUDIT_BUS, Source: 'concord', DetailType: 'ConflictEscalated', Detail: '{"conflictId":"c-2"}' }] }));

    // Assess
    const kept = stack.logs.events(env().CONCORD_AUDIT_LOG_GROUP as string).map((event) => JSON.parse(event.message) as { 'detail-type': string; detail: unknown });
    expect(kept.filter((event) => event['detail-type'] === 'ConflictEscalated').map((event) => event.detail)).toEqual([{ conflictId: 'c-2' }]);
  });

  it('has the resolver\'s on-failure queue', async () => {
    // Act
    const { QueueUrl } = await stack.sqs.client().send(new GetQueueUrlCommand({ QueueName: 'concord-resolver-failures-dev' }));

    // Assess
    expect(QueueUrl).toBe(env().CONCORD_ON_FAILURE_QUEUE_URL);
  });

  it('prints each quarantined message as one JSON line', async () => {
    // Act
    await stack.sqs.client().send(new SendMessageCommand({ QueueUrl: env().CONCORD_QUARANTINE_QUEUE_URL, MessageBody: '{"reason":"malformed image"}' }));

    // Assess
    const printed = lines.filter((line) => line.startsWith('{"quarantined"')).map((line) => JSON.parse(line) as { quarantined: { body: unknown } });
    expect(printed.map(({ quarantined }) => quarantined.body)).toEqual([{ reason: 'malformed image' }]);
  });

  it('warns about an event put to a bus that does not exist', async () => {
    // Act
    await stack.eventBridge.client().send(new PutEventsCommand({ Entries: [{ EventBusName: 'concord-audit-typo', Source: 'concord', DetailType: 'X', Detail: '{}' }] }));

    // Assess
    expect(notes.filter((note) => note.includes('concord-audit-typo'))).toHaveLength(1);
  });
});

describe('npm run local (local/start.ts)', () => {
  let child: ChildProcess | undefined;

  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  it('exits 2 naming a bad flag', () => {
    // Act
    const result = spawnSync(process.execPath, [TSX_CLI, START, '--port-sqs', 'abc'], { encoding: 'utf8', timeout: 30_000 });

    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--port-sqs: expected a port number from 0 to 65535, got "abc"');
  });

  it('prints the exports, stays up, and stops cleanly on Ctrl-C', async () => {
    // Prepare
    const started = spawn(process.execPath, [TSX_CLI, START, ...FREE_PORTS], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      started.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        if (stdout.includes('CONCORD_QUARANTINE_QUEUE_URL=')) resolve();
      });
      started.once('exit', (code) => reject(new Error(`exited early with ${code}: ${stdout}`)));
    });

    // Act
    const exited = new Promise<number | null>((resolve) => started.once('exit', resolve));
    started.kill('SIGINT');

    // Assess
    expect(stdout).toMatch(/^export AWS_ENDPOINT_URL_DYNAMODB=http:\/\/127\.0\.0\.1:\d+$/m);
    await expect(exited).resolves.toBe(0);
  });
});
