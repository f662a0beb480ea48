/**
 * Type checks of the writer's rule-derived types: `npx tsc --noEmit` compiles this file,
 * and every `@ts-expect-error` line must be an error or tsc fails. Never run.
 */
import type exampleRules from '../../rules/example';
import type { RuleSet } from '../../shared/rules/types';
import type { ConcordTable } from '../../shared/writer';

declare const shop: ConcordTable<typeof exampleRules.spec>;
declare const untyped: ConcordTable<RuleSet['spec']>;
declare const id: string;

export async function _typeChecks(): Promise<void> {
  // A literal key selects its entity: stock's counters, cart's sets.
  await shop.increment({ pk: 'STOCK#1', sk: 'STOCK' }, 'onHand', 1);
  await shop.increment({ pk: 'STOCK#1', sk: 'STOCK' }, 'reserved', -1);
  // @ts-expect-error location is lww, not a counter
  await shop.increment({ pk: 'STOCK#1', sk: 'STOCK' }, 'location', 1);
  // @ts-expect-error items is cart's set; a cart has no counter
  await shop.increment({ pk: 'CART#1', sk: 'CART' }, 'items', 1);
  await shop.addToSet({ pk: 'CART#1', sk: 'CART' }, 'items', 'apple', 'pear');
  await shop.removeFromSet({ pk: 'CART#1', sk: 'CART' }, 'items', 'pear');
  // @ts-expect-error coupon is lww, not an add-wins set
  await shop.addToSet({ pk: 'CART#1', sk: 'CART' }, 'coupon', 'x');
  // @ts-expect-error an order has no add-wins set (tags is a union)
  await shop.addToSet({ pk: 'ORDER#1', sk: 'ORDER' }, 'tags', 'gift');

  // A key built from a template literal keeps its prefix.
  await shop.increment({ pk: `USER#${id}`, sk: 'PROFILE' }, 'loginCount', 1);
  // @ts-expect-error lastLoginAt is max, not a counter
  await shop.increment({ pk: `USER#${id}`, sk: 'PROFILE' }, 'lastLoginAt', 1);

  // A key whose prefix is unknown falls back to any name, checked at run time.
  await shop.increment({ pk: id, sk: 'X' }, 'anything', 1);
  await untyped.increment({ pk: 'STOCK#1', sk: 'STOCK' }, 'anything', 1);

  // Declared value types are checked; undeclared attributes take any value.
  await shop.update({ pk: 'ORDER#1', sk: 'ORDER' }, { set: { total: 30, status: 'PAID', note: { any: 'thing' } } });
  // @ts-expect-error total is declared a number
  await shop.update({ pk: 'ORDER#1', sk: 'ORDER' }, { set: { total: '30' } });
  await shop.put({ pk: 'CART#1', sk: 'CART' }, { items: new Set(['apple']), coupon: 'SAVE10' });
  // @ts-expect-error items is an add-wins set of strings
  await shop.put({ pk: 'CART#1', sk: 'CART' }, { items: ['apple'] });

  // Key, envelope and TTL attributes cannot be written.
  // @ts-expect-error pk is the key
  await shop.update({ pk: 'CART#1', sk: 'CART' }, { set: { pk: 'CART#2' } });
  // @ts-expect-error _cc is the envelope
  await shop.put({ pk: 'CART#1', sk: 'CART' }, { _cc: {} });
  // @ts-expect-error _ttl is the TTL attribute
  await shop.update({ pk: 'CART#1', sk: 'CART' }, { set: { _ttl: 1 } });

  // The key must name both key attributes.
  // @ts-expect-error sk is missing
  await shop.get({ pk: 'CART#1' });

  // withEnvelope changes the result type.
  const read = await shop.get({ pk: 'CART#1', sk: 'CART' }, { withEnvelope: true });
  const hlc: string | undefined = read?.envelope?.hlc;
  const page = await shop.query({ partitionKey: 'CART#1', sortKey: { beginsWith: 'ITEM#' }, limit: 10 });
  const first: Record<string, unknown> | undefined = page.items[0];
  void hlc;
  void first;
}
