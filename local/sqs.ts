/**
 * A local SQS endpoint speaking the AWS JSON 1.0 protocol that @aws-sdk/client-sqs
 * uses (`X-Amz-Target: AmazonSQS.<Operation>`, errors with the Query-compatible
 * `x-amzn-query-error` header). One server hosts the queues of every region: a queue
 * is found by the caller's region (from its signature) and the name in its URL
 * `http://127.0.0.1:<port>/<account>/<name>`. Supported: CreateQueue, GetQueueUrl,
 * GetQueueAttributes, SendMessage(Batch), ReceiveMessage (long polls capped at
 * `maxWaitMs`), ChangeMessageVisibility(Batch), DeleteMessage(Batch), PurgeQueue.
 * Standard queues only. A message larger than its queue's `MaximumMessageSize` (body and
 * message attributes, counted as SQS counts them; 256 KiB unless the queue says otherwise,
 * up to 1 MiB) is refused.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { AwsProtocolError } from './aws-error';
import { CallCounter } from './call-counter';
import { ClientPool, LOCAL_ACCOUNT_ID, localClientConfig } from './client-config';
import { startOperationServer, type OperationHandler } from './http';
import { optionalInteger, requiredString } from './params';
import { Recorder } from './recorder';
import { md5OfBody, md5OfMessageAttributes, type MessageAttributeValue } from './sqs-md5';

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_BATCH_ENTRIES = 10;
/** The largest `MaximumMessageSize` a queue may have, and the smallest. */
const MAX_MESSAGE_BYTES = 1024 * 1024;
const MIN_MESSAGE_BYTES = 1024;
/** SQS's default `MaximumMessageSize`. */
export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;
const POLL_INTERVAL_MS = 20;
const DEFAULT_QUEUE_ATTRIBUTES: Readonly<Record<string, string>> = {
  VisibilityTimeout: '30',
  DelaySeconds: '0',
  MaximumMessageSize: String(DEFAULT_MAX_MESSAGE_BYTES),
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
};

/** A queue, named by region and name. */
export interface QueueRef {
  readonly region: string;
  readonly name: string;
  readonly url: string;
}

/** A message as stored by the local queue. */
export interface QueueMessage {
  readonly queue: QueueRef;
  readonly messageId: string;
  readonly body: string;
  readonly messageAttributes: Readonly<Record<string, MessageAttributeValue>>;
  readonly sentAt: Date;
  /** How many times it was received so far. */
  readonly receiveCount: number;
}

/** Options of {@link startLocalSqs}. */
export interface LocalSqsOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Region of unsigned calls and of {@link LocalSqs.client} (default `us-east-1`). */
  readonly region?: string;
  /** Longest a ReceiveMessage waits for a message, whatever its WaitTimeSeconds (default 1000). */
  readonly maxWaitMs?: number;
  /** Called for every message accepted by SendMessage or SendMessageBatch. */
  readonly onMessage?: (message: QueueMessage) => void;
}

/** A running local SQS endpoint. */
export interface LocalSqs {
  readonly endpoint: string;
  readonly region: string;
  readonly calls: CallCounter;
  /** Every message ever accepted (deleted ones included), oldest first. */
  readonly sent: Recorder<QueueMessage>;
  /** Creates a queue (idempotent) and returns its URL; `attributes` as CreateQueue takes them (e.g. `MaximumMessageSize`). */
  createQueue(name: string, region?: string, attributes?: Readonly<Record<string, string>>): string;
  /** The URL of a queue, whether or not it exists. */
  queueUrl(name: string): string;
  /** The messages a queue holds now (visible and in flight), oldest first. */
  messages(name: string, region?: string): QueueMessage[];
  /** A client with dummy credentials; destroyed by {@link LocalSqs.close}. */
  client(config?: Partial<SQSClientConfig>): SQSClient;
  close(): Promise<void>;
}

interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly attributes: Record<string, MessageAttributeValue>;
  readonly md5: string;
  readonly sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
}

