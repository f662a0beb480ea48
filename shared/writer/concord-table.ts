/**
 * `ConcordTable`: the application's view of a Concord table, shaped like the
 * DocumentClient (plain JavaScript values in and out) and typed by the table's rules.
 * Every write keeps the envelope that lets the resolver merge without loss.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConcordError, InvalidWriteError } from '../errors';
import { HybridClock } from '../clock/hlc';
import { KeyLock, type ItemLock } from '../key-lock';
import { canonicalJson } from '../dynamodb/attribute-value';
import { isRegionName, randomTag, type TagSource } from '../clock/dot';
import type { AttributeValue } from '../dynamodb/attribute-value';
import type { PlainItem, RuleSet, RulesSpec } from '../rules/types';
import { attributesOf, entityForChange, validateChange, type Change } from '../write/change';
import type { WriteResult, WriterContext } from './context';
import { buildLiveQuery, envelopeOf, queryLiveItems, readLiveItem, type Envelope, type SortKeyCondition } from './read';
import { retryPolicy, type RetryOptions } from './retry';
import type { CounterAttribute, ItemKey, ItemValues, KeyValue, SetAttribute } from './typing';
import { DEFAULT_TRANSLATE_CONFIG, toPlainItem, toSdkItem, toWireKey, toWireMap, toWireValue, type SdkItem, type TranslateConfig } from './values';
import { writeChange } from './write-change';
import { ItemHints } from './item-hints';

/** Options of {@link createConcordTable}. */
export interface ConcordTableOptions<S extends RulesSpec = RulesSpec> {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** This region's id, e.g. `us-east-1`: every write's clock carries it. */
  readonly region: string;
  /** The table's rules, from `defineRules`; their literal types type the methods. */
  readonly rules: RuleSet<S>;
  /** The writer's hybrid clock (writers in one process may share one); a new one on `now` by default. */
  readonly clock?: HybridClock;
  /** This writer instance's id in every write's `wid` (default: a random tag). */
  readonly writerId?: string;
  /** Issues the tags of the epochs this writer starts (default: random; seeded in tests). */
  readonly tags?: TagSource;
  /**
   * Holds an item while this writer writes it, so that its requests to one item go out one
   * at a time (default: a lock in this process; the lab passes one on its virtual clock).
   */
  readonly itemLock?: ItemLock;
  /** The wall clock of the default hybrid clock, in epoch milliseconds (default `Date.now`). */
  readonly now?: () => number;
  /** The retry budget of contended writes. */
  readonly retry?: RetryOptions;
  /** Marshalling options, as in the DocumentClient (default: `removeUndefinedValues`). */
  readonly translateConfig?: TranslateConfig;
}

/** Options of {@link ConcordTable.get}. */
export interface GetOptions {
  /** A strongly consistent read (default false, as in DynamoDB). */
  readonly consistentRead?: boolean;
  /** Also return the item's decoded envelope. */
  readonly withEnvelope?: boolean;
}

/** An item with its envelope (`undefined` for an item no Concord writer wrote). */
export interface ItemWithEnvelope {
  readonly item: PlainItem;
  readonly envelope: Envelope | undefined;
}

/** Input of {@link ConcordTable.query}. */
export interface QueryInput {
  /** The partition key's value. */
  readonly partitionKey: KeyValue;
  /** A condition on the sort key, e.g. `{ beginsWith: 'ITEM#' }` or `{ between: ['A', 'M'] }`. */
  readonly sortKey?: SortKeyCondition<KeyValue>;
  /**
   * How many live items to return at most. Tombstones are filtered after DynamoDB's
   * own `Limit`, so the query asks again until it has `limit` items or reaches the
   * end; without `limit`, one DynamoDB page (up to 1 MB read) minus its tombstones.
   */
  readonly limit?: number;
  /** The `lastEvaluatedKey` of the previous page. */
  readonly exclusiveStartKey?: PlainItem;
  readonly consistentRead?: boolean;
  /** Ascending sort key order unless false. */
  readonly scanIndexForward?: boolean;
  /** Return each item with its decoded envelope. */
  readonly withEnvelope?: boolean;
}

