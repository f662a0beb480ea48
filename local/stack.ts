/**
 * The local stack behind `npm run local`: dynalite with Concord's table, local SQS
 * queues (quarantine, 256 KiB messages as deployed, and the resolver's on-failure
 * destination), a local S3 payload bucket, local EventBridge buses (a regional audit bus
 * forwarding Concord's events to the central one) and the central audit log group that
 * keeps the central bus's events (local CloudWatch Logs), plus the environment that
 * points the AWS SDK (the resolver, `serverless invoke local`, the `concord` CLI, the AWS
 * CLI) at them.
 */
import { existsSync } from 'node:fs';
import { startLocalCloudWatchLogs, type LocalCloudWatchLogs } from './cloudwatch-logs';
import { concordTableDefinition, startLocalDynamo, type LocalDynamo } from './dynamodb';
import { startLocalEventBridge, type DroppedEvent, type LocalEventBridge, type ReceivedEvent } from './eventbridge';
import { LOCAL_CREDENTIALS } from './client-config';
import { startLocalS3, type LocalS3, type StoredObject } from './s3';
import { seedTable } from './seed';
import { DEFAULT_MAX_MESSAGE_BYTES, startLocalSqs, type LocalSqs, type QueueMessage } from './sqs';

/** Resource names of the `dev` stage, as `serverless.yml` names them. */
export const LOCAL_STACK_NAMES = {
  table: 'concord-dev',
  quarantineQueue: 'concord-quarantine-dev',
  payloadBucket: 'concord-payloads-dev',
  onFailureQueue: 'concord-resolver-failures-dev',
  auditBus: 'concord-audit-dev',
  centralBus: 'concord-audit-central-dev',
  forwardingRule: 'concord-audit-to-central-dev',
  auditLogGroup: '/aws/events/concord-audit-dev',
  auditSource: 'concord',
} as const;

/** Options of {@link startLocalStack}. */
export interface LocalStackOptions {
  /** Region of the table, queue and regional bus (default `us-east-1`). */
  readonly region?: string;
  /** Region of the central bus (default: `region`). */
  readonly auditRegion?: string;
  /** Ports on 127.0.0.1; 0 or omitted picks a free one. */
  readonly ports?: { readonly dynamodb?: number; readonly eventbridge?: number; readonly sqs?: number; readonly s3?: number; readonly logs?: number };
  /** Items to seed the table with (see ./seed.ts); skipped when the file does not exist. */
  readonly seedFile?: string;
  /** Called for each event reaching the central bus. */
  readonly onCentralEvent?: (event: ReceivedEvent) => void;
  /** Called for each message sent to the quarantine queue. */
  readonly onQuarantined?: (message: QueueMessage) => void;
  /** Called for each payload written to the payload bucket. */
  readonly onPayload?: (object: StoredObject) => void;
  /** Called for each accepted event that reached no bus (a wrong bus name). */
  readonly onDropped?: (dropped: DroppedEvent) => void;
}

/** The running stack. */
export interface LocalStack {
  readonly dynamo: LocalDynamo;
  readonly eventBridge: LocalEventBridge;
  readonly sqs: LocalSqs;
  readonly s3: LocalS3;
  readonly logs: LocalCloudWatchLogs;
  /** Environment variables pointing the AWS SDK and Concord at the stack. */
  readonly env: Readonly<Record<string, string>>;
  /** Items seeded into the table. */
  readonly seeded: number;
  close(): Promise<void>;
}

