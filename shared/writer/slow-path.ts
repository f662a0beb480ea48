/**
 * The full path (design §6.2): read the item, compute the write with the core's
 * `applyWrite` (continuing the region's line or starting an epoch), and put the whole image
 * back only if nobody wrote the item in between (condition on `_cc.wid`).
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Tick } from '../clock/hlc';
import type { AttributeMap } from '../dynamodb/attribute-value';
import { decodeItem, emptyState, type ItemState } from '../item/state';
import { applyWrite, nextWriteTick } from '../write/apply-write';
import type { Change } from '../write/change';
import { isConditionalCheckFailed, type ConditionFailure, type WriterContext } from './context';
import { ExpressionBuilder } from './expression';
import { fromSdkItem, toSdkItem } from './values';

/** What the writer knows of the item before its conditional put. */
export type CurrentItem =
  /** The item as read (or as a failed condition returned it). */
  | { readonly known: 'image'; readonly image: AttributeMap }
  /** No item: read so, or `guessed` because a fast update found no envelope. */
  | { readonly known: 'absent'; readonly guessed: boolean }
  /** Nothing: read it first. */
  | { readonly known: 'nothing' };

/**
 * What a failed condition tells: DynamoDB returns the item it checked when asked
 * (`ReturnValuesOnConditionCheckFailure: ALL_OLD`), which saves a read; without it
 * (dynalite ignores the parameter, and no item means none came back) the item must be read.
 */
export function currentAfterFailure(error: ConditionFailure): CurrentItem {
  return error.Item === undefined ? { known: 'nothing' } : { known: 'image', image: fromSdkItem(error.Item, 'Item') };
}

/** What one read-modify-write did: written, or lost the race to another write. */
export type SlowOutcome =
  | { readonly written: true; readonly tick: Tick; readonly wid: string; readonly roundTrips: number; readonly refused: number }
  | {
      readonly written: false;
      readonly refused: number;
      readonly failure: ConditionFailure;
      /** What the failed condition told of the item, and what the write was computed on. */
      readonly current: CurrentItem;
      readonly based: CurrentItem;
      readonly roundTrips: number;
    };

/**
 * One read-modify-write of `change`: read the item unless `current` already holds it,
 * apply the write with `applyWrite`, and put the image if the item is unchanged. A
 * guess that the item is new which meets an existing item is no race: it goes on at
 * once with what the failure told.
 *
 * @example
 * const outcome = await writeSlowly(context, key, { type: 'delete' }, { known: 'nothing' }); // GetItem + PutItem
 */
export async function writeSlowly(context: WriterContext, key: AttributeMap, change: Change, current: CurrentItem): Promise<SlowOutcome> {
  let roundTrips = 0;
  let refused = 0;
  for (;;) {
    if (current.known === 'nothing') {
      current = await readCurrent(context, key);
      roundTrips += 1;
    }
    const prior = current.known === 'image' ? decodeItem(current.image, context.rules.table, key) : emptyState(key);
    const { tick, newEpoch } = nextWriteTick(context.clock, prior, context.region);
    const { image, state } = applyWrite(prior, change, { region: context.region, clock: tick.clock, writer: context.writer, tags: context.tags, newEpoch }, context.rules);
    roundTrips += 1;
    const failure = await putIfUnchanged(context, image, current, prior);
    if (failure === undefined) return { written: true, tick, wid: state.wid, roundTrips, refused };
    refused += 1;
    const guessed = current.known === 'absent' && current.guessed;
    const based = current;
    current = currentAfterFailure(failure);
    if (!guessed) return { written: false, failure, current, based, roundTrips, refused };
  }
}

/**
 * The item as a strongly consistent read sees it.
 *
 * @example
 * const current = await readCurrent(context, key); // { known: 'absent', guessed: false } for a new item
 */
export async function readCurrent(context: WriterContext, key: AttributeMap): Promise<CurrentItem> {
  const { Item } = await context.client.send(new GetItemCommand({ TableName: context.tableName, Key: toSdkItem(key), ConsistentRead: true }));
  return Item === undefined ? { known: 'absent', guessed: false } : { known: 'image', image: fromSdkItem(Item, 'Item') };
}

/**
 * Puts `image` if the item is still what `current` says: absent, the same legacy item
 * (no envelope yet), or the same Concord version (same `wid`). Returns the condition
 * failure, or undefined when written.
 */
async function putIfUnchanged(context: WriterContext, image: AttributeMap, current: CurrentItem, prior: ItemState): Promise<ConditionFailure | undefined> {
  const { partitionKey, envelopeAttribute } = context.rules.table;
  const expression = new ExpressionBuilder();
  let condition: string;
  if (current.known !== 'image') condition = `attribute_not_exists(${expression.path(partitionKey)})`;
  else if (!prior.versioned) condition = `attribute_exists(${expression.path(partitionKey)}) AND attribute_not_exists(${expression.path(envelopeAttribute)})`;
  else condition = `${expression.path(envelopeAttribute, 'wid')} = ${expression.value({ S: prior.wid })}`;
  try {
    await context.client.send(
      new PutItemCommand({
        TableName: context.tableName,
        Item: toSdkItem(image),
        ConditionExpression: condition,
        ...expression.attributes(),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return undefined;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return error;
    throw error;
  }
}
