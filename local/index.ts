/**
 * Local AWS endpoints on 127.0.0.1 speaking the real wire protocols, for integration
 * tests, `npm run local`, benchmarks and the multi-region lab: DynamoDB (dynalite
 * behind a counting, fault-injecting, intercepting proxy), EventBridge, SQS and S3.
 */
export { startLocalDynamo, concordTableDefinition, returnItemsOnConditionFailure, DynamoFault, type LocalDynamo, type LocalDynamoOptions, type DynamoRequest, type DynamoResponse, type DynamoForward, type DynamoInterceptor, type DynamoJson } from './dynamodb';
export { startLocalEventBridge, type LocalEventBridge, type LocalEventBridgeOptions, type EventBridgeEvent, type EventBridgeFault, type ReceivedEvent, type DroppedEvent, type BusRef, type RuleDefinition } from './eventbridge';
export { startLocalSqs, messageSize, DEFAULT_MAX_MESSAGE_BYTES, type LocalSqs, type LocalSqsOptions, type QueueMessage, type QueueRef } from './sqs';
export { startLocalS3, type LocalS3, type LocalS3Options, type StoredObject } from './s3';
export { startLocalCloudWatchLogs, type LocalCloudWatchLogs, type LocalCloudWatchLogsOptions, type LogEvent } from './cloudwatch-logs';
export { startLocalStack, formatExports, LOCAL_STACK_NAMES, type LocalStack, type LocalStackOptions } from './stack';
export { parseLocalArgs, runLocal, UsageError, DEFAULT_PORTS, type LocalArgs, type LocalOutput } from './local-command';
export { seedTable } from './seed';
export { compileEventPattern, matchesEventPattern, EventPatternError, EventPatternProblem, type EventPattern } from './event-pattern';
export { putEventsEntrySize, validateEntry, EntryErrorCode, PUT_EVENTS_MAX_ENTRIES, PUT_EVENTS_MAX_BYTES, DETAIL_TYPE_MAX_LENGTH, type PutEventsEntry, type EntryError } from './put-events';
export { md5OfBody, md5OfMessageAttributes, type MessageAttributeValue } from './sqs-md5';
export { FaultSchedule, type FailNextOptions, type FailFractionOptions } from './faults';
export { CallCounter } from './call-counter';
export { Recorder, type WaitOptions } from './recorder';
export { seededRandom, type Random } from './random';
export { localClientConfig, ClientPool, LOCAL_CREDENTIALS, LOCAL_ACCOUNT_ID, LOCAL_REQUEST_TIMEOUT_MS, type LocalClientConfig } from './client-config';
export { regionFromAuthorization } from './sigv4';
export { AwsProtocolError } from './aws-error';