/**
 * Starts the local stack; on a failure, closes whatever had started.
 *
 * @example
 * const stack = await startLocalStack({ region: 'us-east-1' }); // ports picked freely
 * process.stdout.write(formatExports(stack.env));
 * await stack.close();
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const region = options.region ?? 'us-east-1';
  const auditRegion = options.auditRegion ?? region;
  const started: { close(): Promise<void> }[] = [];
  const closeAll = async (): Promise<void> => {
    for (const server of started.splice(0).reverse()) await server.close();
  };
  try {
    const dynamo = await startLocalDynamo({ port: options.ports?.dynamodb, region, tables: [concordTableDefinition(LOCAL_STACK_NAMES.table)] });
    started.push(dynamo);
    const sqs = await startLocalSqs({
      port: options.ports?.sqs,
      region,
      onMessage: (message) => {
        if (message.queue.name === LOCAL_STACK_NAMES.quarantineQueue) options.onQuarantined?.(message);
      },
    });
    started.push(sqs);
    const logs = await startLocalCloudWatchLogs({ port: options.ports?.logs, region: auditRegion });
    started.push(logs);
    logs.createLogGroup(LOCAL_STACK_NAMES.auditLogGroup, auditRegion);
    const eventBridge = await startLocalEventBridge({
      port: options.ports?.eventbridge,
      region,
      onEvent: (received) => {
        if (received.bus.name !== LOCAL_STACK_NAMES.centralBus || received.bus.region !== auditRegion) return;
        // The audit region's rule targets the log group (resources/audit-central.yml): each event, as JSON.
        logs.append(LOCAL_STACK_NAMES.auditLogGroup, JSON.stringify(received.event), { region: auditRegion, timestamp: Date.parse(received.event.time) });
        options.onCentralEvent?.(received);
      },
      onDropped: options.onDropped,
    });
    started.push(eventBridge);
    const s3 = await startLocalS3({ port: options.ports?.s3, region, onObject: options.onPayload });
    started.push(s3);

    const queueUrl = sqs.createQueue(LOCAL_STACK_NAMES.quarantineQueue, region, { MaximumMessageSize: String(DEFAULT_MAX_MESSAGE_BYTES) });
    const onFailureQueueUrl = sqs.createQueue(LOCAL_STACK_NAMES.onFailureQueue, region);
    s3.createBucket(LOCAL_STACK_NAMES.payloadBucket);
    eventBridge.createBus(LOCAL_STACK_NAMES.auditBus, region);
    eventBridge.createBus(LOCAL_STACK_NAMES.centralBus, auditRegion);
    eventBridge.putRule({
      name: LOCAL_STACK_NAMES.forwardingRule,
      bus: LOCAL_STACK_NAMES.auditBus,
      region,
      pattern: { source: [LOCAL_STACK_NAMES.auditSource] },
      targets: [eventBridge.busArn(LOCAL_STACK_NAMES.centralBus, auditRegion)],
    });
    const seeded = options.seedFile !== undefined && existsSync(options.seedFile) ? await seedTable(dynamo, LOCAL_STACK_NAMES.table, options.seedFile) : 0;

    const env = {
      AWS_REGION: region,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: logs.endpoint,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      CONCORD_TABLE: LOCAL_STACK_NAMES.table,
      CONCORD_AUDIT_BUS: LOCAL_STACK_NAMES.auditBus,
      CONCORD_QUARANTINE_QUEUE_URL: queueUrl,
      CONCORD_PAYLOAD_BUCKET: LOCAL_STACK_NAMES.payloadBucket,
      CONCORD_ON_FAILURE_QUEUE_URL: onFailureQueueUrl,
      CONCORD_AUDIT_REGION: auditRegion,
      CONCORD_AUDIT_LOG_GROUP: LOCAL_STACK_NAMES.auditLogGroup,
    };
    return { dynamo, eventBridge, sqs, s3, logs, env, seeded, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

const SHELL_SAFE = /^[A-Za-z0-9_./:@%+=,-]*$/;

/**
 * Formats variables as `export NAME=value` lines for a POSIX shell, quoting values
 * that need it.
 *
 * @example
 * formatExports({ AWS_REGION: 'us-east-1' }); // 'export AWS_REGION=us-east-1\n'
 */
export function formatExports(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([name, value]) => `export ${name}=${SHELL_SAFE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`}\n`)
    .join('');
}
