/**
 * The typed error hierarchy of Concord. Every error sets `name` to a literal (class
 * names do not survive minification), carries the context needed to act on it, and
 * keeps its `cause`.
 */

/** Base class of every error Concord throws on purpose. */
export class ConcordError extends Error {
  override readonly name: string = 'ConcordError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A DynamoDB attribute value that is not one of the ten wire types, or breaks a type's rules. */
export class MalformedAttributeError extends ConcordError {
  override readonly name = 'MalformedAttributeError';
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`malformed attribute value at ${path}: ${reason}`, options);
  }
}

/** The `_cc` envelope of an item is missing a field or holds a value of the wrong shape. */
export class EnvelopeError extends ConcordError {
  override readonly name = 'EnvelopeError';
  constructor(
    readonly key: string,
    readonly field: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`malformed envelope on item ${key} at ${field}: ${reason}`, options);
  }
}

/** A stream record that lacks what every DynamoDB stream record carries. */
export class MalformedRecordError extends ConcordError {
  override readonly name = 'MalformedRecordError';
  constructor(
    readonly eventId: string | undefined,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`malformed stream record ${eventId ?? '(no eventID)'}: ${reason}`, options);
  }
}

/** A rule set that fails validation when it is loaded. */
export class RuleValidationError extends ConcordError {
  override readonly name = 'RuleValidationError';
  constructor(
    readonly entity: string,
    readonly attribute: string | undefined,
    readonly reason: string,
  ) {
    super(`invalid rules: entity "${entity}"${attribute === undefined ? '' : ` attribute "${attribute}"`}: ${reason}`);
  }
}

/** A rule that cannot be applied to the data it meets (a throwing custom merge, a counter holding a string). */
export class RuleApplicationError extends ConcordError {
  override readonly name = 'RuleApplicationError';
  constructor(
    readonly entity: string,
    readonly attribute: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`rule of entity "${entity}" attribute "${attribute}" failed: ${reason}`, options);
  }
}

/** A write whose change the rule set forbids, or whose clock does not advance the item. */
export class InvalidWriteError extends ConcordError {
  override readonly name = 'InvalidWriteError';
  constructor(
    readonly attribute: string | undefined,
    readonly reason: string,
  ) {
    super(attribute === undefined ? `invalid write: ${reason}` : `invalid write of "${attribute}": ${reason}`);
  }
}

/** A clock string that is not `<13 digits>.<5 digits>.<region>`. */
export class ClockFormatError extends ConcordError {
  override readonly name = 'ClockFormatError';
  constructor(readonly value: unknown) {
    super(`not a Concord clock (want <13-digit ms>.<5-digit counter>.<region>): ${JSON.stringify(value)}`);
  }
}

// --- Resolver (functions/resolver, shared/resolver) ---

/** An environment variable of the resolver that is missing or holds an unusable value; fails the cold start. */
export class ConfigurationError extends ConcordError {
  override readonly name = 'ConfigurationError';
  constructor(
    readonly variable: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`invalid configuration: ${variable} ${reason}`, options);
  }
}

/** An invocation event that is not a DynamoDB stream event (no `Records` list). */
export class MalformedEventError extends ConcordError {
  override readonly name = 'MalformedEventError';
  constructor(readonly reason: string) {
    super(`not a DynamoDB stream event: ${reason}`);
  }
}

/** A merged item larger than DynamoDB's item limit: it can never be written, so its record is quarantined. */
export class ItemTooLargeError extends ConcordError {
  override readonly name = 'ItemTooLargeError';
  constructor(
    readonly key: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
    options?: { cause?: unknown },
  ) {
    super(`merged item ${key} is ${sizeBytes} bytes, over DynamoDB's ${limitBytes}-byte item limit`, options);
  }
}

/** A record that could not be sent to the quarantine queue; it fails so that nothing is dropped. */
export class QuarantineError extends ConcordError {
  override readonly name = 'QuarantineError';
  constructor(
    readonly eventId: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`could not quarantine record ${eventId ?? '(no eventID)'}: ${messageOf(options?.cause)}`, options);
  }
}

/** An audit event that EventBridge did not accept after every attempt; its record fails and is retried. */
export class AuditPublishError extends ConcordError {
  override readonly name = 'AuditPublishError';
  constructor(
    readonly errorCode: string,
    readonly reason: string,
    readonly attempts: number,
  ) {
    super(`audit event not published after ${attempts} attempt(s): ${errorCode}: ${reason}`);
  }
}

/** A failed record without a `SequenceNumber` cannot be named in a partial batch response: the whole batch fails. */
export class UnreportableFailureError extends ConcordError {
  override readonly name = 'UnreportableFailureError';
  constructor(
    readonly eventId: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`record ${eventId ?? '(no eventID)'} failed and has no SequenceNumber to report; failing the whole batch`, options);
  }
}

/**
 * A request that DynamoDB or EventBridge refused as invalid (`ValidationException`, or
 * a PutEvents entry error about the entry itself): the same request fails on every
 * delivery, so its record is quarantined instead of retried.
 */
