/**
 * Dictionaries keyed by user data. Attribute names, map keys and set elements may be
 * any string DynamoDB accepts, `__proto__`, `constructor` and `toString` included: a
 * plain object would read inherited members for them, and assigning `__proto__` would
 * replace its prototype. Objects Concord builds from user keys have no prototype, and
 * lookups in objects that come from outside go through {@link own}.
 */

/**
 * A new object with no prototype.
 *
 * @example
 * const visible = dict<AttributeValue>();
 * visible['__proto__'] = { S: 'x' }; // an own property, like any other name
 */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * The own member `name` of `record`, never an inherited one.
 *
 * @example
 * own({}, 'toString'); // undefined
 */
export function own<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
}

/** True when `record` has its own member `name`. */
export function hasOwn(record: object, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, name);
}
