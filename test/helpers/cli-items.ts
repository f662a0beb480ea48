/**
 * Items and conflicts for the CLI's tests, made by the core as the resolver would see
 * and store them: concurrent versions (siblings, counters from two regions), their
 * merge, a tombstone, and an item written without Concord.
 */
import exampleRules from '../../rules/example';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import { merge } from '../../shared/merge/merge';
import type { RuleSet } from '../../shared/rules/types';
import type { Change } from '../../shared/write/change';
import { concurrentWrites, incrementStock, itemKey, LOCAL_REGION, stockConflict, TABLE, Writers, type ConcurrentVersions } from './resolver-records';

/**
 * The item the resolver writes for two concurrent versions: the local one merged with the remote one.
 *
 * @example
 * const image = resolvedItem(notesConflict('ORDER#1'));
 */
export function resolvedItem(versions: ConcurrentVersions, rules: RuleSet = exampleRules): AttributeMap {
  return merge(versions.local, versions.remote, rules, { table: TABLE, writtenIn: LOCAL_REGION }).item;
}

/** An order whose manual `notes` are set concurrently, to `local` in us-east-1 and to `remote` in eu-west-1: escalated once merged. */
export function notesConflict(pk: string, local = 'Leave at the door', remote = 'Call on arrival'): ConcurrentVersions {
  const notes = (text: string): Change => ({ type: 'update', set: { notes: { S: text } } });
  return concurrentWrites(new Writers(), itemKey(pk, 'ORDER'), { type: 'put', item: { status: { S: 'PAID' }, total: { N: '25' } } }, notes(local), notes(remote));
}

/** An order whose merged `notes` hold two siblings: escalated. */
export function escalatedOrder(pk: string, local?: string, remote?: string): AttributeMap {
  return resolvedItem(notesConflict(pk, local, remote));
}

/** A stock item: 10 on hand in us-east-1, then +2 there and −3 in eu-west-1, concurrently: 9. */
export function mergedStock(pk: string): AttributeMap {
  return resolvedItem(stockConflict(new Writers(), pk));
}

/** A stock item taken below zero by two concurrent sales of 2 from 1 on hand: −3, the invariant `onHand >= 0` violated. */
export function oversoldStock(pk: string): AttributeMap {
  return resolvedItem(concurrentWrites(new Writers(), itemKey(pk, 'STOCK'), incrementStock(1), incrementStock(-2), incrementStock(-2)));
}

/** An item as a client without Concord writes it: values, no envelope. */
export function legacyItem(pk: string, sk: string, values: AttributeMap): AttributeMap {
  return { ...itemKey(pk, sk), ...values };
}

/** A cart written and then deleted through Concord in us-east-1: a tombstone. */
export function deletedCart(pk: string): AttributeMap {
  const writers = new Writers();
  const key = itemKey(pk, 'CART');
  const cart = writers.write(LOCAL_REGION, undefined, key, { type: 'update', addToSet: { items: ['apple'] } });
  return writers.write(LOCAL_REGION, cart, key, { type: 'delete' });
}
