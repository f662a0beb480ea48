/**
 * Types derived from a rule set declared with `defineRules`: the key of the table, the
 * entity a key's prefix selects (`CART#${string}` selects `cart`), and that entity's
 * counter and add-wins set attributes and value types. Where TypeScript cannot know
 * the entity (a key typed `string`, a rule set typed `RuleSet`), names fall back to
 * `string` and the rules are checked at run time instead.
 */
import type { RulesSpec } from '../rules/types';

/** A value a key attribute may hold. */
export type KeyValue = string | number | Uint8Array;

type IsWide<S extends RulesSpec> = RulesSpec extends S ? true : false;

/** The partition key's name: the declared one, else `pk`. */
export type PartitionKeyName<S extends RulesSpec> = S extends { readonly table: { readonly partitionKey: infer N extends string } } ? N : 'pk';

/** The sort key's name: the declared one, none for `null`, else `sk`. */
export type SortKeyName<S extends RulesSpec> = S extends { readonly table: { readonly sortKey: infer N } } ? (N extends string ? N : never) : 'sk';

/** Attribute names no write may set: the key, the envelope and the TTL attribute. */
export type ReservedName<S extends RulesSpec> =
  | PartitionKeyName<S>
  | SortKeyName<S>
  | (S extends { readonly table: { readonly envelopeAttribute: infer N extends string } } ? N : '_cc')
  | (S extends { readonly table: { readonly ttlAttribute: infer N extends string } } ? N : '_ttl');

/** The key of an item of the table. */
export type ItemKey<S extends RulesSpec> =
  IsWide<S> extends true ? Readonly<Record<string, KeyValue>> : { readonly [N in PartitionKeyName<S>]: KeyValue } & { readonly [N in SortKeyName<S>]: KeyValue };

type ValueAt<K, N> = N extends keyof K ? K[N] : never;

/** True when the key `K` is sure to start with the prefix of `Match`. */
type PrefixMatches<S extends RulesSpec, Match, K> = Match extends { readonly prefix: infer P extends string }
  ? [ValueAt<K, Match extends { readonly on: 'sortKey' } ? SortKeyName<S> : PartitionKeyName<S>>] extends [infer V]
    ? [V] extends [never]
      ? false
      : V extends `${P}${string}`
        ? true
        : false
    : false
  : false;

/** The names of the entities whose key prefix the key `K` is sure to start with. */
export type EntityOfKey<S extends RulesSpec, K> = {
  [E in keyof S['entities']]: PrefixMatches<S, S['entities'][E]['match'], K> extends true ? E : never;
}[keyof S['entities']];

/** The attributes of an entity spec whose rule has `Kind`. */
type AttributesOfKind<Spec, Kind extends string> = Spec extends { readonly attributes: infer A }
  ? { [N in keyof A]: A[N] extends Kind | { readonly kind: Kind } ? N : never }[keyof A] & string
  : never;

/** `Names` when the key's entity is known, else `string`. */
type Narrowed<S extends RulesSpec, K, Names> = IsWide<S> extends true ? string : [EntityOfKey<S, K>] extends [never] ? string : Names;

/** The counter attributes of the key's entity (`string` when it cannot be known). */
export type CounterAttribute<S extends RulesSpec, K> = Narrowed<S, K, AttributesOfKind<S['entities'][EntityOfKey<S, K>], 'counter'>>;

/** The add-wins set attributes of the key's entity (`string` when it cannot be known). */
export type SetAttribute<S extends RulesSpec, K> = Narrowed<S, K, AttributesOfKind<S['entities'][EntityOfKey<S, K>], 'addWinsSet'>>;

/** Plain value types by declared attribute type, as the DocumentClient reads and writes them. */
interface ValueOfType {
  string: string;
  number: number;
  boolean: boolean;
  binary: Uint8Array;
  stringSet: Set<string>;
  numberSet: Set<number>;
  binarySet: Set<Uint8Array>;
  list: unknown[];
  map: Record<string, unknown>;
  any: unknown;
}

/** The plain value an attribute rule accepts. */
type ValueOfRule<R> = R extends 'counter' | { readonly kind: 'counter' }
  ? number
  : R extends 'addWinsSet' | { readonly kind: 'addWinsSet' }
    ? Set<string>
    : R extends { readonly kind: 'priority' }
      ? string
      : R extends { readonly type: infer T extends keyof ValueOfType }
        ? ValueOfType[T]
        : unknown;

type DeclaredValues<Spec> = [Spec] extends [never] ? unknown : Spec extends { readonly attributes: infer A } ? { readonly [N in keyof A]?: ValueOfRule<A[N]> } : unknown;

/**
 * The attributes a put or an update may set: declared attributes with their rule's
 * value type, any other attribute with any value, and never a reserved name.
 */
export type ItemValues<S extends RulesSpec, K> =
  IsWide<S> extends true
    ? Readonly<Record<string, unknown>>
    : { readonly [N in ReservedName<S>]?: never } & DeclaredValues<S['entities'][EntityOfKey<S, K>]> & { readonly [name: string]: unknown };
