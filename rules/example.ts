/**
 * The example rule set shipped with Concord, used by default everywhere (resolver,
 * lab, sample events). Table key: `pk` (hash) and `sk` (range), both strings.
 */
import { defineRules } from '../shared/rules/define-rules';

export const ORDER_STATUSES = ['PENDING', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;

const exampleRules = defineRules({
  table: { partitionKey: 'pk', sortKey: 'sk' },
  entities: {
    cart: {
      match: { prefix: 'CART#' },
      attributes: { items: 'addWinsSet', coupon: 'lww', updatedAt: 'max' },
      onDelete: 'updateWins',
    },
    stock: {
      match: { prefix: 'STOCK#' },
      attributes: { onHand: 'counter', reserved: 'counter', location: 'lww' },
      invariants: { 'onHand >= 0': (item) => (item.onHand ?? 0) >= 0 },
    },
    order: {
      match: { prefix: 'ORDER#' },
      attributes: {
        status: { kind: 'priority', order: ORDER_STATUSES },
        tags: { kind: 'union', type: 'stringSet' },
        notes: 'manual',
        total: { kind: 'lww', type: 'number' },
      },
      onDelete: 'deleteWins',
    },
    user: {
      match: { prefix: 'USER#' },
      attributes: { loginCount: 'counter', lastLoginAt: 'max' },
      onDelete: 'deleteWins',
    },
  },
  policies: { unversionedOverwrite: 'merge', hardDelete: 'accept' },
  audit: { includeValues: true, redact: ['email', 'phone'] },
});

export default exampleRules;
