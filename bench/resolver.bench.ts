/**
 * The resolver on a batch of 100 conflicts on 100 keys, against the local DynamoDB
 * endpoint with 5 ms added to every call (and local EventBridge and SQS):
 *
 * - `batchSpeedup`: time with CONCORD_CONCURRENCY=1 (one key after another) ÷ time
 *   with the default concurrency. Goal ≥ 20.
 * - `putEventsEntriesPerCall`: audit entries per PutEvents call for that batch. Goal ≥ 9.
 *
 * What bounds the speedup: each conflict costs one PutItem, so with C keys in flight
 * the ideal is C×, but the client's CPU per conflict (AWS SDK request pipeline and
 * signing, HTTP, the merge, the audit entry: about 0.7 ms here) runs on one event loop
 * and does not overlap; the ratio tends to (5 ms + per-call cost) ÷ CPU per conflict.
 *
 * The DynamoDB endpoint (dynalite behind the latency proxy) runs in a worker thread:
 * its CPU is the database's, on AWS's side of the wire, and must not queue behind the
 * resolver on one event loop. Rounds of both settings are interleaved; the table is
 * re-seeded before each run (not timed), so every run resolves the same 100 conflicts.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import exampleRules from '../rules/example';
import { CONFIG_DEFAULTS, createResolverHandler, loadConfig, type ResolverConfig } from '../shared/resolver';
import { toSdkItem } from '../shared/resolver/sdk-item';
import type { AttributeMap } from '../shared/dynamodb/attribute-value';
import { LOCAL_CREDENTIALS, startLocalEventBridge, startLocalSqs } from '../local';
import { LAMBDA_CONTEXT } from '../test/helpers/resolver-harness';
import { conflictRecord, LOCAL_REGION, stockConflict, Writers } from '../test/helpers/resolver-records';
import { timeAsync } from './harness';

const CONFLICTS = 100;
const LATENCY_MS = 5;
const ROUNDS = 5;
const TABLE = 'concord-bench';
const BUS = 'concord-audit-bench';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Metrics that print nothing (they would go to this process's stdout). */
function quietMetrics(): Metrics {
  const previous = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    return new Metrics({ namespace: 'ConcordBench', serviceName: 'concord-resolver' });
  } finally {
    if (previous === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = previous;
  }
}

/** 100 stock conflicts on 100 keys: the batch, and the new images the table must hold. */
function conflictBatch(): { event: DynamoDBStreamEvent; seed: AttributeMap[] } {
  const writers = new Writers();
  const conflicts = Array.from({ length: CONFLICTS }, (_, i) => stockConflict(writers, `STOCK#${i}`));
  return { event: { Records: conflicts.map((versions, i) => conflictRecord(versions, i + 1)) }, seed: conflicts.map((versions) => versions.remote) };
}

/** The local DynamoDB endpoint, hosted by a worker thread (TypeScript loaded there through tsx). */
interface WorkerDynamo {
  readonly endpoint: string;
  /** dynalite itself: seeding bypasses the added latency. */
  readonly rawEndpoint: string;
  close(): Promise<void>;
}

const DYNAMO_WORKER = `
require('tsx/cjs');
const { parentPort, workerData } = require('node:worker_threads');
const { startLocalDynamo, concordTableDefinition } = require(workerData.local);
startLocalDynamo({ region: workerData.region, tables: [concordTableDefinition(workerData.table)], latencyMs: workerData.latencyMs }).then((dynamo) => {
  parentPort.postMessage({ endpoint: dynamo.endpoint, rawEndpoint: dynamo.rawEndpoint });
  parentPort.once('message', () => dynamo.close().then(() => parentPort.close()));
});`;

function startWorkerDynamo(): Promise<WorkerDynamo> {
  const worker = new Worker(DYNAMO_WORKER, {
    eval: true,
    workerData: { local: join(__dirname, '..', 'local', 'index.ts'), region: LOCAL_REGION, table: TABLE, latencyMs: LATENCY_MS },
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (endpoints: { endpoint: string; rawEndpoint: string }) =>
      resolve({
        ...endpoints,
        close: () => {
          worker.postMessage('close');
          return new Promise((closed) => worker.once('exit', () => closed()));
        },
      }),
    );
  });
}

export default {
  title: 'resolver: 100 conflicts on 100 keys, 5 ms per DynamoDB call',
  async run(): Promise<Record<string, number | string | boolean>> {
    const dynamo = await startWorkerDynamo();
    const dynamodb = new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const seeder = new DynamoDBClient({ endpoint: dynamo.rawEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const eventBridge = await startLocalEventBridge({ region: LOCAL_REGION });
    const sqs = await startLocalSqs({ region: LOCAL_REGION });
    try {
      eventBridge.createBus(BUS, LOCAL_REGION);
      const base = loadConfig({
        CONCORD_TABLE: TABLE,
        AWS_REGION: LOCAL_REGION,
        CONCORD_AUDIT_BUS: BUS,
        CONCORD_QUARANTINE_QUEUE_URL: sqs.createQueue('concord-quarantine-bench', LOCAL_REGION),
      });
      // Lambda ships logs and metrics asynchronously; here they would be written to this process's stdout.
      const quiet = { logger: new Logger({ logLevel: 'SILENT' }), metrics: quietMetrics() };
      const handlerWith = (config: Partial<ResolverConfig>) =>
        createResolverHandler({ config: { ...base, ...config }, rules: exampleRules, dynamodb, eventBridge: eventBridge.client(), sqs: sqs.client(), ...quiet });
      const sequential = handlerWith({ concurrency: 1 });
      const concurrent = handlerWith({});
      const { event, seed } = conflictBatch();

      const timeRun = async (handler: typeof sequential): Promise<{ ms: number; calls: number; entries: number }> => {
        for (const item of seed) await seeder.send(new PutItemCommand({ TableName: TABLE, Item: toSdkItem(item) }));
        eventBridge.clearEvents();
        eventBridge.calls.reset();
        let failures = 0;
        const ms = await timeAsync(async () => {
          failures = (await handler(event, LAMBDA_CONTEXT)).batchItemFailures.length;
        });
        const published = eventBridge.events({ name: BUS });
        const resolved = published.filter((received) => received.event['detail-type'] === 'ConflictResolved').length;
        if (failures > 0 || resolved !== CONFLICTS) throw new Error(`the benchmark batch resolved ${resolved} of ${CONFLICTS} conflicts, ${failures} records failed`);
        return { ms, calls: eventBridge.calls.count('PutEvents'), entries: published.length };
      };

      await timeRun(concurrent); // warm up clients, sockets and JIT
      const sequentialMs: number[] = [];
      const concurrentMs: number[] = [];
      let entriesPerCall = 0;
      for (let round = 0; round < ROUNDS; round += 1) {
        sequentialMs.push((await timeRun(sequential)).ms);
        const run = await timeRun(concurrent);
        concurrentMs.push(run.ms);
        entriesPerCall = run.entries / run.calls;
      }
      return {
        batchSpeedup: median(sequentialMs) / median(concurrentMs),
        putEventsEntriesPerCall: entriesPerCall,
        resolverSequentialBatchMs: median(sequentialMs),
        resolverConcurrentBatchMs: median(concurrentMs),
        resolverConcurrency: CONFIG_DEFAULTS.concurrency,
      };
    } finally {
      dynamodb.destroy();
      seeder.destroy();
      await Promise.all([dynamo.close(), eventBridge.close(), sqs.close()]);
    }
  },
};
