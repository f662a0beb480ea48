/**
 * The vocabulary of a table's business merge rules: which rule settles each
 * attribute's concurrent writes, per entity.
 */
import type { NativeAttributeValue } from '@aws-sdk/util-dynamodb';

/** How concurrent writes of one attribute are settled. */
export const RuleKind = {
  /** The value of the write with the largest clock (the default). */
  Lww: 'lww',
  Max: 'max',
  Min: 'min',
  /** A PN-counter: every region's increments are kept. */
  Counter: 'counter',
  /** A string set where an add concurrent with a remove survives. */
  AddWinsSet: 'addWinsSet',
  /** Set or list values are unioned. */
  Union: 'union',
  /** The highest value in a declared order (e.g. order status). */
  Priority: 'priority',
  /** A user function, which must be commutative, associative and idempotent. */
  Custom: 'custom',
  /** Like `lww` for the visible value; the siblings are kept and the item is escalated. */
  Manual: 'manual',
} as const;
export type RuleKind = (typeof RuleKind)[keyof typeof RuleKind];

/** The value type an attribute holds, checked by the writer and used by the law checker. */
export const AttributeType = {
  String: 'string',
  Number: 'number',
  Boolean: 'boolean',
  Binary: 'binary',
  StringSet: 'stringSet',
  NumberSet: 'numberSet',
  BinarySet: 'binarySet',
  List: 'list',
  Map: 'map',
  Any: 'any',
} as const;
export type AttributeType = (typeof AttributeType)[keyof typeof AttributeType];

/** What happens when a delete of the item is concurrent with an update. */
export const DeletePolicy = {
  /** The item stays, with the attributes the deleter had not seen (like Riak maps). */
  UpdateWins: 'updateWins',
  /** The tombstone stays. */
  DeleteWins: 'deleteWins',
} as const;
export type DeletePolicy = (typeof DeletePolicy)[keyof typeof DeletePolicy];

/** What the resolver does with an item overwritten by a client that bypassed Concord. */
export const UnversionedOverwritePolicy = { Accept: 'accept', Merge: 'merge' } as const;
export type UnversionedOverwritePolicy = (typeof UnversionedOverwritePolicy)[keyof typeof UnversionedOverwritePolicy];

/** What the resolver does with a Concord item deleted outright (not through a tombstone). */
export const HardDeletePolicy = { Accept: 'accept', Restore: 'restore' } as const;
export type HardDeletePolicy = (typeof HardDeletePolicy)[keyof typeof HardDeletePolicy];

type SimpleKind = 'lww' | 'max' | 'min' | 'counter' | 'addWinsSet' | 'union' | 'manual';

/** A plain item value as the AWS SDK's `unmarshall` returns it. */
export type PlainValue = NativeAttributeValue;
/** A plain item as the AWS SDK's `unmarshall` returns it. */
export type PlainItem = Record<string, PlainValue>;

/** The rule of one attribute: a kind, or an object with the kind and its options. */
export type AttributeRuleSpec =
  | SimpleKind
  | { readonly kind: SimpleKind; readonly type?: AttributeType }
  | { readonly kind: 'priority'; readonly order: readonly string[]; readonly type?: 'string' }
  | CustomRuleSpec;

/** A user-defined merge of two plain values; it must be commutative, associative and idempotent. */
export interface CustomRuleSpec {
  readonly kind: 'custom';
  readonly type?: AttributeType;
  merge(a: PlainValue, b: PlainValue): PlainValue;
}

/** A predicate the merged item must satisfy; a violation escalates the conflict. */
export type Invariant = (item: PlainItem) => boolean;

/** How an entity is recognised: a key prefix, or the value of a type attribute. */
export type EntityMatch =
  | { readonly prefix: string; readonly on?: 'partitionKey' | 'sortKey' }
  | { readonly attribute: string; readonly equals: string };

/** The rules of one kind of item. */
export interface EntitySpec {
  readonly match: EntityMatch;
  readonly attributes?: Readonly<Record<string, AttributeRuleSpec>>;
  /** The rule of every attribute not listed; `lww` unless given. */
  readonly otherAttributes?: AttributeRuleSpec;
  readonly onDelete?: DeletePolicy;
  readonly invariants?: Readonly<Record<string, Invariant>>;
}

/** Table-wide names and settings. */
export interface TableSpec {
  readonly partitionKey?: string;
  /** `null` for a table without a sort key. */
  readonly sortKey?: string | null;
  /** The reserved map attribute holding Concord's metadata. */
  readonly envelopeAttribute?: string;
  /** The table's TTL attribute, set on tombstones only. */
  readonly ttlAttribute?: string;
  /** How long a tombstone is kept before TTL collects it. */
  readonly tombstoneRetentionSeconds?: number;
  /**
   * The largest error of any writer's or resolver's wall clock, in ms (design §7, A1;
   * default 500). Floors trail the resolver's clock by twice this plus a second.
   */
  readonly maxClockOffsetMs?: number;
}

/** Audit settings: whether events may carry attribute values, and which never. */
export interface AuditSpec {
  readonly includeValues?: boolean;
  readonly redact?: readonly string[];
}

/** A table's rules as declared by its owner. */
export interface RulesSpec {
  readonly table?: TableSpec;
  /** Tried in declaration order; the first match wins. */
  readonly entities: Readonly<Record<string, EntitySpec>>;
  /** The rules of items no entity matches; every attribute `lww` unless given. */
  readonly fallback?: Omit<EntitySpec, 'match'>;
  readonly policies?: {
    readonly unversionedOverwrite?: UnversionedOverwritePolicy;
    readonly hardDelete?: HardDeletePolicy;
  };
  readonly audit?: AuditSpec;
}

/** One attribute's rule, validated and ready to apply. */
export interface AttributeRule {
  readonly kind: RuleKind;
  readonly type: AttributeType;
  /** For `priority`: value to rank (higher wins). */
  readonly rank?: ReadonlyMap<string, number>;
  /** For `custom`. */
  readonly merge?: (a: PlainValue, b: PlainValue) => PlainValue;
}

/** One entity's rules, validated. */
export interface Entity {
  readonly name: string;
  readonly match: EntityMatch | undefined;
  readonly onDelete: DeletePolicy;
  readonly attributes: Readonly<Record<string, AttributeRule>>;
  readonly otherAttributes: AttributeRule;
  readonly invariants: readonly (readonly [string, Invariant])[];
}

/** Table names and settings with every default filled in. */
export interface TableSettings {
  readonly partitionKey: string;
  readonly sortKey: string | null;
  readonly envelopeAttribute: string;
  readonly ttlAttribute: string;
  readonly tombstoneRetentionSeconds: number;
  readonly maxClockOffsetMs: number;
}

/** A validated rule set, as `defineRules` returns it. */
export interface RuleSet<S extends RulesSpec = RulesSpec> {
  readonly spec: S;
  readonly table: TableSettings;
  readonly entities: readonly Entity[];
  readonly fallback: Entity;
  readonly policies: { readonly unversionedOverwrite: UnversionedOverwritePolicy; readonly hardDelete: HardDeletePolicy };
  readonly audit: { readonly includeValues: boolean; readonly redact: ReadonlySet<string> };
}
