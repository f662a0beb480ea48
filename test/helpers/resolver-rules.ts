/**
 * Rule sets for resolver tests: a strict table (values hidden, every policy the
 * opposite of the example's), and a module that exports something else.
 */
import { defineRules } from '../../shared/rules/define-rules';

/** `restore` hard deletes, `accept` unversioned overwrites, no values in audit events. */
export const strictRules = defineRules({
  entities: {
    stock: { match: { prefix: 'STOCK#' }, attributes: { onHand: 'counter' } },
  },
  policies: { unversionedOverwrite: 'accept', hardDelete: 'restore' },
  audit: { includeValues: false },
});

export default strictRules;
