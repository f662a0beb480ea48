/**
 * What every writer function needs, passed explicitly so that each step (build the
 * fast update, send it, read-modify-write) is a plain function of its clients.
 */
import type { AttributeValue as SdkAttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock, HybridClock } from '../clock/hlc';
import type { RuleSet } from '../rules/types';
import type { RetryPolicy } from './retry';

/** A table, this region's clock and rules, and the retry budget. */
export interface WriterContext {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** This region's id: the writer's dots and version-vector entries carry it. */
  readonly region: string;
  readonly rules: RuleSet;
  readonly clock: HybridClock;
  readonly retry: RetryPolicy;
}

/** How a write reached DynamoDB. */
export const WritePath = {
  /** One conditional UpdateItem. */
  Fast: 'fast',
  /** Read, `applyWrite`, conditional PutItem of the whole item. */
  Slow: 'slow',
} as const;
export type WritePath = (typeof WritePath)[keyof typeof WritePath];

/** What a write returns. */
export interface WriteResult {
  /** The clock of the write: its dot, the item's new `hlc` and `wid`. */
  readonly clock: Clock;
  /** DynamoDB calls the write made. */
  readonly roundTrips: number;
  readonly path: WritePath;
}

/** DynamoDB's answer to a failed condition, with the item it checked when asked for it. */
export type ConditionFailure = Error & { readonly Item?: Record<string, SdkAttributeValue> };

/** True when `error` is DynamoDB's answer to a failed condition. */
export function isConditionalCheckFailed(error: unknown): error is ConditionFailure {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
