/**
 * What every writer function needs, passed explicitly so that each step (build the
 * fast update, send it, read-modify-write) is a plain function of its clients.
 */
import type { AttributeValue as SdkAttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock, HybridClock } from '../clock/hlc';
import type { TagSource } from '../clock/dot';
import type { RuleSet } from '../rules/types';
import type { RetryPolicy } from './retry';

/** A table, this region's clock and rules, and the retry budget. */
export interface WriterContext {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** This region's id: the writer's epochs carry it. */
  readonly region: string;
  readonly rules: RuleSet;
  readonly clock: HybridClock;
  /** This writer instance's id, part of every write's `wid`. */
  readonly writer: string;
  /** Issues the tag of each epoch the writer starts. */
  readonly tags: TagSource;
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
  /** The clock of the write (its dot's clock). */
  readonly clock: Clock;
  /** The id of the version the write made (`_cc.wid`): `<clock>.<region>.<writer>`. */
  readonly wid: string;
  /** DynamoDB calls the write made. */
  readonly roundTrips: number;
  /** Conditional writes DynamoDB refused on the way (each is charged write units, as a write). */
  readonly refused: number;
  /** True when one of them was refused by another version than the one it was made for: another region's or writer's. */
  readonly contended: boolean;
  readonly path: WritePath;
  /**
   * True when the item's line was further ahead of this writer's wall clock than the
   * clock offset bound: the write's clock was raised for this item alone (design §6.3).
   */
  readonly clockAhead: boolean;
}

/** DynamoDB's answer to a failed condition, with the item it checked when asked for it. */
export type ConditionFailure = Error & { readonly Item?: Record<string, SdkAttributeValue> };

/** True when `error` is DynamoDB's answer to a failed condition. */
export function isConditionalCheckFailed(error: unknown): error is ConditionFailure {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
