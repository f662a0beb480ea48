/**
 * Rules modules the CLI's tests load by path (`--rules`, `CONCORD_RULES`): a note whose
 * custom merge is not written yet (it throws, so conflicts are quarantined), the same
 * note fixed, a merge that breaks a law, and a candidate change of the example rules.
 * Each is its own module below; this one holds what they share.
 */
import exampleRules from '../../rules/example';
import type { PlainValue, RulesSpec } from '../../shared/rules/types';

/** The note entity with a given custom merge of its `text`. */
export function noteRules(merge: (a: PlainValue, b: PlainValue) => PlainValue): RulesSpec {
  return { ...exampleRules.spec, entities: { ...exampleRules.spec.entities, note: { match: { prefix: 'NOTE#' }, attributes: { text: { kind: 'custom', type: 'string', merge } } } } };
}

/** The longer text wins, ties by text order: idempotent, commutative, associative. */
export function longerText(a: PlainValue, b: PlainValue): PlainValue {
  const [x, y] = [String(a), String(b)];
  return x.length !== y.length ? (x.length > y.length ? x : y) : x > y ? x : y;
}
