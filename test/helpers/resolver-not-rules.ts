/** A module whose default export is not a rule set, for `loadRules` tests. */
export default { entities: { cart: { match: { prefix: 'CART#' } } } };
