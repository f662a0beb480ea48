/**
 * The resolver's configuration: read from the environment once, at cold start, and
 * validated there, so a deployment mistake fails the first invocation with the
 * variable's name instead of misbehaving on the stream.
 */
import { ConfigurationError } from '../errors';

/** Which regions resolve a conflict (docs/design.md §3). */
export const ResolveIn = {
  /** Every region whose stream shows the conflict resolves it (the default). */
  Any: 'any',
  /** Only the region that wrote the old image (`O.by`): fewer writes, less redundancy. */
  Origin: 'origin',
} as const;
export type ResolveIn = (typeof ResolveIn)[keyof typeof ResolveIn];

/** The validated configuration of one resolver. */
export interface ResolverConfig {
  /** `CONCORD_TABLE`: the table whose stream this resolver reads and writes back to. */
  readonly table: string;
  /** `AWS_REGION`: the resolver's region; its writes and audit events carry it. */
  readonly region: string;
  /** `CONCORD_AUDIT_BUS`: name or ARN of the regional audit event bus. */
  readonly auditBus: string;
  /** `CONCORD_AUDIT_SOURCE`: the `Source` of every audit event. */
  readonly auditSource: string;
  /** `CONCORD_QUARANTINE_QUEUE_URL`: the SQS queue for records that can never succeed. */
  readonly quarantineQueueUrl: string;
  /** `CONCORD_RESOLVE_IN`. */
  readonly resolveIn: ResolveIn;
  /** `CONCORD_CONCURRENCY`: keys processed in parallel within a batch. */
  readonly concurrency: number;
  /** `CONCORD_MAX_WRITE_ATTEMPTS`: conditional writes of one resolution before its record fails. */
  readonly maxWriteAttempts: number;
  /** `CONCORD_MAX_PUBLISH_ATTEMPTS`: PutEvents attempts of one audit event before its record fails. */
  readonly maxPublishAttempts: number;
  /** `CONCORD_RETRY_BASE_MS`: first backoff step of write and publish retries (full jitter). */
  readonly retryBaseMs: number;
  /** `CONCORD_RETRY_MAX_MS`: cap of one backoff step. */
  readonly retryMaxMs: number;
  /** `CONCORD_PAYLOAD_BUCKET`: S3 bucket for quarantined records a queue message cannot hold exactly (too large, or masked by redaction). */
  readonly payloadBucket?: string;
  /** `CONCORD_QUARANTINE_MAX_MESSAGE_BYTES`: the quarantine queue's MaximumMessageSize; larger payloads go to the bucket. */
  readonly quarantineMaxMessageBytes: number;
  /** `CONCORD_REQUEST_TIMEOUT_MS`: longest wait for one AWS SDK request (each attempt) before it fails. */
  readonly requestTimeoutMs: number;
  /** `CONCORD_DEADLINE_RESERVE_MS`: time kept for publishing and answering; no key starts with less left, and calls still running at half of it are abandoned. */
  readonly deadlineReserveMs: number;
  /** `CONCORD_GIVE_UP_AFTER_SECONDS`: a record still failing for a transient reason this long after its creation is quarantined instead of retried. */
  readonly giveUpAfterSeconds: number;
}

/** Defaults of the optional variables. */
export const CONFIG_DEFAULTS = {
  auditSource: 'concord',
  resolveIn: ResolveIn.Any,
  concurrency: 16,
  maxWriteAttempts: 5,
  maxPublishAttempts: 5,
  retryBaseMs: 25,
  retryMaxMs: 1_000,
  /** SQS's default and the queue's setting (resources/queues.yml). */
  quarantineMaxMessageBytes: 256 * 1024,
  requestTimeoutMs: 5_000,
  deadlineReserveMs: 10_000,
  /** 50 minutes: well inside the stream's 24 h, and past any throttling or outage a retry outlasts. */
  giveUpAfterSeconds: 3_000,
} as const;