/** A page of query results. */
export interface QueryOutput<T> {
  readonly items: T[];
  /** Pass as `exclusiveStartKey` for the next page; absent at the end. */
  readonly lastEvaluatedKey?: PlainItem;
  /** Query calls made for this page. */
  readonly roundTrips: number;
}

/** The attributes an update sets and removes. */
export interface UpdateInput<S extends RulesSpec, K> {
  readonly set?: ItemValues<S, K>;
  readonly remove?: readonly string[];
}

/**
 * A Concord table in one region. Reads hide tombstones and the envelope; writes are
 * atomic in the region, keep the envelope, and take one round trip in the common case.
 *
 * @example
 * const table = createConcordTable({ client, tableName: 'shop', region: 'eu-west-1', rules });
 * await table.addToSet({ pk: 'CART#42', sk: 'CART' }, 'items', 'apple');
 * await table.increment({ pk: 'STOCK#7', sk: 'STOCK' }, 'onHand', -1);
 * const cart = await table.get({ pk: 'CART#42', sk: 'CART' }); // { pk, sk, items: Set { 'apple' } }
 */
export class ConcordTable<S extends RulesSpec = RulesSpec> {
  readonly tableName: string;
  readonly region: string;
  readonly rules: RuleSet<S>;
  private readonly context: WriterContext;
  private readonly inFlight: ItemLock;
  private readonly hints: ItemHints;
  private readonly translate: TranslateConfig;

  constructor(options: ConcordTableOptions<S>) {
    if (!isRegionName(options.region)) throw new ConcordError(`region ${JSON.stringify(options.region)} is not a region name ([A-Za-z0-9_-]+)`);
    const clock = options.clock ?? new HybridClock({ now: options.now, maxOffsetMs: options.rules.table.maxClockOffsetMs });
    this.tableName = options.tableName;
    this.region = options.region;
    this.rules = options.rules;
    this.translate = options.translateConfig ?? DEFAULT_TRANSLATE_CONFIG;
    const tags = options.tags ?? randomTag;
    this.inFlight = options.itemLock ?? new KeyLock();
    this.hints = new ItemHints({ now: options.now });
    this.context = { client: options.client, tableName: options.tableName, region: options.region, rules: options.rules, clock, writer: options.writerId ?? tags(), tags, retry: retryPolicy(options.retry) };
  }

  /**
   * Reads one item; a deleted item (a tombstone) reads as absent.
   *
   * @throws InvalidKeyError when the key is not the table's key
   * @example
   * const { item, envelope } = (await table.get(key, { consistentRead: true, withEnvelope: true }))!;
   */
  async get(key: ItemKey<S>, options: GetOptions & { readonly withEnvelope: true }): Promise<ItemWithEnvelope | undefined>;
  async get(key: ItemKey<S>, options?: GetOptions): Promise<PlainItem | undefined>;
  async get(key: ItemKey<S>, options: GetOptions = {}): Promise<PlainItem | ItemWithEnvelope | undefined> {
    const wireKey = toWireKey(key, this.rules.table, this.translate.marshallOptions);
    const item = await readLiveItem(this.context.client, this.tableName, toSdkItem(wireKey), this.rules.table, options.consistentRead ?? false);
    return item === undefined ? undefined : this.present(item, options.withEnvelope ?? false);
  }

