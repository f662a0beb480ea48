/**
 * The merge laws per rule kind, on versions from generated write histories in three
 * regions (writes with clock skew, syncs in any order): idempotent, commutative and
 * associative, 1,000 runs each.
 */
import fc from 'fast-check';
import { Law, mergeLawProperties } from '../laws/check-laws';
import { defineRules } from '../rules/define-rules';
import type { AttributeRuleSpec, DeletePolicy } from '../rules/types';
import { propertySettings } from '../../test/helpers/properties';

const RUNS = 1000;

const longerString = (a: string, b: string): string => (a.length !== b.length ? (a.length > b.length ? a : b) : a > b ? a : b);

const KINDS: [string, AttributeRuleSpec][] = [
  ['lww', 'lww'],
  ['max', { kind: 'max', type: 'number' }],
  ['min', { kind: 'min', type: 'string' }],
  ['counter', 'counter'],
  ['addWinsSet', 'addWinsSet'],
  ['union', { kind: 'union', type: 'stringSet' }],
  ['priority', { kind: 'priority', order: ['PENDING', 'PAID', 'SHIPPED'] }],
  ['custom', { kind: 'custom', type: 'string', merge: longerString }],
  ['manual', 'manual'],
];

function entityWith(rule: AttributeRuleSpec, onDelete: DeletePolicy) {
  const rules = defineRules({ entities: { subject: { match: { prefix: 'E#' }, attributes: { a: rule }, onDelete } } });
  return { rules, entity: rules.entities[0] as (typeof rules.entities)[number] };
}

describe.each(KINDS)('merge laws for a %s attribute', (_, rule) => {
  const { rules, entity } = entityWith(rule, 'updateWins');
  const properties = mergeLawProperties(rules, entity);

  it.each(Object.values(Law))('%s', (law) => {
    fc.assert(properties[law], propertySettings({ numRuns: RUNS }));
  });
});

describe('merge laws under deleteWins, every kind on one item', () => {
  const attributes = Object.fromEntries(KINDS.map(([name, rule]) => [name, rule]));
  const rules = defineRules({ entities: { subject: { match: { prefix: 'E#' }, attributes, onDelete: 'deleteWins' } } });
  const properties = mergeLawProperties(rules, rules.entities[0] as (typeof rules.entities)[number]);

  it.each(Object.values(Law))('%s', (law) => {
    fc.assert(properties[law], propertySettings({ numRuns: RUNS }));
  });
});