// The characters AWS allows in each name; checked here so a typo fails at cold start, not on the first conflict.
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const REGION = /^[A-Za-z0-9_-]+$/;
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
const BUS_ARN = /^arn:aws[\w-]*:events:[\w-]+:\d{12}:event-bus\/[/.\-_A-Za-z0-9]{1,256}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Reads and validates the resolver's configuration.
 *
 * @throws ConfigurationError naming the variable and what is wrong with it
 * @example
 * const config = loadConfig(); // at module scope: a bad variable fails the cold start
 * config.concurrency;         // 16 unless CONCORD_CONCURRENCY says otherwise
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ResolverConfig {
  const read = new EnvironmentReader(env);
  const config: ResolverConfig = {
    table: read.required('CONCORD_TABLE', TABLE_NAME, 'must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)'),
    region: read.required('AWS_REGION', REGION, 'must be a region name such as us-east-1'),
    auditBus: read.required('CONCORD_AUDIT_BUS', (value) => BUS_NAME.test(value) || BUS_ARN.test(value), 'must be an event bus name or ARN'),
    auditSource: read.optional('CONCORD_AUDIT_SOURCE', CONFIG_DEFAULTS.auditSource, isEventSource, 'must be 1-256 characters and not start with "aws." (reserved for AWS services)'),
    quarantineQueueUrl: read.required('CONCORD_QUARANTINE_QUEUE_URL', isHttpUrl, 'must be an http(s) SQS queue URL'),
    resolveIn: read.choice('CONCORD_RESOLVE_IN', Object.values(ResolveIn), CONFIG_DEFAULTS.resolveIn),
    concurrency: read.integer('CONCORD_CONCURRENCY', CONFIG_DEFAULTS.concurrency, 1, 100),
    maxWriteAttempts: read.integer('CONCORD_MAX_WRITE_ATTEMPTS', CONFIG_DEFAULTS.maxWriteAttempts, 1, 20),
    maxPublishAttempts: read.integer('CONCORD_MAX_PUBLISH_ATTEMPTS', CONFIG_DEFAULTS.maxPublishAttempts, 1, 20),
    retryBaseMs: read.integer('CONCORD_RETRY_BASE_MS', CONFIG_DEFAULTS.retryBaseMs, 0, 10_000),
    retryMaxMs: read.integer('CONCORD_RETRY_MAX_MS', CONFIG_DEFAULTS.retryMaxMs, 0, 60_000),
    payloadBucket: read.optionalMatching('CONCORD_PAYLOAD_BUCKET', BUCKET_NAME, 'must be an S3 bucket name (3-63 of a-z 0-9 . -)'),
    quarantineMaxMessageBytes: read.integer('CONCORD_QUARANTINE_MAX_MESSAGE_BYTES', CONFIG_DEFAULTS.quarantineMaxMessageBytes, 1_024, 1_048_576),
    requestTimeoutMs: read.integer('CONCORD_REQUEST_TIMEOUT_MS', CONFIG_DEFAULTS.requestTimeoutMs, 100, 60_000),
    deadlineReserveMs: read.integer('CONCORD_DEADLINE_RESERVE_MS', CONFIG_DEFAULTS.deadlineReserveMs, 0, 300_000),
    giveUpAfterSeconds: read.integer('CONCORD_GIVE_UP_AFTER_SECONDS', CONFIG_DEFAULTS.giveUpAfterSeconds, 60, 86_400),
  };
  if (config.retryMaxMs < config.retryBaseMs) {
    throw new ConfigurationError('CONCORD_RETRY_MAX_MS', `must be at least CONCORD_RETRY_BASE_MS (${config.retryBaseMs}), got ${config.retryMaxMs}`);
  }
  return Object.freeze(config);
}

function isEventSource(value: string): boolean {
  return value.length <= 256 && !value.startsWith('aws.');
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Reads variables with one error shape: the variable, the reason and the value seen. */
class EnvironmentReader {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  required(name: string, valid: RegExp | ((value: string) => boolean), reason: string): string {
    const value = this.value(name);
    if (value === undefined) throw new ConfigurationError(name, 'is required but not set');
    return this.check(name, value, valid, reason);
  }

  optional(name: string, fallback: string, valid: (value: string) => boolean, reason: string): string {
    const value = this.value(name);
    return value === undefined ? fallback : this.check(name, value, valid, reason);
  }

  optionalMatching(name: string, valid: RegExp, reason: string): string | undefined {
    const value = this.value(name);
    return value === undefined ? undefined : this.check(name, value, valid, reason);
  }

  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const value = this.value(name);
    if (value === undefined) return fallback;
    if (!(choices as readonly string[]).includes(value)) throw new ConfigurationError(name, `must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
    return value as T;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.value(name);
    if (value === undefined) return fallback;
    const number = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(number) || number < min || number > max) {
      throw new ConfigurationError(name, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
    return number;
  }

  /** The trimmed value; an empty variable counts as unset (as `serverless.yml` renders a missing parameter). */
  private value(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  private check(name: string, value: string, valid: RegExp | ((value: string) => boolean), reason: string): string {
    const ok = typeof valid === 'function' ? valid(value) : valid.test(value);
    if (!ok) throw new ConfigurationError(name, `${reason}, got ${JSON.stringify(value)}`);
    return value;
  }
}
