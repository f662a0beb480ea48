/**
 * Resolver throughput: a batch of 1,000 stream records (90 % causal successors, 10 %
 * conflicts, over 200 keys) through the real handler, its SDK clients configured as the
 * deployed resolver's (resolverClientConfig), against a DynamoDB stand-in that answers
 * every call after 10 ms (and an EventBridge stand-in that answers at once):
 *
 * - `resolverRecordsPerSecond`: records of the batch per second of the handler's wall
 *   time. Goal ≥ 2,000: twice the most one stream shard delivers (1,000 records/s).
 * - `resolverEfficiency`: the ideal time ÷ the measured time. The ideal is the larger
 *   of the batch's DynamoDB round trips at 10 ms spread over the keys in flight
 *   (CONCORD_CONCURRENCY) and the measured CPU cost of the SDK calls alone: the same
 *   requests the handler made, replayed with the same number in flight against
 *   stand-ins that answer at once. Goal ≥ 0.8: the resolver's own work (classify,
 *   merge, audit events) hides in the waiting instead of adding to it.
 * - `putEventsEntriesPerCall`: audit entries per PutEvents call. Goal ≥ 9.
 *
 * The stand-ins run in a worker thread: their CPU is AWS's side of the wire and must
 * not queue behind the resolver on one event loop. `resolverStandInLatencyMs` is the
 * mean delay the DynamoDB stand-in kept, from a request's arrival to its answer, by the
 * high-resolution clock: about 10.1–10.3 ms, more when other processes starve its
 * thread. (Waiting out the timer's last millisecond by polling that clock kept no
 * better time and cost the resolver's thread: the polling thread took CPU from it.)
 *
 * What is measured is the steady state of a warm Lambda container: WARM_UP_ROUNDS
 * batches and replays first, untimed (a fresh process's first rounds time V8 compiling
 * the handler and the SDK: batches and replays kept shrinking over the first ten
 * rounds). Then RUNS runs of ROUNDS interleaved rounds (a batch, then its SDK replay);
 * each run's ratios use the medians of its rounds, and each figure is the median of the
 * runs' values, so one noisy run does not decide (`…Min`/`…Max`: the spread over runs).
 */
