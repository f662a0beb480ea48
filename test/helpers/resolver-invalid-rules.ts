/** A rules module whose own `defineRules` call fails, for `loadRules` tests. */
import { defineRules } from '../../shared/rules/define-rules';

export default defineRules({ entities: { cart: { match: { prefix: 'CART#' }, attributes: { items: 'sum' as never } } } });