  /**
   * Queries one partition; tombstones are left out (see {@link QueryInput.limit}).
   *
   * @example
   * let page = await table.query({ partitionKey: 'CART#42', sortKey: { beginsWith: 'ITEM#' }, limit: 25 });
   * while (page.lastEvaluatedKey) page = await table.query({ partitionKey: 'CART#42', limit: 25, exclusiveStartKey: page.lastEvaluatedKey });
   */
  async query(input: QueryInput & { readonly withEnvelope: true }): Promise<QueryOutput<ItemWithEnvelope>>;
  async query(input: QueryInput): Promise<QueryOutput<PlainItem>>;
  async query(input: QueryInput): Promise<QueryOutput<PlainItem | ItemWithEnvelope>> {
    if (input.limit !== undefined && (!Number.isSafeInteger(input.limit) || input.limit < 1)) throw new RangeError(`limit must be a whole number ≥ 1, got ${input.limit}`);
    const { table } = this.rules;
    const { marshallOptions } = this.translate;
    const operand = (value: KeyValue): AttributeValue => toWireValue(value, table.sortKey ?? table.partitionKey, marshallOptions);
    const sortKey = input.sortKey === undefined ? undefined : mapSortKeyCondition(input.sortKey, operand);
    const query = buildLiveQuery(this.tableName, table, {
      partitionKey: toWireValue(input.partitionKey, table.partitionKey, marshallOptions),
      sortKey,
      exclusiveStartKey: input.exclusiveStartKey === undefined ? undefined : toSdkItem(toWireMap(input.exclusiveStartKey, marshallOptions)),
      consistent: input.consistentRead,
      scanIndexForward: input.scanIndexForward,
    });
    const page = await queryLiveItems(this.context.client, query, input.limit);
    const items = page.items.map((item) => this.present(item, input.withEnvelope ?? false));
    const next = page.lastEvaluatedKey === undefined ? {} : { lastEvaluatedKey: unmarshall(page.lastEvaluatedKey, this.translate.unmarshallOptions) };
    return { items, roundTrips: page.roundTrips, ...next };
  }

  /**
   * Replaces the item's attributes with `item` (the key is given apart). Two round trips:
   * a put must see every attribute it replaces.
   *
   * @example
   * await table.put({ pk: 'ORDER#1', sk: 'ORDER' }, { status: 'PENDING', total: 30 });
   */
  put<const K extends ItemKey<S>>(key: K, item: ItemValues<S, K>): Promise<WriteResult> {
    return this.write(key, () => ({ type: 'put', item: toWireMap(item, this.translate.marshallOptions) }));
  }

  /**
   * Sets and removes attributes. One round trip on an existing item.
   *
   * @example
   * await table.update({ pk: 'CART#42', sk: 'CART' }, { set: { coupon: 'SAVE10' }, remove: ['note'] });
   */
  update<const K extends ItemKey<S>>(key: K, changes: UpdateInput<S, K>): Promise<WriteResult> {
    return this.write(key, () => {
      const set = toWireMap(changes.set ?? {}, this.translate.marshallOptions);
      const remove = changes.remove ?? [];
      if (Object.keys(set).length === 0 && remove.length === 0) throw new InvalidWriteError(undefined, 'an update needs attributes to set or remove');
      return { type: 'update', set, remove };
    });
  }

  /**
   * Adds `delta` (a whole number, negative to decrement: a safe integer, or a bigint up
   * to DynamoDB's 38 digits) to a counter. Concurrent increments from every region add up.
   *
   * @example
   * await table.increment({ pk: 'STOCK#7', sk: 'STOCK' }, 'onHand', -2);
   * await table.increment({ pk: 'STOCK#7', sk: 'STOCK' }, 'onHand', 9007199254740993n);
   */
  increment<const K extends ItemKey<S>>(key: K, attribute: CounterAttribute<S, K>, delta: number | bigint): Promise<WriteResult> {
    return this.write(key, () => ({ type: 'update', increment: { [attribute]: delta } }));
  }

  /**
   * Adds elements to an add-wins set: an add concurrent with a remove survives.
   *
   * @example
   * await table.addToSet({ pk: 'CART#42', sk: 'CART' }, 'items', 'apple', 'pear');
   */
  addToSet<const K extends ItemKey<S>>(key: K, attribute: SetAttribute<S, K>, ...elements: string[]): Promise<WriteResult> {
    return this.write(key, () => ({ type: 'update', addToSet: { [attribute]: elements } }));
  }

