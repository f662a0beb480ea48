/**
 * `defineRules`: declares a table's merge rules and validates them at load time, so
 * a mistake fails at cold start with the entity, attribute and reason, never in the
 * middle of a merge.
 */
import { RuleValidationError } from '../errors';
import type { AttributeMap, AttributeValue } from '../dynamodb/attribute-value';
import { dict, own } from '../dynamodb/dict';
import { DEFAULT_MAX_CLOCK_OFFSET_MS } from '../clock/hlc';
import {
  AttributeType,
  DeletePolicy,
  HardDeletePolicy,
  RuleKind,
  UnversionedOverwritePolicy,
  type AttributeRule,
  type AttributeRuleSpec,
  type Entity,
  type EntitySpec,
  type RuleSet,
  type RulesSpec,
  type TableSettings,
} from './types';

const KINDS = Object.values(RuleKind) as string[];
const TYPES = Object.values(AttributeType) as string[];
const DELETE_POLICIES = Object.values(DeletePolicy) as string[];
const ENTITY_FIELDS = ['match', 'attributes', 'otherAttributes', 'onDelete', 'invariants'];
const FALLBACK = '(fallback)';
const DEFAULT_RETENTION_SECONDS = 7 * 24 * 3600;

/** Value types each kind accepts, and the type it assumes when none is declared. */
const TYPES_OF_KIND: Record<RuleKind, { readonly accepts: readonly AttributeType[] | 'all'; readonly assumed: AttributeType }> = {
  lww: { accepts: 'all', assumed: 'any' },
  manual: { accepts: 'all', assumed: 'any' },
  custom: { accepts: 'all', assumed: 'any' },
  max: { accepts: ['string', 'number', 'any'], assumed: 'any' },
  min: { accepts: ['string', 'number', 'any'], assumed: 'any' },
  counter: { accepts: ['number'], assumed: 'number' },
  addWinsSet: { accepts: ['stringSet'], assumed: 'stringSet' },
  union: { accepts: ['stringSet', 'numberSet', 'binarySet', 'list', 'any'], assumed: 'any' },
  priority: { accepts: ['string'], assumed: 'string' },
};

const LWW: AttributeRule = Object.freeze({ kind: RuleKind.Lww, type: AttributeType.Any });

function fail(entity: string, attribute: string | undefined, reason: string): never {
  throw new RuleValidationError(entity, attribute, reason);
}

function compileTable(spec: RulesSpec['table'] = {}): TableSettings {
  const table: TableSettings = {
    partitionKey: spec.partitionKey ?? 'pk',
    sortKey: spec.sortKey === undefined ? 'sk' : spec.sortKey,
    envelopeAttribute: spec.envelopeAttribute ?? '_cc',
    ttlAttribute: spec.ttlAttribute ?? '_ttl',
    tombstoneRetentionSeconds: spec.tombstoneRetentionSeconds ?? DEFAULT_RETENTION_SECONDS,
    maxClockOffsetMs: spec.maxClockOffsetMs ?? DEFAULT_MAX_CLOCK_OFFSET_MS,
  };
  const names = [table.partitionKey, table.sortKey, table.envelopeAttribute, table.ttlAttribute].filter((n) => n !== null);
  for (const name of names) if (typeof name !== 'string' || name === '') fail('(table)', undefined, 'attribute names must be non-empty strings');
  if (new Set(names).size !== names.length) fail('(table)', undefined, `key, envelope and TTL attributes must differ, got ${names.join(', ')}`);
  for (const setting of ['tombstoneRetentionSeconds', 'maxClockOffsetMs'] as const) {
    if (!Number.isSafeInteger(table[setting]) || table[setting] <= 0) fail('(table)', undefined, `${setting} must be a positive whole number, got ${String(spec[setting])}`);
  }
  return Object.freeze(table);
}

