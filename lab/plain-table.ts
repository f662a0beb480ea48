/**
 * What applications write without Concord, for the lab's plain Global Tables run: the same
 * calls as the writer library's, made as the DynamoDB API makes them (a put replaces the
 * item, an update sets and removes, counters and sets move with ADD and DELETE, a delete
 * deletes), with no envelope. Global Tables settle concurrent writes of an item by
 * last-writer-wins; nothing else runs.
 */
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { PlainItem } from '../shared/rules/types';
import { ExpressionBuilder } from '../shared/writer/expression';
import { toSdkItem, toSdkValue, toWireMap, toWireValue, DEFAULT_TRANSLATE_CONFIG } from '../shared/writer/values';
import type { PlainKey } from './workload';

const OPTIONS = DEFAULT_TRANSLATE_CONFIG.marshallOptions;

/** The calls a lab writer makes; the writer library's `ConcordTable` has them, and so does {@link PlainTable}. */
export interface LabWriter {
  put(key: PlainKey, item: PlainItem): Promise<unknown>;
  update(key: PlainKey, changes: { readonly set?: PlainItem; readonly remove?: readonly string[] }): Promise<unknown>;
  increment(key: PlainKey, attribute: string, delta: number): Promise<unknown>;
  addToSet(key: PlainKey, attribute: string, ...elements: string[]): Promise<unknown>;
  removeFromSet(key: PlainKey, attribute: string, ...elements: string[]): Promise<unknown>;
  delete(key: PlainKey): Promise<unknown>;
}

/**
 * A table written the plain way.
 *
 * @example
 * const table = new PlainTable(client, 'concord-lab');
 * await table.increment({ pk: 'STOCK#1', sk: 'STOCK' }, 'onHand', 2); // UpdateItem ADD onHand :2
 */
export class PlainTable implements LabWriter {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async put(key: PlainKey, item: PlainItem): Promise<void> {
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: marshall({ ...item, ...key }, OPTIONS) }));
  }

  async update(key: PlainKey, changes: { readonly set?: PlainItem; readonly remove?: readonly string[] }): Promise<void> {
    const expression = new ExpressionBuilder();
    const set = Object.entries(toWireMap(changes.set ?? {}, OPTIONS)).map(([name, value]) => `${expression.path(name)} = ${expression.value(toSdkValue(value))}`);
    const remove = (changes.remove ?? []).map((name) => expression.path(name));
    await this.send(expression, [set.length > 0 ? `SET ${set.join(', ')}` : '', remove.length > 0 ? `REMOVE ${remove.join(', ')}` : ''], key);
  }

  increment(key: PlainKey, attribute: string, delta: number): Promise<void> {
    return this.one(key, 'ADD', attribute, delta);
  }

  addToSet(key: PlainKey, attribute: string, ...elements: string[]): Promise<void> {
    return this.one(key, 'ADD', attribute, new Set(elements));
  }

  removeFromSet(key: PlainKey, attribute: string, ...elements: string[]): Promise<void> {
    return this.one(key, 'DELETE', attribute, new Set(elements));
  }

  async delete(key: PlainKey): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: marshall(key) }));
  }

  private async one(key: PlainKey, clause: 'ADD' | 'DELETE', attribute: string, operand: unknown): Promise<void> {
    const expression = new ExpressionBuilder();
    await this.send(expression, [`${clause} ${expression.path(attribute)} ${expression.value(toSdkValue(toWireValue(operand, attribute, OPTIONS)))}`], key);
  }

  private async send(expression: ExpressionBuilder, clauses: readonly string[], key: PlainKey): Promise<void> {
    await this.client.send(new UpdateItemCommand({ TableName: this.tableName, Key: toSdkItem(toWireMap(key, OPTIONS)), UpdateExpression: clauses.filter((clause) => clause !== '').join(' '), ...expression.attributes() }));
  }
}