import { Worker } from 'node:worker_threads';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { DynamoDBClient, PutItemCommand, type PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import exampleRules from '../rules/example';
import { createResolverHandler, loadConfig, resolverClientConfig, type ResolverConfig } from '../shared/resolver';
import { mapConcurrently } from '../shared/resolver/concurrency';
import type { AttributeMap } from '../shared/dynamodb/attribute-value';
import { LOCAL_CREDENTIALS } from '../local/client-config';
import { LAMBDA_CONTEXT } from '../test/helpers/resolver-harness';
import { conflictRecord, incrementStock, itemKey, LOCAL_REGION, REMOTE_REGION, streamRecord, Writers } from '../test/helpers/resolver-records';
import { median, medianOfRuns, timeAsync } from './harness';

const KEYS = 200;
const RECORDS_PER_KEY = 5;
/** Every other key's last record is a conflict: 100 of 1,000. */
const CONFLICT_EVERY_NTH_KEY = 2;
const LATENCY_MS = 10;
/** Untimed rounds before the first run: enough for V8 to have optimised the hot paths. */
const WARM_UP_ROUNDS = 12;
/** Runs, each its own set of rounds and ratios; the figures are the medians over runs. */
const RUNS = 5;
/** Interleaved rounds (a batch, then its SDK replay) per run. */
const ROUNDS = 7;
const GOALS = { resolverRecordsPerSecond: { atLeast: 2_000 }, resolverEfficiency: { atLeast: 0.8 }, putEventsEntriesPerCall: { atLeast: 9 } } as const;

/** Runs `work` with Powertools metrics disabled: Lambda ships them asynchronously, here they would print. */
async function withoutMetricsOutput<T>(work: () => Promise<T>): Promise<T> {
  const previous = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    return await work();
  } finally {
    if (previous === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = previous;
  }
}

/**
 * The batch, in shard order: each key's records in stream order, keys interleaved.
 * Per key, four causal successors (writes of this region on the previous version), and
 * on every other key a fifth record that is a conflict (a remote write concurrent with
 * the local one), else a fifth successor.
 */
function mixedBatch(): DynamoDBStreamEvent {
  const writers = new Writers();
  const perKey: DynamoDBRecord[][] = [];
  for (let k = 0; k < KEYS; k += 1) {
    const key = itemKey(`STOCK#${k}`, 'STOCK');
    let version: AttributeMap = writers.write(LOCAL_REGION, undefined, key, incrementStock(100));
    const records: DynamoDBRecord[] = [];
    for (let i = 0; i < RECORDS_PER_KEY - 1; i += 1) {
      const next = writers.write(LOCAL_REGION, version, key, incrementStock(-1));
      records.push(streamRecord({ eventName: 'MODIFY', key, oldImage: version, newImage: next, sequence: 0, createdAtMs: writers.now }));
      version = next;
    }
    const local = writers.write(LOCAL_REGION, version, key, incrementStock(-1));
    const last = k % CONFLICT_EVERY_NTH_KEY === 0 ? { local, remote: writers.write(REMOTE_REGION, version, key, incrementStock(2)) } : { local: version, remote: local };
    records.push(conflictRecord({ key, base: version, ...last, arrivedAtMs: writers.now }, 0));
    perKey.push(records);
  }
  const interleaved: DynamoDBRecord[] = [];
  for (let i = 0; i < RECORDS_PER_KEY; i += 1) for (const records of perKey) interleaved.push(renumber(records[i] as DynamoDBRecord, interleaved.length + 1));
  return { Records: interleaved };
}

/** The record as the `sequence`-th of the shard. */
function renumber(record: DynamoDBRecord, sequence: number): DynamoDBRecord {
  return { ...record, eventID: `e${sequence}`, dynamodb: { ...record.dynamodb, SequenceNumber: `4${String(sequence).padStart(20, '0')}` } };
}

/** What the stand-ins saw since the last reset: calls per operation, request bodies, and the delays the delayed DynamoDB stand-in kept. */
interface Observed {
  readonly calls: Record<string, number>;
  readonly bodies: Record<string, unknown[]>;
  readonly delaysMs: number[];
}

/** DynamoDB and EventBridge stand-ins: `delayed` answers after the latency, `instant` at once. */
interface StandIns {
  readonly delayed: { readonly dynamodb: string; readonly eventBridge: string };
  readonly instant: { readonly dynamodb: string; readonly eventBridge: string };
  /** Forgets what was observed. */
  reset(): Promise<void>;
  observed(): Promise<Observed>;
  /** The delays the delayed DynamoDB stand-in kept since the last reset, without the bodies. */
  delays(): Promise<number[]>;
  close(): Promise<void>;
}

const STAND_INS = `
const { createServer } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
let calls = {};
let bodies = {};
let delaysMs = [];
const answers = {
  PutItem: () => ({}),
  GetItem: () => ({}),
  PutEvents: (body) => ({ FailedEntryCount: 0, Entries: body.Entries.map((_, i) => ({ EventId: 'event-' + i })) }),
};
function serve(latencyMs, contentType) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const arrived = process.hrtime.bigint();
      const operation = String(req.headers['x-amz-target']).split('.')[1];
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      calls[operation] = (calls[operation] || 0) + 1;
      (bodies[operation] = bodies[operation] || []).push(body);
      const payload = JSON.stringify(answers[operation](body));
      const answer = () => res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }).end(payload);
      if (latencyMs === 0) return answer();
      setTimeout(() => {
        delaysMs.push(Number(process.hrtime.bigint() - arrived) / 1e6);
        answer();
      }, latencyMs);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: 'http://127.0.0.1:' + server.address().port })));
}
Promise.all([
  serve(workerData.latencyMs, 'application/x-amz-json-1.0'),
  serve(0, 'application/x-amz-json-1.1'),
  serve(0, 'application/x-amz-json-1.0'),
  serve(0, 'application/x-amz-json-1.1'),
]).then((servers) => {
  const [dynamodb, eventBridge, instantDynamodb, instantEventBridge] = servers.map((s) => s.url);
  parentPort.postMessage({ delayed: { dynamodb, eventBridge }, instant: { dynamodb: instantDynamodb, eventBridge: instantEventBridge } });
  parentPort.on('message', (message) => {
    if (message === 'reset') { calls = {}; bodies = {}; delaysMs = []; parentPort.postMessage('reset'); }
    else if (message === 'observed') parentPort.postMessage({ calls, bodies, delaysMs });
    else if (message === 'delays') parentPort.postMessage(delaysMs);
    else if (message === 'close') for (const { server } of servers) { server.closeAllConnections(); server.close(); }
  });
});`;

function startStandIns(): Promise<StandIns> {
  const worker = new Worker(STAND_INS, { eval: true, workerData: { latencyMs: LATENCY_MS } });
  const ask = <T>(message: string): Promise<T> =>
    new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage(message);
    });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (urls: Pick<StandIns, 'delayed' | 'instant'>) =>
      resolve({
        ...urls,
        reset: () => ask('reset').then(() => undefined),
        observed: () => ask<Observed>('observed'),
        delays: () => ask<number[]>('delays'),
        close: async () => {
          worker.postMessage('close');
          await worker.terminate();
        },
      }),
    );
  });
}

const CONFIG = loadConfig({ CONCORD_TABLE: 'concord-bench', AWS_REGION: LOCAL_REGION, CONCORD_AUDIT_BUS: 'concord-audit-bench', CONCORD_QUARANTINE_QUEUE_URL: 'http://127.0.0.1:9/000000000000/unused' });

/** A client's configuration as the deployed resolver builds it (clients.ts), pointed at a stand-in. */
function clientConfig(config: ResolverConfig, endpoint: string): ReturnType<typeof resolverClientConfig> & { endpoint: string; credentials: typeof LOCAL_CREDENTIALS } {
  return { ...resolverClientConfig(config), endpoint, credentials: LOCAL_CREDENTIALS };
}

