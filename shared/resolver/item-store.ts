/**
 * The resolver's only DynamoDB calls: conditional puts (the write-back and the
 * policies) and consistent reads of the current item. A request DynamoDB refuses as
 * invalid (`ValidationException`, e.g. an empty map key the merged envelope holds) would
 * be refused on every delivery: it becomes an InvalidRequestError, and the record is
 * quarantined. Calls still running when the batch's deadline aborts are abandoned.
 */
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, type DynamoDBClient, type GetItemCommandOutput, type PutItemCommandOutput } from '@aws-sdk/client-dynamodb';
import { InvalidRequestError, ItemTooLargeError } from '../errors';
import { describeKey } from '../item/state';
import type { AttributeMap } from '../dynamodb/attribute-value';
import type { TableSettings } from '../rules/types';
import { itemSizeBytes, MAX_ITEM_BYTES, oversize } from './item-size';
import { fromSdkItem, toSdkItem } from './sdk-item';

/** A DynamoDB condition expression with its placeholders (values in wire form). */
export interface Condition {
  readonly expression: string;
  readonly names: Readonly<Record<string, string>>;
  readonly values?: AttributeMap;
}

/** DynamoDB's limit on the length of one expression. */
const MAX_EXPRESSION_LENGTH = 4096;

/**
 * The item is the version with this write id: the write-back's condition.
 *
 * @example
 * await store.put(merged.item, widIs(rules.table, newImageWid));
 */
export function widIs(table: TableSettings, wid: string): Condition {
  return { expression: '#cc.#wid = :wid', names: { '#cc': table.envelopeAttribute, '#wid': 'wid' }, values: { ':wid': { S: wid } } };
}

/** No item has this key: restoring a hard-deleted item. */
export function itemAbsent(table: TableSettings): Condition {
  return { expression: 'attribute_not_exists(#pk)', names: { '#pk': table.partitionKey } };
}

/**
 * The item is still this unversioned image: no envelope, and every attribute of the
 * image holds its value there. An image with so many attributes that the expression
 * would pass DynamoDB's 4 KB limit is checked on the envelope's absence only.
 */
export function stillUnversioned(table: TableSettings, image: AttributeMap): Condition {
  const names: Record<string, string> = { '#cc': table.envelopeAttribute };
  const values: AttributeMap = {};
  const clauses = ['attribute_not_exists(#cc)'];
  Object.keys(image)
    .sort()
    .forEach((name, index) => {
      names[`#a${index}`] = name;
      values[`:a${index}`] = image[name] as AttributeMap[string];
      clauses.push(`#a${index} = :a${index}`);
    });
  const expression = clauses.join(' AND ');
  if (expression.length > MAX_EXPRESSION_LENGTH) return { expression: clauses[0] as string, names: { '#cc': table.envelopeAttribute } };
  return { expression, names, values };
}

/** A command whose middleware chain can be resolved once and run for others of its kind. */
type Operation = PutItemCommand | GetItemCommand;
type OperationHandler = (command: Operation) => Promise<{ output: PutItemCommandOutput | GetItemCommandOutput }>;

/** Reads and writes one table on behalf of the resolver. */
export class ItemStore {
  /** Middleware chains resolved with the signal, per operation: see {@link ItemStore.send}. */
  private readonly handlers = new Map<unknown, OperationHandler>();

  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly tableName: string,
    /** Aborts the calls in flight (the batch's deadline); none when omitted. */
    private readonly signal?: AbortSignal,
  ) {}

  /**
   * Writes `item` if `condition` holds.
   *
   * @returns false when the condition failed
   * @throws ItemTooLargeError when the item is over DynamoDB's item limit
   * @throws InvalidRequestError when DynamoDB refuses the request as invalid
   */
  async put(item: AttributeMap, key: AttributeMap, condition: Condition): Promise<boolean> {
    const over = oversize(item);
    if (over !== undefined) throw new ItemTooLargeError(describeKey(key), over, MAX_ITEM_BYTES);
    try {
      await this.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toSdkItem(item),
          ConditionExpression: condition.expression,
          ExpressionAttributeNames: condition.names,
          ...(condition.values === undefined ? {} : { ExpressionAttributeValues: toSdkItem(condition.values) }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') return false;
      // Our size estimate is DynamoDB's documented formula; if DynamoDB still counts more, the item can never be written either.
      if (isValidationException(error) && /item size/i.test(error.message)) {
        throw new ItemTooLargeError(describeKey(key), itemSizeBytes(item), MAX_ITEM_BYTES, { cause: error });
      }
      throw refused(error, 'PutItem');
    }
  }

  /**
   * The current item, read consistently; undefined when there is none.
   *
   * @throws InvalidRequestError when DynamoDB refuses the request as invalid
   */
  async get(key: AttributeMap): Promise<AttributeMap | undefined> {
    try {
      const response = (await this.send(new GetItemCommand({ TableName: this.tableName, Key: toSdkItem(key), ConsistentRead: true }))) as GetItemCommandOutput;
      return response.Item === undefined ? undefined : fromSdkItem(response.Item);
    } catch (error) {
      throw refused(error, 'GetItem');
    }
  }

  /**
   * Sends `command` with the store's signal, as `client.send(command, { abortSignal })`
   * does. A client built with `cacheMiddleware` keeps each operation's resolved middleware
   * for calls without options only (options are bound into the chain); with the signal,
   * this store keeps them instead, once per operation for the store's batch, rather than
   * the SDK resolving the chain again on every call.
   */
  private send(command: Operation): Promise<PutItemCommandOutput | GetItemCommandOutput> {
    if (this.signal === undefined) return this.dynamodb.send(command as PutItemCommand);
    if (this.dynamodb.config.cacheMiddleware !== true) return this.dynamodb.send(command as PutItemCommand, { abortSignal: this.signal });
    let handler = this.handlers.get(command.constructor);
    if (handler === undefined) {
      handler = command.resolveMiddleware(this.dynamodb.middlewareStack as never, this.dynamodb.config, { abortSignal: this.signal }) as unknown as OperationHandler;
      this.handlers.set(command.constructor, handler);
    }
    return handler(command).then((result) => result.output);
  }
}

function isValidationException(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ValidationException';
}

/** A ValidationException as the permanent error it is; any other error as it was. */
function refused(error: unknown, operation: string): unknown {
  return isValidationException(error) ? new InvalidRequestError('DynamoDB', operation, error.name, { cause: error }) : error;
}
