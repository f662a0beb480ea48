/**
 * Reads: tombstones (the items that carry the TTL attribute) read as absent, and the
 * envelope is decoded only when asked for.
 */
import { GetItemCommand, QueryCommand, type DynamoDBClient, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../clock/hlc';
import type { AttributeValue } from '../dynamodb/attribute-value';
import { decodeItem } from '../item/state';
import type { TableSettings } from '../rules/types';
import { ExpressionBuilder } from './expression';
import { latestSeen, summarize } from '../clock/context';
import { fromSdkItem, toSdkValue, type SdkItem } from './values';

/** The envelope of an item, decoded. */
export interface Envelope {
  /** Per region, the floor: every write of the region with a clock at or below it is included (design §3.3). */
  readonly fl: Readonly<Record<string, Clock>>;
  /** Per epoch of a region (`<region>~<tag>`), the clock of its latest write the item includes. */
  readonly vv: Readonly<Record<string, Clock>>;
  /** The latest clock the item has seen. */
  readonly hlc: Clock;
  /** The epoch whose line this version is on, if any. */
  readonly tip: string | undefined;
  /** The region where this version was written. */
  readonly by: string;
  /** The id of the write (or resolution) that produced this version. */
  readonly wid: string;
}

/**
 * Reads one item; tombstones read as absent.
 *
 * @example
 * const item = await readLiveItem(client, 'orders', toSdkItem(key), table, true);
 */
export async function readLiveItem(client: DynamoDBClient, tableName: string, key: SdkItem, table: TableSettings, consistent: boolean): Promise<SdkItem | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: consistent }));
  return Item === undefined || Item[table.ttlAttribute] !== undefined ? undefined : Item;
}

/** A condition on the sort key, named after DynamoDB's comparison operators. */
export type SortKeyCondition<V = unknown> =
  | { readonly eq: V }
  | { readonly lt: V }
  | { readonly le: V }
  | { readonly gt: V }
  | { readonly ge: V }
  | { readonly between: readonly [V, V] }
  | { readonly beginsWith: V };

const COMPARISONS = { eq: '=', lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

/** A query of one partition, its values in wire form. */
export interface LiveQuery {
  readonly partitionKey: AttributeValue;
  readonly sortKey?: SortKeyCondition<AttributeValue>;
  readonly exclusiveStartKey?: SdkItem;
  readonly consistent?: boolean;
  /** Ascending sort key order unless false. */
  readonly scanIndexForward?: boolean;
}

/**
 * The Query input for one partition, optionally narrowed by a sort key condition, that
 * leaves tombstones out (`attribute_not_exists` of the TTL attribute).
 *
 * @example
 * buildLiveQuery('orders', rules.table, { partitionKey: { S: 'CART#1' }, sortKey: { beginsWith: { S: 'ITEM#' } } });
 * // KeyConditionExpression '#0 = :0 AND begins_with(#1, :1)', FilterExpression 'attribute_not_exists(#2)'
 */
export function buildLiveQuery(tableName: string, table: TableSettings, query: LiveQuery): QueryCommandInput {
  const expression = new ExpressionBuilder();
  const operand = (value: AttributeValue): string => expression.value(toSdkValue(value));
  let keyCondition = `${expression.path(table.partitionKey)} = ${operand(query.partitionKey)}`;
  const condition = query.sortKey;
  if (condition !== undefined) {
    if (table.sortKey === null) throw new RangeError('a sort key condition needs a table with a sort key');
    const path = expression.path(table.sortKey);
    if ('between' in condition) keyCondition += ` AND ${path} BETWEEN ${operand(condition.between[0])} AND ${operand(condition.between[1])}`;
    else if ('beginsWith' in condition) keyCondition += ` AND begins_with(${path}, ${operand(condition.beginsWith)})`;
    else {
      const [name, bound] = Object.entries(condition)[0] as [keyof typeof COMPARISONS, AttributeValue];
      keyCondition += ` AND ${path} ${COMPARISONS[name]} ${operand(bound)}`;
    }
  }
  return {
    TableName: tableName,
    KeyConditionExpression: keyCondition,
    FilterExpression: `attribute_not_exists(${expression.path(table.ttlAttribute)})`,
    ...expression.attributes(),
    ExclusiveStartKey: query.exclusiveStartKey,
    ConsistentRead: query.consistent,
    ScanIndexForward: query.scanIndexForward,
  };
}

/** One page of live items. */
export interface LivePage {
  readonly items: SdkItem[];
  /** Where the next page starts; absent at the end. */
  readonly lastEvaluatedKey?: SdkItem;
  /** Query calls made. */
  readonly roundTrips: number;
}

/**
 * Queries with tombstones filtered out by DynamoDB. DynamoDB applies `Limit` before the
 * filter, so with a `limit` this asks again, from where the last call stopped, until
 * `limit` live items or the end; without one it returns one DynamoDB page as is.
 *
 * @example
 * const page = await queryLiveItems(client, buildLiveQuery('orders', rules.table, { partitionKey: { S: 'CART#1' } }), 25);
 */
export async function queryLiveItems(client: DynamoDBClient, input: QueryCommandInput, limit: number | undefined): Promise<LivePage> {
  const items: SdkItem[] = [];
  let start = input.ExclusiveStartKey;
  let roundTrips = 0;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start, Limit: limit === undefined ? undefined : limit - items.length }));
    roundTrips += 1;
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (limit !== undefined && items.length < limit && start !== undefined);
  return start === undefined ? { items, roundTrips } : { items, lastEvaluatedKey: start, roundTrips };
}

/**
 * The decoded envelope of an item, or undefined for an item no Concord writer wrote.
 *
 * @throws EnvelopeError when the envelope is malformed
 */
export function envelopeOf(item: SdkItem, table: TableSettings): Envelope | undefined {
  if (item[table.envelopeAttribute] === undefined) return undefined;
  const state = decodeItem(fromSdkItem(item, 'Item'), table);
  return { ...summarize(state.context), hlc: latestSeen(state.context) ?? '', tip: state.tip, by: state.by, wid: state.wid };
}