interface Queue {
  readonly ref: QueueRef;
  readonly arn: string;
  readonly attributes: Record<string, string>;
  readonly created: number;
  messages: StoredMessage[];
}

/** An SQS error: its JSON `__type` and the Query code the SDK maps to an exception class. */
function sqsError(status: number, shape: string, queryCode: string, message: string): AwsProtocolError {
  return new AwsProtocolError(status, `com.amazonaws.sqs#${shape}`, message, { 'x-amzn-query-error': `${queryCode};Sender` });
}

const invalidParameter = (message: string): AwsProtocolError => sqsError(400, 'InvalidParameterValue', 'InvalidParameterValue', message);
const missingParameter = (message: string): AwsProtocolError => sqsError(400, 'MissingParameter', 'MissingParameter', message);
const queueDoesNotExist = (): AwsProtocolError => sqsError(400, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');

/**
 * Starts a local SQS endpoint on 127.0.0.1.
 *
 * @example
 * const sqs = await startLocalSqs({ onMessage: (m) => console.log(m.queue.name, m.body) });
 * const url = sqs.createQueue('concord-quarantine-test');
 * await sqs.client().send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{}' }));
 * await sqs.close();
 */
export async function startLocalSqs(options: LocalSqsOptions = {}): Promise<LocalSqs> {
  const region = options.region ?? 'us-east-1';
  const maxWaitMs = options.maxWaitMs ?? 1000;
  const queues = new Map<string, Queue>();
  const receipts = new Map<string, StoredMessage>();
  const calls = new CallCounter();
  const sent = new Recorder<QueueMessage>();
  const clients = new ClientPool();
  let baseUrl = '';
  let closed = false;

  const urlOf = (name: string): string => `${baseUrl}/${LOCAL_ACCOUNT_ID}/${name}`;

  function createQueue(name: string, queueRegion: string, attributes: Record<string, string>): Queue {
    if (!QUEUE_NAME.test(name)) throw invalidParameter(`Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length: ${name}`);
    const existing = queues.get(`${queueRegion}/${name}`);
    const wanted = { ...DEFAULT_QUEUE_ATTRIBUTES, ...attributes };
    const maxSize = Number(wanted.MaximumMessageSize);
    if (!Number.isInteger(maxSize) || maxSize < MIN_MESSAGE_BYTES || maxSize > MAX_MESSAGE_BYTES) {
      throw invalidParameter(`Invalid value for the parameter MaximumMessageSize. Reason: must be an integer from ${MIN_MESSAGE_BYTES} to ${MAX_MESSAGE_BYTES}.`);
    }
    if (existing !== undefined) {
      if (Object.entries(attributes).some(([key, value]) => existing.attributes[key] !== value)) {
        throw sqsError(400, 'QueueNameExists', 'QueueAlreadyExists', `A queue already exists with the same name and a different value for attribute(s) ${Object.keys(attributes).join(', ')}`);
      }
      return existing;
    }
    const queue: Queue = { ref: { region: queueRegion, name, url: urlOf(name) }, arn: `arn:aws:sqs:${queueRegion}:${LOCAL_ACCOUNT_ID}:${name}`, attributes: wanted, created: Date.now(), messages: [] };
    queues.set(`${queueRegion}/${name}`, queue);
    return queue;
  }

  function queueOf(body: Record<string, unknown>, caller: string): Queue {
    const url = requiredString(body, 'QueueUrl', missingParameter);
    const name = url.split('/').filter(Boolean).pop() ?? '';
    const queue = queues.get(`${caller}/${name}`);
    if (queue === undefined) throw queueDoesNotExist();
    return queue;
  }

  function send(queue: Queue, entry: Record<string, unknown>): StoredMessage {
    const body = requiredString(entry, 'MessageBody', missingParameter);
    const attributes = messageAttributesOf(entry.MessageAttributes);
    const limit = Number(queue.attributes.MaximumMessageSize);
    if (messageSize(body, attributes) > limit) throw invalidParameter(`One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`);
    const delaySeconds = optionalInteger(entry, 'DelaySeconds', 0, 900, invalidParameter) ?? Number(queue.attributes.DelaySeconds);
    const now = Date.now();
    const message: StoredMessage = { id: randomUUID(), body, attributes, md5: md5OfBody(body), sentAt: now, visibleAt: now + delaySeconds * 1000, receiveCount: 0 };
    queue.messages.push(message);
    const snapshot = snapshotOf(queue, message);
    sent.push(snapshot);
    options.onMessage?.(snapshot);
    return message;
  }

  const sendResult = (message: StoredMessage): Record<string, unknown> => ({ MessageId: message.id, MD5OfMessageBody: message.md5, MD5OfMessageAttributes: md5OfMessageAttributes(message.attributes) });

  function deleteByReceipt(queue: Queue, receiptHandle: string): void {
    const message = receipts.get(receiptHandle);
    if (message === undefined) throw sqsError(404, 'ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`);
    // As on AWS, deleting an already deleted message succeeds.
    queue.messages = queue.messages.filter((stored) => stored !== message);
    receipts.delete(receiptHandle);
  }

  function changeVisibility(queue: Queue, entry: Record<string, unknown>): void {
    const receiptHandle = requiredString(entry, 'ReceiptHandle', missingParameter);
    const seconds = optionalInteger(entry, 'VisibilityTimeout', 0, 43200, invalidParameter);
    if (seconds === undefined) throw missingParameter('The request must contain the parameter VisibilityTimeout.');
    const message = receipts.get(receiptHandle);
    if (message === undefined || !queue.messages.includes(message)) throw sqsError(400, 'ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`);
    if (message.visibleAt <= Date.now()) throw sqsError(400, 'MessageNotInflight', 'AWS.SimpleQueueService.MessageNotInflight', 'The message referred to is not in flight.');
    message.visibleAt = Date.now() + seconds * 1000;
  }

  async function receive(queue: Queue, body: Record<string, unknown>): Promise<unknown> {
    const max = optionalInteger(body, 'MaxNumberOfMessages', 1, MAX_BATCH_ENTRIES, invalidParameter) ?? 1;
    const visibility = optionalInteger(body, 'VisibilityTimeout', 0, 43200, invalidParameter) ?? Number(queue.attributes.VisibilityTimeout);
    const waitSeconds = optionalInteger(body, 'WaitTimeSeconds', 0, 20, invalidParameter) ?? Number(queue.attributes.ReceiveMessageWaitTimeSeconds);
    const deadline = Date.now() + Math.min(waitSeconds * 1000, maxWaitMs);
    let visible = queue.messages.filter((message) => message.visibleAt <= Date.now());
    while (visible.length === 0 && Date.now() < deadline && !closed) {
      await sleep(POLL_INTERVAL_MS);
      visible = queue.messages.filter((message) => message.visibleAt <= Date.now());
    }
    const now = Date.now();
    const systemNames = namesOf(body.MessageSystemAttributeNames ?? body.AttributeNames);
    const attributeNames = namesOf(body.MessageAttributeNames);
    const messages = visible.slice(0, max).map((message) => {
      message.visibleAt = now + visibility * 1000;
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      const receiptHandle = randomUUID();
      receipts.set(receiptHandle, message);
      const returned = pickMessageAttributes(message.attributes, attributeNames);
      return {
        MessageId: message.id,
        ReceiptHandle: receiptHandle,
        MD5OfBody: message.md5,
        Body: message.body,
        Attributes: pickSystemAttributes(message, systemNames),
        MessageAttributes: returned,
        MD5OfMessageAttributes: md5OfMessageAttributes(returned),
      };
    });
    return { Messages: messages };
  }

  const operations: Record<string, OperationHandler> = {
    CreateQueue: ({ body, region: caller }) => ({ QueueUrl: createQueue(requiredString(body, 'QueueName', missingParameter), caller, stringMap(body.Attributes)).ref.url }),
    GetQueueUrl: ({ body, region: caller }) => {
      const queue = queues.get(`${caller}/${requiredString(body, 'QueueName', missingParameter)}`);
      if (queue === undefined) throw queueDoesNotExist();
      return { QueueUrl: queue.ref.url };
    },
    GetQueueAttributes: ({ body, region: caller }) => ({ Attributes: queueAttributes(queueOf(body, caller), namesOf(body.AttributeNames)) }),
    SendMessage: ({ body, region: caller }) => sendResult(send(queueOf(body, caller), body)),
    SendMessageBatch: ({ body, region: caller }) => {
      const queue = queueOf(body, caller);
      return batch(body, (entry) => sendResult(send(queue, entry)));
    },
    ReceiveMessage: ({ body, region: caller }) => receive(queueOf(body, caller), body),
    ChangeMessageVisibility: ({ body, region: caller }) => {
      changeVisibility(queueOf(body, caller), body);
      return {};
    },
    ChangeMessageVisibilityBatch: ({ body, region: caller }) => {
      const queue = queueOf(body, caller);
      return batch(body, (entry) => {
        changeVisibility(queue, entry);
        return {};
      });
    },
    DeleteMessage: ({ body, region: caller }) => {
      deleteByReceipt(queueOf(body, caller), requiredString(body, 'ReceiptHandle', missingParameter));
      return {};
    },
    DeleteMessageBatch: ({ body, region: caller }) => {
      const queue = queueOf(body, caller);
      return batch(body, (entry) => {
        deleteByReceipt(queue, requiredString(entry, 'ReceiptHandle', missingParameter));
        return {};
      });
    },
    PurgeQueue: ({ body, region: caller }) => {
      queueOf(body, caller).messages = [];
      return {};
    },
  };

  const server = await startOperationServer({
    port: options.port ?? 0,
    targetPrefix: 'AmazonSQS',
    contentType: 'application/x-amz-json-1.0',
    defaultRegion: region,
    operations,
    calls,
    unsupported: (operation) => sqsError(400, 'UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation', `${operation} is not supported by the local SQS`),
  });
  baseUrl = server.url;

  return {
    endpoint: server.url,
    region,
    calls,
    sent,
    createQueue: (name, queueRegion = region, attributes = {}) => createQueue(name, queueRegion, { ...attributes }).ref.url,
    queueUrl: urlOf,
    messages: (name, queueRegion = region) => {
      const queue = queues.get(`${queueRegion}/${name}`);
      return queue === undefined ? [] : queue.messages.map((message) => snapshotOf(queue, message));
    },
    client: (config = {}) => clients.track(new SQSClient({ ...localClientConfig(server.url, region), ...config })),
    async close() {
      closed = true;
      clients.destroyAll();
      await server.close();
    },
  };
}

/**
 * The size SQS counts against `MaximumMessageSize`: the body, and each message
 * attribute's name, data type and value, in bytes.
 *
 * @example
 * messageSize('{}', { reason: { DataType: 'String', StringValue: 'X' } }); // 2 + 6 + 6 + 1
 */
export function messageSize(body: string, attributes: Readonly<Record<string, MessageAttributeValue>>): number {
  let size = Buffer.byteLength(body);
  for (const [name, attribute] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(attribute.DataType);
    size += attribute.StringValue === undefined ? 0 : Buffer.byteLength(attribute.StringValue);
    size += attribute.BinaryValue === undefined ? 0 : Buffer.from(attribute.BinaryValue, 'base64').length;
  }
  return size;
}

/** Runs one action per batch entry, collecting AWS's `Successful` / `Failed` lists. */
function batch(body: Record<string, unknown>, action: (entry: Record<string, unknown>) => Record<string, unknown>): unknown {
  const entries = body.Entries;
  if (!Array.isArray(entries) || entries.length === 0) throw sqsError(400, 'EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', 'There should be at least one entry in the request.');
  if (entries.length > MAX_BATCH_ENTRIES) throw sqsError(400, 'TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`);
  const ids = entries.map((entry: Record<string, unknown>) => entry.Id);
  const badId = ids.find((id) => typeof id !== 'string' || !BATCH_ENTRY_ID.test(id));
  if (badId !== undefined) throw sqsError(400, 'InvalidBatchEntryId', 'AWS.SimpleQueueService.InvalidBatchEntryId', `A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long: ${String(badId)}`);
  if (new Set(ids).size !== ids.length) throw sqsError(400, 'BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
  const successful: Record<string, unknown>[] = [];
  const failed: Record<string, unknown>[] = [];
  for (const entry of entries as Record<string, unknown>[]) {
    try {
      successful.push({ Id: entry.Id, ...action(entry) });
    } catch (error) {
      if (!(error instanceof AwsProtocolError)) throw error;
      failed.push({ Id: entry.Id, SenderFault: true, Code: (error.headers['x-amzn-query-error'] ?? error.type).split(';')[0], Message: error.message });
    }
  }
  return { Successful: successful, Failed: failed };
}

function queueAttributes(queue: Queue, names: ReadonlySet<string> | 'all'): Record<string, string> {
  const now = Date.now();
  const all: Record<string, string> = {
    ...queue.attributes,
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(queue.messages.filter((message) => message.visibleAt <= now).length),
    ApproximateNumberOfMessagesNotVisible: String(queue.messages.filter((message) => message.visibleAt > now && message.receiveCount > 0).length),
    ApproximateNumberOfMessagesDelayed: String(queue.messages.filter((message) => message.visibleAt > now && message.receiveCount === 0).length),
    CreatedTimestamp: String(Math.floor(queue.created / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.created / 1000)),
  };
  if (names === 'all') return all;
  const unknown = [...names].find((name) => !(name in all));
  if (unknown !== undefined) throw sqsError(400, 'InvalidAttributeName', 'InvalidAttributeName', `Unknown Attribute ${unknown}.`);
  return Object.fromEntries(Object.entries(all).filter(([name]) => names.has(name)));
}

function pickSystemAttributes(message: StoredMessage, names: ReadonlySet<string> | 'all'): Record<string, string> | undefined {
  const all: Record<string, string> = {
    SenderId: LOCAL_ACCOUNT_ID,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
  };
  const picked = Object.entries(all).filter(([name]) => names === 'all' || names.has(name));
  return picked.length === 0 ? undefined : Object.fromEntries(picked);
}

/** Message attributes named by `MessageAttributeNames`: `All`, `.*`, names, or `prefix.*`. */
function pickMessageAttributes(attributes: Record<string, MessageAttributeValue>, names: ReadonlySet<string> | 'all'): Record<string, MessageAttributeValue> | undefined {
  const wanted = (name: string): boolean => names === 'all' || names.has('.*') || [...names].some((pattern) => pattern === name || (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1))));
  const picked = Object.entries(attributes).filter(([name]) => wanted(name));
  return picked.length === 0 ? undefined : Object.fromEntries(picked);
}

/** A list of names from a request; `All` selects everything. */
function namesOf(value: unknown): ReadonlySet<string> | 'all' {
  const names = Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string') : [];
  return names.includes('All') ? 'all' : new Set(names);
}

function messageAttributesOf(value: unknown): Record<string, MessageAttributeValue> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidParameter('MessageAttributes must be a map.');
  const attributes = value as Record<string, Record<string, unknown>>;
  for (const [name, attribute] of Object.entries(attributes)) {
    requiredString(attribute, 'DataType', (message) => invalidParameter(`Message attribute ${name}: ${message}`));
    if (attribute.StringValue === undefined && attribute.BinaryValue === undefined) throw invalidParameter(`Message attribute ${name} must contain a non-empty value of message attribute type ${String(attribute.DataType)}.`);
  }
  return attributes as unknown as Record<string, MessageAttributeValue>;
}

function stringMap(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((entry) => typeof entry !== 'string')) throw invalidParameter('Attributes must be a map of strings.');
  return value as Record<string, string>;
}

function snapshotOf(queue: Queue, message: StoredMessage): QueueMessage {
  return { queue: queue.ref, messageId: message.id, body: message.body, messageAttributes: message.attributes, sentAt: new Date(message.sentAt), receiveCount: message.receiveCount };
}
