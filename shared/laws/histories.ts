/**
 * Generated histories for the model of world.ts: writes by several writer instances per
 * region, replication deliveries, resolver runs (late or redelivered), and time passing
 * (from milliseconds to hours, so floors rise and lines end). States the law checker and
 * the property tests meet come from these histories, never from arbitrary structs, so
 * every state is one a real table can hold.
 */
import fc from 'fast-check';
import { canonicalJson, type AttributeMap, type AttributeValue } from '../dynamodb/attribute-value';
import { ruleFor } from '../rules/define-rules';
import { RuleKind, type AttributeRule, type AttributeType, type Entity, type RuleSet } from '../rules/types';
import { decodeItem } from '../item/state';
import { encodeItem } from '../item/encode';
import type { Change } from '../write/change';
import type { Step } from './world';

export const DEFAULT_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;

/**
 * How values are drawn: `small` from a few values per type, so that histories collide
 * often (the merge's property tests); `whole` from the whole domain of each type (random
 * strings, numbers of any size within DynamoDB's 38 digits, sets, lists and maps: the law
 * checker of users' rules).
 */
export type ValueDomain = 'small' | 'whole';

const ELEMENTS = ['a', 'b', 'c'];

/** Any DynamoDB number: whole or fractional, up to 38 significant digits, either sign. */
const anyNumber: fc.Arbitrary<string> = fc.oneof(
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 38n) + 1n, max: 10n ** 38n - 1n }).map(String),
  fc.tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 1, max: 17 })).map(([digits, scale]) => {
    const text = (digits < 0n ? -digits : digits).toString().padStart(scale + 1, '0');
    return `${digits < 0n ? '-' : ''}${text.slice(0, -scale)}.${text.slice(-scale)}`;
  }),
);

function words(domain: ValueDomain): fc.Arbitrary<string> {
  return domain === 'small' ? fc.constantFrom('', 'a', 'b', 'ab', 'ba', 'abc') : fc.string({ unit: 'binary', maxLength: 12 });
}

function numbers(domain: ValueDomain): fc.Arbitrary<string> {
  return domain === 'small' ? fc.integer({ min: -5, max: 5 }).map(String) : anyNumber;
}

/**
 * A value of a declared type. An undeclared type takes what the rule compares: numbers
 * for max and min, sets or lists for union, anything else for the rest.
 */
export function valueArbitrary(declared: AttributeType, rule?: AttributeRule, domain: ValueDomain = 'small'): fc.Arbitrary<AttributeValue> {
  if (rule?.kind === RuleKind.Priority) {
    return fc.constantFrom(...[...(rule.rank ?? new Map()).keys(), 'UNRANKED']).map((S) => ({ S }));
  }
  const word = words(domain);
  const number = numbers(domain);
  const setOf = (member: fc.Arbitrary<string>): fc.Arbitrary<string[]> =>
    fc.uniqueArray(domain === 'small' ? fc.constantFrom(...ELEMENTS) : member, { minLength: 1, maxLength: domain === 'small' ? 3 : 6 }).map((members) => [...members].sort());
  const binary = domain === 'small' ? fc.constantFrom('AA==', 'AQ==', 'Ag==') : fc.uint8Array({ maxLength: 8 }).map((bytes) => Buffer.from(bytes).toString('base64'));
  const byType: Record<Exclude<AttributeType, 'any'>, fc.Arbitrary<AttributeValue>> = {
    string: word.map((S) => ({ S })),
    number: number.map((N) => ({ N })),
    boolean: fc.boolean().map((BOOL) => ({ BOOL })),
    binary: binary.map((B) => ({ B })),
    stringSet: setOf(word.filter((s) => s !== '')).map((SS) => ({ SS })),
    numberSet: fc.uniqueArray(number, { minLength: 1, maxLength: 4, selector: canonicalNumber }).map((NS) => ({ NS: [...NS].sort() })),
    binarySet: fc.uniqueArray(binary, { minLength: 1, maxLength: 3 }).map((BS) => ({ BS: [...BS].sort() })),
    list: fc.array(word.map((S) => ({ S }) as AttributeValue), { maxLength: 3 }).map((L) => ({ L })),
    map: fc.dictionary(domain === 'small' ? fc.constantFrom('x', 'y') : fc.string({ maxLength: 6 }), word.map((S) => ({ S }) as AttributeValue), { maxKeys: 3, noNullPrototype: true }).map((M) => ({ M })),
  };
  if (declared !== 'any') return byType[declared];
  switch (rule?.kind) {
    case RuleKind.Max:
    case RuleKind.Min:
      // One type per attribute: mixing numbers and strings is a data error the rule reports.
      return byType.number;
    case RuleKind.Union:
      return fc.oneof(byType.stringSet, byType.numberSet, byType.list);
    default:
      return domain === 'small' ? fc.oneof(byType.string, byType.number) : fc.oneof(...Object.values(byType));
  }
}