function compileRule(entity: string, attribute: string, spec: AttributeRuleSpec, table: TableSettings): AttributeRule {
  const options: Record<string, unknown> = typeof spec === 'string' ? { kind: spec } : (spec as unknown as Record<string, unknown>);
  if (options === null || typeof options !== 'object') fail(entity, attribute, 'a rule must be a kind name or an object with a kind');
  const kind = options.kind;
  if (typeof kind !== 'string' || !KINDS.includes(kind)) {
    fail(entity, attribute, `unknown rule kind ${JSON.stringify(kind)} (expected one of ${KINDS.join(', ')})`);
  }
  const ruleKind = kind as RuleKind;
  const reserved = [table.partitionKey, table.sortKey];
  if (reserved.includes(attribute)) fail(entity, attribute, `a rule cannot target the key attribute "${attribute}"`);
  if (attribute === table.envelopeAttribute || attribute === table.ttlAttribute) {
    fail(entity, attribute, `"${attribute}" is reserved for Concord (envelope or TTL attribute)`);
  }
  if ((ruleKind === RuleKind.Counter || ruleKind === RuleKind.AddWinsSet) && attribute === 'sib') {
    fail(entity, attribute, 'a counter or add-wins set cannot be named "sib" (its state would collide with _cc.crdt.sib)');
  }
  const { accepts, assumed } = TYPES_OF_KIND[ruleKind];
  const declared = options.type;
  if (declared !== undefined && (typeof declared !== 'string' || !TYPES.includes(declared))) {
    fail(entity, attribute, `unknown type ${JSON.stringify(declared)} (expected one of ${TYPES.join(', ')})`);
  }
  const type = (declared ?? assumed) as AttributeType;
  if (accepts !== 'all' && !accepts.includes(type)) {
    const article = ruleKind === RuleKind.AddWinsSet ? 'an add-wins set' : `a ${ruleKind}`;
    fail(entity, attribute, `${article} must be a ${accepts.filter((t) => t !== 'any').join(' or ')}, declared type "${type}"`);
  }
  const rule: { -readonly [K in keyof AttributeRule]: AttributeRule[K] } = { kind: ruleKind, type };
  if (ruleKind === RuleKind.Priority) rule.rank = compilePriority(entity, attribute, options.order);
  if (ruleKind === RuleKind.Custom) {
    if (typeof options.merge !== 'function') fail(entity, attribute, 'a custom rule needs a merge(a, b) function');
    rule.merge = options.merge as AttributeRule['merge'];
  }
  return Object.freeze(rule);
}

function compilePriority(entity: string, attribute: string, order: unknown): ReadonlyMap<string, number> {
  if (!Array.isArray(order) || order.length === 0) fail(entity, attribute, 'a priority rule needs a non-empty order list');
  const rank = new Map<string, number>();
  order.forEach((value: unknown, index) => {
    if (typeof value !== 'string' || value === '') fail(entity, attribute, `priority values must be non-empty strings, got ${JSON.stringify(value)}`);
    if (rank.has(value)) fail(entity, attribute, `priority order lists "${value}" twice`);
    rank.set(value, index);
  });
  return rank;
}

function compileEntity(name: string, spec: Partial<EntitySpec>, table: TableSettings, isFallback: boolean): Entity {
  if (spec === null || typeof spec !== 'object') fail(name, undefined, 'an entity must be an object');
  for (const field of Object.keys(spec)) {
    if (!ENTITY_FIELDS.includes(field) || (isFallback && field === 'match')) {
      fail(name, undefined, `unknown field "${field}" (expected ${ENTITY_FIELDS.filter((f) => !isFallback || f !== 'match').join(', ')})`);
    }
  }
  if (!isFallback) validateMatch(name, spec.match, table);
  const onDelete = spec.onDelete ?? DeletePolicy.UpdateWins;
  if (!DELETE_POLICIES.includes(onDelete)) fail(name, undefined, `unknown onDelete ${JSON.stringify(onDelete)} (expected ${DELETE_POLICIES.join(' or ')})`);
  const attributes = dict<AttributeRule>();
  for (const [attribute, rule] of Object.entries(spec.attributes ?? {})) attributes[attribute] = compileRule(name, attribute, rule, table);
  const otherAttributes = spec.otherAttributes === undefined ? LWW : compileRule(name, '(otherAttributes)', spec.otherAttributes, table);
  if (otherAttributes.kind === RuleKind.Counter || otherAttributes.kind === RuleKind.AddWinsSet) {
    fail(name, '(otherAttributes)', `${otherAttributes.kind} must name its attributes`);
  }
  const invariants = Object.entries(spec.invariants ?? {});
  for (const [label, check] of invariants) if (typeof check !== 'function') fail(name, undefined, `invariant "${label}" must be a function of the merged item`);
  return Object.freeze({ name, match: spec.match, onDelete, attributes: Object.freeze(attributes), otherAttributes, invariants: Object.freeze(invariants) });
}