/**
 * The SDK calls alone: the requests the handler made, sent again with the same number in
 * flight, by clients configured as the handler's, to stand-ins that answer at once.
 * Returns one timed replay per call.
 */
function sdkReplay(observed: Observed, endpoints: StandIns['instant'], config: ResolverConfig): { replay: () => Promise<unknown>; destroy: () => void } {
  const dynamodb = new DynamoDBClient(clientConfig(config, endpoints.dynamodb));
  const eventBridge = new EventBridgeClient(clientConfig(config, endpoints.eventBridge));
  const puts = (observed.bodies.PutItem ?? []) as PutItemCommandInput[];
  const putEvents = ((observed.bodies.PutEvents ?? []) as { Entries: (PutEventsRequestEntry & { Time: number })[] }[]).map((body) => body.Entries.map((entry) => ({ ...entry, Time: new Date(entry.Time * 1000) })));
  const sends = [...puts.map((input) => () => dynamodb.send(new PutItemCommand(input))), ...putEvents.map((Entries) => () => eventBridge.send(new PutEventsCommand({ Entries })))];
  return {
    replay: () => mapConcurrently(sends, config.concurrency, (send) => send()),
    destroy: () => {
      dynamodb.destroy();
      eventBridge.destroy();
    },
  };
}

export default {
  title: 'resolver: 1,000 records (90 % successors, 10 % conflicts, 200 keys), DynamoDB answering after 10 ms',
  goals: GOALS,
  run: (): Promise<Record<string, number | string | boolean>> => withoutMetricsOutput(measure),
};

async function measure(): Promise<Record<string, number | string | boolean>> {
  const standIns = await startStandIns();
  const config = CONFIG;
  const dynamodb = new DynamoDBClient(clientConfig(config, standIns.delayed.dynamodb));
  const eventBridge = new EventBridgeClient(clientConfig(config, standIns.delayed.eventBridge));
  const sqs = new SQSClient(clientConfig(config, 'http://127.0.0.1:9'));
  try {
    // Lambda ships logs asynchronously; here they would be written to this process's stdout.
    const handler = createResolverHandler({ config, rules: exampleRules, dynamodb, eventBridge, sqs, logger: new Logger({ logLevel: 'SILENT' }), metrics: new Metrics({ namespace: 'ConcordBench', serviceName: 'concord-resolver' }) });
    const event = mixedBatch();
    const timeRun = async (): Promise<number> => {
      await standIns.reset();
      let failures = 0;
      const ms = await timeAsync(async () => {
        failures = (await handler(event, LAMBDA_CONTEXT)).batchItemFailures.length;
      });
      if (failures > 0) throw new Error(`the benchmark batch failed ${failures} records`);
      return ms;
    };

    await timeRun();
    const observed = await standIns.observed();
    const sdk = sdkReplay(observed, standIns.instant, config);
    const roundTrips = (observed.calls.PutItem ?? 0) + (observed.calls.GetItem ?? 0);
    const latencyIdealMs = (roundTrips * LATENCY_MS) / config.concurrency;
    const entries = (observed.bodies.PutEvents ?? []).reduce((sum: number, body) => sum + (body as { Entries: unknown[] }).Entries.length, 0);
    try {
      for (let round = 0; round < WARM_UP_ROUNDS; round += 1) {
        await timeRun();
        await sdk.replay();
      }
      const delaysMs: number[] = [];
      const runs = await medianOfRuns(
        RUNS,
        async () => {
          // Interleaved, so that drift in the machine's load hits both alike.
          const batchSamples: number[] = [];
          const sdkSamples: number[] = [];
          for (let round = 0; round < ROUNDS; round += 1) {
            batchSamples.push(await timeRun());
            delaysMs.push(...(await standIns.delays()));
            sdkSamples.push(await timeAsync(sdk.replay));
          }
          const batchMs = median(batchSamples);
          const sdkMs = median(sdkSamples);
          return { resolverRecordsPerSecond: (event.Records.length * 1000) / batchMs, resolverEfficiency: Math.max(latencyIdealMs, sdkMs) / batchMs, resolverBatchMs: batchMs, resolverSdkCallsMs: sdkMs };
        },
        ['resolverEfficiency'],
      );
      const { resolverRecordsPerSecond, resolverEfficiency, ...rest } = runs;
      return {
        resolverRecordsPerSecond: resolverRecordsPerSecond as number,
        resolverEfficiency: resolverEfficiency as number,
        putEventsEntriesPerCall: entries / (observed.calls.PutEvents ?? 1),
        ...rest,
        resolverLatencyIdealMs: latencyIdealMs,
        resolverStandInLatencyMs: delaysMs.reduce((sum, delay) => sum + delay, 0) / delaysMs.length,
        resolverDynamoRoundTrips: roundTrips,
        resolverConcurrency: config.concurrency,
        resolverRuns: RUNS,
        resolverRoundsPerRun: ROUNDS,
      };
    } finally {
      sdk.destroy();
    }
  } finally {
    dynamodb.destroy();
    eventBridge.destroy();
    sqs.destroy();
    await standIns.close();
  }
}