export class InvalidRequestError extends ConcordError {
  override readonly name = 'InvalidRequestError';
  constructor(
    readonly service: string,
    readonly operation: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`${service} refused ${operation} as invalid (${code}): ${messageOf(options?.cause)}`, options);
  }
}

/**
 * Every record of a batch that failed, failed because an AWS endpoint could not be
 * reached: the invocation fails as a whole (so `serverless invoke local` against a
 * stopped local stack exits non-zero, naming the endpoint).
 */
export class EndpointUnreachableError extends ConcordError {
  override readonly name = 'EndpointUnreachableError';
  constructor(
    readonly records: number,
    options?: { cause?: unknown },
  ) {
    super(`${records} record(s) failed because an endpoint could not be reached: ${messageOf(options?.cause)}`, options);
  }
}

/** A record left for the next invocation: the remaining time ran low before its key could start. */
export class DeadlineReachedError extends ConcordError {
  override readonly name = 'DeadlineReachedError';
  constructor(readonly remainingMs: number) {
    super(`not started: ${remainingMs} ms of the invocation were left, less than the reserve kept for publishing and answering`);
  }
}

/**
 * A record that kept failing for a reason a retry could cure, until it was older than
 * CONCORD_GIVE_UP_AFTER_SECONDS: the resolver quarantines it rather than let it hold its
 * shard until the stream drops it.
 */
export class RetryBudgetExhaustedError extends ConcordError {
  override readonly name = 'RetryBudgetExhaustedError';
  constructor(
    readonly ageSeconds: number,
    readonly budgetSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(`still failing ${ageSeconds} s after the record was written (budget ${budgetSeconds} s): ${messageOf(options?.cause)}`, options);
  }
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
// --- end resolver ---

/** A key that is not exactly the table's key attributes, each a string, number or binary. */
export class InvalidKeyError extends ConcordError {
  override readonly name = 'InvalidKeyError';
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`invalid key ${key}: ${reason}`);
  }
}

/**
 * A write that kept losing the race for its item: every conditional write of the retry
 * budget failed. Shared by the writer library and the resolver (whose record is then retried).
 */
export class WriteContentionError extends ConcordError {
  override readonly name = 'WriteContentionError';
  constructor(
    readonly key: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`write to item ${key} gave up after ${attempts} attempts: other writes changed the item between each read and conditional write`, options);
  }
}

// --- operations (the concord CLI, cli/) ---

/** A `concord` command line that cannot be run: an unknown flag, a missing or malformed argument. */
export class CommandLineError extends ConcordError {
  override readonly name = 'CommandLineError';
  constructor(
    /** The flag or argument at fault, e.g. `--pick` or `<key>`. */
    readonly argument: string,
    readonly reason: string,
  ) {
    super(`${argument}: ${reason}`);
  }
}

/** An operator's resolution that cannot be made as asked: nothing to resolve, an unknown sibling, an item that kept changing. */
export class ResolutionRefusedError extends ConcordError {
  override readonly name = 'ResolutionRefusedError';
  constructor(
    readonly key: string,
    readonly attribute: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot resolve "${attribute}" of item ${key}: ${reason}`, options);
  }
}

/** Stream records that an on-failure message names and the stream no longer returns (past its 24-hour retention, or the shard is gone). */
export class StreamRecordsUnavailableError extends ConcordError {
  override readonly name = 'StreamRecordsUnavailableError';
  constructor(
    readonly streamArn: string,
    readonly shardId: string,
    readonly firstSequenceNumber: string,
    readonly lastSequenceNumber: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`records ${firstSequenceNumber}..${lastSequenceNumber} of shard ${shardId} are not available: ${reason}`, options);
  }
}

/** A queue message in no format the CLI knows (neither a quarantine message nor an on-failure destination message). */
export class UnreadableMessageError extends ConcordError {
  override readonly name = 'UnreadableMessageError';
  constructor(
    readonly messageId: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`message ${messageId}: ${reason}`, options);
  }
}

/** A quarantined record stored apart (an S3 pointer in its message) that could not be read. */
export class PayloadUnavailableError extends ConcordError {
  override readonly name = 'PayloadUnavailableError';
  constructor(
    readonly bucket: string,
    readonly objectKey: string,
    options?: { cause?: unknown },
  ) {
    super(`the payload s3://${bucket}/${objectKey} could not be read: ${messageOf(options?.cause)}`, options);
  }
}
// --- end operations ---

// --- deployment (CloudFormation custom resources) ---
/**
 * A deploy-time custom resource gave up waiting: the AWS resource it waits for (a
 * replica's stream, a replica key) did not reach the state needed before the deadline.
 */
export class DeploymentWaitError extends ConcordError {
  override readonly name = 'DeploymentWaitError';
  constructor(
    readonly resource: string,
    readonly awaited: string,
    readonly lastSeen: string,
  ) {
    super(`gave up waiting for ${resource} to be ${awaited} (last seen: ${lastSeen})`);
  }
}
// --- end deployment ---