  /**
   * Removes the elements this region has seen from an add-wins set.
   *
   * @example
   * await table.removeFromSet({ pk: 'CART#42', sk: 'CART' }, 'items', 'pear');
   */
  removeFromSet<const K extends ItemKey<S>>(key: K, attribute: SetAttribute<S, K>, ...elements: string[]): Promise<WriteResult> {
    return this.write(key, () => ({ type: 'update', removeFromSet: { [attribute]: elements } }));
  }

  /**
   * Deletes the item: writes a tombstone (attributes removed, the TTL attribute set to
   * the rules' `tombstoneRetentionSeconds` after the delete) that reads as absent and
   * that TTL collects. Two round trips.
   *
   * @example
   * await table.delete({ pk: 'CART#42', sk: 'CART' });
   */
  delete<const K extends ItemKey<S>>(key: K): Promise<WriteResult> {
    return this.write(key, () => ({ type: 'delete' }));
  }

  /** Checks the key and the change against the rules (no I/O before that), then writes. */
  private async write(key: ItemKey<S>, changeOf: () => Change): Promise<WriteResult> {
    const wireKey = toWireKey(key, this.rules.table, this.translate.marshallOptions);
    const change = changeOf();
    const entity = entityForChange(this.rules, wireKey, change);
    validateChange(this.rules, entity, change);
    refuseUnreadableNames(change);
    const keyId = canonicalJson(wireKey);
    // One request at a time per item: this writer's clocks then reach DynamoDB in order (design §6.2).
    return this.inFlight.hold([keyId], async () => {
      try {
        const readFirst = this.hints.readFirst(keyId);
        const result = await writeChange(this.context, wireKey, entity, change, readFirst);
        this.hints.wrote(keyId, result.contended);
        return result;
      } catch (error) {
        this.hints.forget(keyId);
        throw error;
      }
    });
  }

  private present(item: SdkItem, withEnvelope: boolean): PlainItem | ItemWithEnvelope {
    const plain = toPlainItem(item, [this.rules.table.envelopeAttribute], this.translate.unmarshallOptions);
    return withEnvelope ? { item: plain, envelope: envelopeOf(item, this.rules.table) } : plain;
  }
}

/** Converts the operands of a sort key condition. */
function mapSortKeyCondition<A, B>(condition: SortKeyCondition<A>, to: (value: A) => B): SortKeyCondition<B> {
  if ('between' in condition) return { between: [to(condition.between[0]), to(condition.between[1])] };
  const [name, value] = Object.entries(condition)[0] as [string, A];
  return { [name]: to(value) } as SortKeyCondition<B>;
}

/**
 * Creates the writer of a Concord table for one region.
 *
 * @example
 * import rules from './rules';
 * const table = createConcordTable({ client: new DynamoDBClient({}), tableName: 'shop', region: process.env.AWS_REGION!, rules });
 * await table.increment({ pk: 'STOCK#7', sk: 'STOCK' }, 'onHand', 5);
 */
export function createConcordTable<S extends RulesSpec>(options: ConcordTableOptions<S>): ConcordTable<S> {
  return new ConcordTable(options);
}

/**
 * An item attribute named `__proto__` is legal in DynamoDB, but the AWS SDK for JavaScript
 * v3 loses its value when it reads the item (its JSON deserializer and `unmarshall`), so
 * every later read, and the full path's read-modify-write, would drop it. The writer
 * refuses it rather than store a value it cannot read back. (Set elements and map keys
 * named so are read correctly.)
 */
function refuseUnreadableNames(change: Change): void {
  if (attributesOf(change).includes('__proto__')) throw new InvalidWriteError('__proto__', 'the AWS SDK for JavaScript loses an attribute of this name when it reads an item; nothing was written');
}
