/**
 * A local CloudWatch Logs endpoint (AWS JSON 1.1, `X-Amz-Target: Logs_20140328.<Operation>`),
 * for the log group that keeps the central audit bus's events (as the audit region's
 * rule target does on AWS). One server hosts the groups of every region: the caller's
 * region comes from its SigV4 signature. Supported: CreateLogGroup, DescribeLogGroups,
 * CreateLogStream, PutLogEvents and FilterLogEvents (time window, paging, and filter
 * patterns of the one form `{ $.field.path = "value" }`, which is what Concord's tools
 * send); tools in this process append with {@link LocalCloudWatchLogs.append}.
 */
import { randomUUID } from 'node:crypto';
import { CloudWatchLogsClient, type CloudWatchLogsClientConfig } from '@aws-sdk/client-cloudwatch-logs';
import { AwsProtocolError } from './aws-error';
import { CallCounter } from './call-counter';
import { ClientPool, LOCAL_ACCOUNT_ID, localClientConfig } from './client-config';
import { startOperationServer, type OperationHandler } from './http';
import { optionalInteger, optionalString, requiredString } from './params';

/** One log event as stored. */
export interface LogEvent {
  readonly logStreamName: string;
  /** Epoch ms the event is about. */
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
  readonly eventId: string;
}

/** Options of {@link startLocalCloudWatchLogs}. */
export interface LocalCloudWatchLogsOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Region of unsigned calls and of {@link LocalCloudWatchLogs.client} (default `us-east-1`). */
  readonly region?: string;
}

/** A running local CloudWatch Logs endpoint. */
export interface LocalCloudWatchLogs {
  readonly endpoint: string;
  readonly region: string;
  readonly calls: CallCounter;
  /** Creates a log group (idempotent). */
  createLogGroup(name: string, region?: string): void;
  /** Appends one event to a group's stream (created on first use), as an AWS service target would. */
  append(group: string, message: string, options?: { readonly region?: string; readonly stream?: string; readonly timestamp?: number }): void;
  /** A group's events, oldest first. */
  events(group: string, region?: string): LogEvent[];
  /** A client with dummy credentials; destroyed by {@link LocalCloudWatchLogs.close}. */
  client(config?: Partial<CloudWatchLogsClientConfig>): CloudWatchLogsClient;
  close(): Promise<void>;
}

interface LogGroup {
  readonly name: string;
  readonly arn: string;
  readonly created: number;
  readonly streams: Set<string>;
  readonly events: LogEvent[];
}

