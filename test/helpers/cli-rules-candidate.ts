/**
 * A candidate change of the example rules, for `concord shadow`: an order's notes settle
 * by last writer wins instead of escalating, and its total by the larger amount.
 */
import exampleRules from '../../rules/example';
import { defineRules } from '../../shared/rules/define-rules';

const { order } = exampleRules.spec.entities;

export default defineRules({
  ...exampleRules.spec,
  entities: { ...exampleRules.spec.entities, order: { ...order, attributes: { ...order.attributes, notes: 'lww', total: { kind: 'max', type: 'number' } } } },
});