function validateMatch(entity: string, match: EntitySpec['match'] | undefined, table: TableSettings): void {
  if (match === undefined || match === null || typeof match !== 'object') fail(entity, undefined, 'an entity needs a match: { prefix } or { attribute, equals }');
  if ('prefix' in match) {
    if (typeof match.prefix !== 'string' || match.prefix === '') fail(entity, undefined, 'match.prefix must be a non-empty string');
    if (match.on === 'sortKey' && table.sortKey === null) fail(entity, undefined, 'match.on is sortKey but the table has no sort key');
    if (match.on !== undefined && match.on !== 'partitionKey' && match.on !== 'sortKey') fail(entity, undefined, 'match.on must be partitionKey or sortKey');
  } else if ('attribute' in match) {
    if (typeof match.attribute !== 'string' || match.attribute === '' || typeof match.equals !== 'string') {
      fail(entity, undefined, 'match needs an attribute name and the string it equals');
    }
  } else {
    fail(entity, undefined, 'an entity needs a match: { prefix } or { attribute, equals }');
  }
}

function matchKey(match: EntitySpec['match']): string {
  return 'prefix' in match ? `${match.on ?? 'partitionKey'}:${match.prefix}` : `attribute:${match.attribute}=${match.equals}`;
}

/**
 * Declares and validates a table's merge rules.
 *
 * @throws RuleValidationError naming the entity, the attribute and the reason
 * @example
 * export default defineRules({
 *   entities: {
 *     cart: { match: { prefix: 'CART#' }, attributes: { items: 'addWinsSet', updatedAt: 'max' } },
 *   },
 * });
 */
export function defineRules<const S extends RulesSpec>(spec: S): RuleSet<S> {
  if (spec === null || typeof spec !== 'object' || spec.entities === null || typeof spec.entities !== 'object') {
    fail('(rules)', undefined, 'rules need an entities object');
  }
  const table = compileTable(spec.table);
  const seen = new Map<string, string>();
  const entities = Object.entries(spec.entities).map(([name, entity]) => {
    const compiled = compileEntity(name, entity, table, false);
    const key = matchKey(entity.match);
    const previous = seen.get(key);
    if (previous !== undefined) fail(name, undefined, `matches the same items as entity "${previous}" (${key})`);
    seen.set(key, name);
    return compiled;
  });
  const unversionedOverwrite = spec.policies?.unversionedOverwrite ?? UnversionedOverwritePolicy.Accept;
  const hardDelete = spec.policies?.hardDelete ?? HardDeletePolicy.Accept;
  if (!(Object.values(UnversionedOverwritePolicy) as string[]).includes(unversionedOverwrite)) {
    fail('(policies)', undefined, `unversionedOverwrite must be accept or merge, got ${JSON.stringify(unversionedOverwrite)}`);
  }
  if (!(Object.values(HardDeletePolicy) as string[]).includes(hardDelete)) {
    fail('(policies)', undefined, `hardDelete must be accept or restore, got ${JSON.stringify(hardDelete)}`);
  }
  return Object.freeze({
    spec,
    table,
    entities: Object.freeze(entities),
    fallback: compileEntity(FALLBACK, spec.fallback ?? {}, table, true),
    policies: Object.freeze({ unversionedOverwrite, hardDelete }),
    audit: Object.freeze({ includeValues: spec.audit?.includeValues ?? false, redact: new Set(spec.audit?.redact ?? []) }),
  });
}

/** True when `value` is a rule set made by `defineRules`. */
export function isRuleSet(value: unknown): value is RuleSet {
  return typeof value === 'object' && value !== null && 'table' in value && 'entities' in value && 'fallback' in value;
}

/**
 * The entity whose rules apply to an item: the first whose match accepts its key, or
 * the value of its type attribute (as `valueOf` reads it); the fallback otherwise.
 *
 * @example
 * entityFor(rules, { pk: { S: 'CART#42' }, sk: { S: 'CART' } }).name; // 'cart'
 */
export function entityFor(rules: RuleSet, key: AttributeMap, valueOf?: (attribute: string) => AttributeValue | undefined): Entity {
  for (const entity of rules.entities) {
    const match = entity.match as EntitySpec['match'];
    if ('prefix' in match) {
      const keyName = match.on === 'sortKey' ? rules.table.sortKey : rules.table.partitionKey;
      const value = keyName === null ? undefined : stringOf(own(key, keyName));
      if (value !== undefined && value.startsWith(match.prefix)) return entity;
    } else if (valueOf !== undefined && stringOf(valueOf(match.attribute)) === match.equals) {
      return entity;
    }
  }
  return rules.fallback;
}

function stringOf(value: AttributeValue | undefined): string | undefined {
  return value !== undefined && 'S' in value ? value.S : undefined;
}

/** The rule of one attribute of an entity. */
export function ruleFor(entity: Entity, attribute: string): AttributeRule {
  return own(entity.attributes, attribute) ?? entity.otherAttributes;
}