/** Numbers that differ only in form are one member of a number set. */
function canonicalNumber(text: string): string {
  return text.replace(/^(-?)0+(?=\d)/, '$1').replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** A change one attribute's rule allows: an assignment, a removal, or the kind's own operations. */
function attributeChange(name: string, rule: AttributeRule, domain: ValueDomain): fc.Arbitrary<Change> {
  const set = valueArbitrary(rule.type, rule, domain).map((value): Change => ({ type: 'update', set: { [name]: value } }));
  const remove = fc.constant<Change>({ type: 'update', remove: [name] });
  if (rule.kind === RuleKind.Counter) {
    const counterSet = fc.integer({ min: -5, max: 5 }).map((n): Change => ({ type: 'update', set: { [name]: { N: String(n) } } }));
    return fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: -3, max: 3 }).map((delta): Change => ({ type: 'update', increment: { [name]: delta } })) },
      { weight: 1, arbitrary: counterSet },
      { weight: 1, arbitrary: remove },
    );
  }
  if (rule.kind === RuleKind.AddWinsSet) {
    const elements = fc.uniqueArray(fc.constantFrom(...ELEMENTS), { minLength: 1, maxLength: 2 });
    return fc.oneof(
      { weight: 3, arbitrary: elements.map((list): Change => ({ type: 'update', addToSet: { [name]: list } })) },
      { weight: 3, arbitrary: elements.map((list): Change => ({ type: 'update', removeFromSet: { [name]: list } })) },
      { weight: 1, arbitrary: elements.map((list): Change => ({ type: 'update', set: { [name]: { SS: [...list].sort() } } })) },
      { weight: 1, arbitrary: remove },
    );
  }
  return fc.oneof({ weight: 3, arbitrary: set }, { weight: 1, arbitrary: remove });
}

/** The attributes a history writes for an entity: its declared ones and one governed by `otherAttributes`. */
export function attributesOf(entity: Entity): string[] {
  return [...Object.keys(entity.attributes), 'extra'];
}

/** Any change to an entity's item: one attribute's change, a put of every attribute, or a delete. */
export function changeArbitrary(entity: Entity, attributes: readonly string[] = attributesOf(entity), domain: ValueDomain = 'small'): fc.Arbitrary<Change> {
  const single = fc.oneof(...attributes.map((name) => attributeChange(name, ruleFor(entity, name), domain)));
  const put = fc
    .tuple(...attributes.map((name) => fc.option(valueArbitrary(ruleFor(entity, name).type, ruleFor(entity, name), domain), { nil: undefined })))
    .map((values): Change => ({
      type: 'put',
      item: Object.fromEntries(attributes.flatMap((name, i) => {
        const value = values[i];
        if (value === undefined) return [];
        // A counter is assigned a whole number: put one there.
        return [[name, ruleFor(entity, name).kind === RuleKind.Counter ? { N: '1' } : value]];
      })),
    }));
  return fc.oneof({ weight: 12, arbitrary: single }, { weight: 1, arbitrary: put }, { weight: 1, arbitrary: fc.constant<Change>({ type: 'delete' }) });
}

/** The shape of generated histories. */
export interface HistoryShape {
  readonly regions: number;
  readonly writersPerRegion: number;
  readonly maxSteps: number;
  /** Weight of resolver steps against deliveries: low makes resolvers lag. */
  readonly resolverWeight?: number;
}

/** Time that may pass in one step: a replication delay, a resolver's lag, minutes, a long partition. */
const WAITS = [20, 150, 2_000, 15_000, 90_000, 3 * 3_600_000];

/**
 * A history: writes, deliveries, resolver runs, redeliveries and waits among `regions`.
 *
 * @example
 * fc.assert(fc.property(historyArbitrary(entity, { regions: 3, writersPerRegion: 2, maxSteps: 60 }), (steps) => ...));
 */
export function historyArbitrary(entity: Entity, shape: HistoryShape, attributes?: readonly string[]): fc.Arbitrary<Step[]> {
  const region = fc.integer({ min: 0, max: shape.regions - 1 });
  const write = fc.record({ kind: fc.constant('write' as const), region, writer: fc.integer({ min: 0, max: shape.writersPerRegion - 1 }), change: changeArbitrary(entity, attributes) });
  const deliver = fc.record({ kind: fc.constant('deliver' as const), from: region, to: region }).filter((step) => step.from !== step.to);
  const resolve = fc.record({ kind: fc.constant('resolve' as const), region });
  const redeliver = fc.record({ kind: fc.constant('redeliver' as const), region });
  const wait = fc.record({ kind: fc.constant('wait' as const), ms: fc.constantFrom(...WAITS) });
  const resolverWeight = shape.resolverWeight ?? 3;
  return fc.array(
    fc.oneof(
      { weight: 5, arbitrary: write },
      { weight: 4, arbitrary: deliver },
      { weight: resolverWeight, arbitrary: resolve },
      { weight: 1, arbitrary: redeliver },
      { weight: 1, arbitrary: wait },
    ),
    { minLength: 1, maxLength: shape.maxSteps, size: 'max' },
  );
}

/**
 * Canonical bytes of an item's state: its image re-encoded without `wid`, `by` and `tip`,
 * which describe the lineage of a version (the event that produced it, where, and on which
 * line), not its state.
 */
export function stateBytes(image: AttributeMap | undefined, rules: RuleSet): string {
  if (image === undefined) return 'undefined';
  const state = decodeItem(image, rules.table);
  return canonicalJson(encodeItem({ ...state, tip: undefined, wid: '', by: '' }, rules).image);
}