const MAX_FILTER_LIMIT = 10_000;
const DEFAULT_STREAM = 'events';
// `{ $.detail-type = "ConflictEscalated" }`, `{ $.detail.key.pk = "CART#1" }`
const EQUALITY_PATTERN = /^\{\s*\$\.([A-Za-z0-9_.-]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*\}$/;

const invalidParameter = (message: string): AwsProtocolError => new AwsProtocolError(400, 'InvalidParameterException', message);
const notFound = (message: string): AwsProtocolError => new AwsProtocolError(400, 'ResourceNotFoundException', message);

/**
 * Starts a local CloudWatch Logs endpoint on 127.0.0.1.
 *
 * @example
 * const logs = await startLocalCloudWatchLogs();
 * logs.createLogGroup('/aws/events/concord-audit-test');
 * logs.append('/aws/events/concord-audit-test', JSON.stringify(event));
 * await logs.close();
 */
export async function startLocalCloudWatchLogs(options: LocalCloudWatchLogsOptions = {}): Promise<LocalCloudWatchLogs> {
  const region = options.region ?? 'us-east-1';
  const groups = new Map<string, LogGroup>();
  const calls = new CallCounter();
  const clients = new ClientPool();

  const create = (name: string, groupRegion: string): LogGroup => {
    const id = `${groupRegion}/${name}`;
    let group = groups.get(id);
    if (group === undefined) {
      group = { name, arn: `arn:aws:logs:${groupRegion}:${LOCAL_ACCOUNT_ID}:log-group:${name}`, created: Date.now(), streams: new Set(), events: [] };
      groups.set(id, group);
    }
    return group;
  };
  const find = (name: string, groupRegion: string): LogGroup => {
    const group = groups.get(`${groupRegion}/${name}`);
    if (group === undefined) throw notFound('The specified log group does not exist.');
    return group;
  };
  const append = (group: LogGroup, stream: string, message: string, timestamp: number): void => {
    group.streams.add(stream);
    group.events.push({ logStreamName: stream, timestamp, message, ingestionTime: Date.now(), eventId: randomUUID().replace(/-/g, '') });
  };
  const groupOf = (body: Record<string, unknown>, caller: string): LogGroup => find(optionalString(body, 'logGroupIdentifier', invalidParameter) ?? requiredString(body, 'logGroupName', invalidParameter), caller);

  const operations: Record<string, OperationHandler> = {
    CreateLogGroup: ({ body, region: caller }) => {
      const name = requiredString(body, 'logGroupName', invalidParameter);
      if (groups.has(`${caller}/${name}`)) throw new AwsProtocolError(400, 'ResourceAlreadyExistsException', 'The specified log group already exists');
      create(name, caller);
      return {};
    },
    DescribeLogGroups: ({ body, region: caller }) => {
      const prefix = optionalString(body, 'logGroupNamePrefix', invalidParameter) ?? '';
      const found = [...groups.entries()].filter(([id, group]) => id.startsWith(`${caller}/`) && group.name.startsWith(prefix)).map(([, group]) => group);
      return { logGroups: found.sort((a, b) => a.name.localeCompare(b.name)).map((group) => ({ logGroupName: group.name, arn: `${group.arn}:*`, creationTime: group.created, storedBytes: 0 })) };
    },
    CreateLogStream: ({ body, region: caller }) => {
      const group = find(requiredString(body, 'logGroupName', invalidParameter), caller);
      const stream = requiredString(body, 'logStreamName', invalidParameter);
      if (group.streams.has(stream)) throw new AwsProtocolError(400, 'ResourceAlreadyExistsException', 'The specified log stream already exists');
      group.streams.add(stream);
      return {};
    },
    PutLogEvents: ({ body, region: caller }) => {
      const group = find(requiredString(body, 'logGroupName', invalidParameter), caller);
      const stream = requiredString(body, 'logStreamName', invalidParameter);
      if (!group.streams.has(stream)) throw notFound('The specified log stream does not exist.');
      if (!Array.isArray(body.logEvents) || body.logEvents.length === 0) throw invalidParameter('logEvents must hold at least one event.');
      for (const event of body.logEvents as Record<string, unknown>[]) {
        append(group, stream, requiredString(event, 'message', invalidParameter), optionalInteger(event, 'timestamp', 0, Number.MAX_SAFE_INTEGER, invalidParameter) ?? Date.now());
      }
      return { nextSequenceToken: randomUUID() };
    },
    FilterLogEvents: ({ body, region: caller }) => {
      const group = groupOf(body, caller);
      const start = optionalInteger(body, 'startTime', 0, Number.MAX_SAFE_INTEGER, invalidParameter) ?? 0;
      const end = optionalInteger(body, 'endTime', 0, Number.MAX_SAFE_INTEGER, invalidParameter) ?? Number.MAX_SAFE_INTEGER;
      const limit = optionalInteger(body, 'limit', 1, MAX_FILTER_LIMIT, invalidParameter) ?? MAX_FILTER_LIMIT;
      const matches = compileFilterPattern(optionalString(body, 'filterPattern', invalidParameter) ?? '');
      const offset = Number(optionalString(body, 'nextToken', invalidParameter) ?? '0');
      const selected = group.events
        .filter((event) => event.timestamp >= start && event.timestamp <= end && matches(event.message))
        .sort((a, b) => a.timestamp - b.timestamp || a.ingestionTime - b.ingestionTime);
      const page = selected.slice(offset, offset + limit);
      return { events: page, ...(offset + limit < selected.length ? { nextToken: String(offset + limit) } : {}), searchedLogStreams: [] };
    },
  };

  const server = await startOperationServer({
    port: options.port ?? 0,
    targetPrefix: 'Logs_20140328',
    contentType: 'application/x-amz-json-1.1',
    defaultRegion: region,
    operations,
    calls,
    unsupported: (operation) => new AwsProtocolError(400, 'UnsupportedOperation', `${operation} is not supported by the local CloudWatch Logs`),
  });

  return {
    endpoint: server.url,
    region,
    calls,
    createLogGroup: (name, groupRegion = region) => void create(name, groupRegion),
    append: (name, message, where = {}) => append(find(name, where.region ?? region), where.stream ?? DEFAULT_STREAM, message, where.timestamp ?? Date.now()),
    events: (name, groupRegion = region) => [...(groups.get(`${groupRegion}/${name}`)?.events ?? [])],
    client: (config = {}) => clients.track(new CloudWatchLogsClient({ ...localClientConfig(server.url, region), ...config })),
    async close() {
      clients.destroyAll();
      await server.close();
    },
  };
}

/**
 * A filter pattern as a predicate on a message: empty matches everything; `{ $.a.b = "v" }`
 * matches JSON messages whose field `a.b` is the string `v` (a trailing `*` in `v` matches any rest).
 *
 * @throws AwsProtocolError (InvalidParameterException) for any other pattern
 */
function compileFilterPattern(pattern: string): (message: string) => boolean {
  if (pattern.trim() === '') return () => true;
  const match = EQUALITY_PATTERN.exec(pattern.trim());
  if (match === null) throw invalidParameter(`the local CloudWatch Logs supports only filter patterns of the form { $.field = "value" }, got ${pattern}`);
  const path = (match[1] as string).split('.');
  const wanted = JSON.parse(`"${match[2] as string}"`) as string;
  const equals = wanted.endsWith('*') ? (value: string) => value.startsWith(wanted.slice(0, -1)) : (value: string) => value === wanted;
  return (message) => {
    let value: unknown;
    try {
      value = JSON.parse(message);
    } catch {
      return false;
    }
    for (const step of path) value = value !== null && typeof value === 'object' && Object.hasOwn(value, step) ? (value as Record<string, unknown>)[step] : undefined;
    return typeof value === 'string' && equals(value);
  };
}
