/**
 * `checkRuleLaws`: property-tests a rule set, custom functions included, for the laws
 * that make replicas converge: every merge must be idempotent, commutative and
 * associative. Failures come back shrunk to a small, readable counter-example.
 */
import fc from 'fast-check';
import { convertToNative } from '@aws-sdk/util-dynamodb';
import { canonicalJson, type AttributeMap } from '../dynamodb/attribute-value';
import { dict } from '../dynamodb/dict';
import { merge, visibleOf } from '../merge/merge';
import { ruleFor } from '../rules/define-rules';
import { RuleKind, type Entity, type EntityMatch, type PlainValue, type RuleSet } from '../rules/types';
import type { Change } from '../write/change';
import { DEFAULT_REGIONS, attributesOf, historyArbitrary, stateBytes, valueArbitrary } from './histories';
import { describeStep, World, type Step } from './world';

/** The laws a merge must obey. */
export const Law = {
  Idempotence: 'idempotence',
  Commutativity: 'commutativity',
  Associativity: 'associativity',
} as const;
export type Law = (typeof Law)[keyof typeof Law];

export interface LawFailure {
  readonly law: Law;
  readonly entity: string;
  /** Set for a custom function's own laws. */
  readonly attribute?: string;
  /** What went wrong, on the shrunk counter-example. */
  readonly message: string;
  /** Replays the failure: `checkRuleLaws(rules, { seed })`. */
  readonly seed: number;
}

export interface LawReport {
  readonly ok: boolean;
  readonly failures: readonly LawFailure[];
}

export interface LawCheckOptions {
  /** Generated cases per law (default 1,000). */
  readonly runs?: number;
  readonly seed?: number;
  readonly regions?: readonly string[];
  /** Steps per generated history (default 30). */
  readonly maxSteps?: number;
}

class LawBroken extends Error {
  override readonly name = 'LawBroken';
}

/**
 * Checks every entity's merge, and every custom function, for idempotence,
 * commutativity and associativity.
 *
 * @example
 * const report = checkRuleLaws(rules, { runs: 500 });
 * if (!report.ok) throw new Error(report.failures.map((f) => f.message).join('\n'));
 */
export function checkRuleLaws(rules: RuleSet, options: LawCheckOptions = {}): LawReport {
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const failures: LawFailure[] = [];
  for (const entity of [...rules.entities, rules.fallback]) {
    for (const [attribute, rule] of Object.entries(entity.attributes)) {
      if (rule.kind === RuleKind.Custom) failures.push(...checkCustomLaws(entity, attribute, options.runs ?? 1000, seed));
    }
    failures.push(...checkMergeLaws(rules, entity, options, seed));
  }
  return { ok: failures.length === 0, failures };
}

/** A plain value as readable JSON, in canonical form: a set by its content (members sorted), a map by its keys. */
function describeValue(value: PlainValue): string {
  return canonicalJson(JSON.parse(JSON.stringify(value, (_, member: unknown) => (member instanceof Set ? [...member].map(String).sort() : typeof member === 'bigint' ? String(member) : member)) ?? null));
}

/** A value as a custom rule receives it: plain, as the AWS SDK unmarshalls it (numbers it can hold exactly). */
function plainValue(value: AttributeMap[string]): PlainValue | undefined {
  try {
    return convertToNative(value as never) as PlainValue;
  } catch {
    return undefined;
  }
}

/** The function's own laws on values of its declared type. */
function checkCustomLaws(entity: Entity, attribute: string, runs: number, seed: number): LawFailure[] {
  const subject = `custom rule of entity "${entity.name}" attribute "${attribute}"`;
  const rule = ruleFor(entity, attribute);
  const merge = rule.merge as (a: PlainValue, b: PlainValue) => PlainValue;
  const call = (a: PlainValue, b: PlainValue): PlainValue => {
    try {
      return merge(a, b);
    } catch (error) {
      throw new LawBroken(`${subject} threw on merge(${describeValue(a)}, ${describeValue(b)}): ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  // The whole domain of the type: a lawful rule holds for every value, a lawless one fails on most.
  const value = valueArbitrary(rule.type, undefined, 'whole')
    .map(plainValue)
    .filter((v): v is PlainValue => v !== undefined);
  const same = (a: PlainValue, b: PlainValue): boolean => describeValue(a) === describeValue(b);
  const laws: [Law, fc.IProperty<PlainValue[]>][] = [
    [
      Law.Idempotence,
      fc.property(value, (x) => {
        const xx = call(x, x);
        if (!same(xx, x)) throw new LawBroken(`${subject} is not idempotent: merge(${describeValue(x)}, ${describeValue(x)}) returned ${describeValue(xx)}`);
      }),
    ],
    [
      Law.Commutativity,
      fc.property(value, value, (x, y) => {
        const xy = call(x, y);
        const yx = call(y, x);
        if (!same(xy, yx)) {
          throw new LawBroken(`${subject} is not commutative: merge(${describeValue(x)}, ${describeValue(y)}) returned ${describeValue(xy)} but merge(${describeValue(y)}, ${describeValue(x)}) returned ${describeValue(yx)}`);
        }
      }),
    ],
    [
      Law.Associativity,
      fc.property(value, value, value, (x, y, z) => {
        const left = call(call(x, y), z);
        const right = call(x, call(y, z));
        if (!same(left, right)) {
          throw new LawBroken(
            `${subject} is not associative: merge(merge(${describeValue(x)}, ${describeValue(y)}), ${describeValue(z)}) returned ${describeValue(left)} but merge(${describeValue(x)}, merge(${describeValue(y)}, ${describeValue(z)})) returned ${describeValue(right)}`,
          );
        }
      }),
    ],
  ];
  return laws.flatMap(([law, property]) => runLaw(property, runs, seed, { law, entity: entity.name, attribute }));
}

function runLaw<T>(property: fc.IProperty<T>, runs: number, seed: number, failure: Omit<LawFailure, 'message' | 'seed'>): LawFailure[] {
  const details = fc.check(property, { numRuns: runs, seed });
  if (!details.failed) return [];
  const error = details.errorInstance;
  const message = error instanceof Error ? error.message : String(error);
  return [{ ...failure, message, seed }];
}

/** A key that the entity's match accepts, and writes that keep a type attribute in place. */
function sampleKey(rules: RuleSet, match: EntityMatch | undefined): { key: AttributeMap; fixed: AttributeMap } {
  const { partitionKey, sortKey } = rules.table;
  const key = dict<AttributeMap[string]>();
  key[partitionKey] = { S: 'LAW#1' };
  if (sortKey !== null) key[sortKey] = { S: 'LAW' };
  if (match !== undefined && 'prefix' in match) key[match.on === 'sortKey' && sortKey !== null ? sortKey : partitionKey] = { S: `${match.prefix}1` };
  const fixed = dict<AttributeMap[string]>();
  if (match !== undefined && 'attribute' in match) fixed[match.attribute] = { S: match.equals };
  return { key, fixed };
}

function withFixed(change: Change, fixed: AttributeMap): Change {
  if (change.type === 'put') return { ...change, item: { ...change.item, ...fixed } };
  if (change.type === 'update') return { ...change, set: { ...change.set, ...fixed } };
  return change;
}

/**
 * The merge's laws as fast-check properties over generated histories of one entity (the
 * model of world.ts: writer instances, replication, resolvers, time), for tests that
 * assert each law on its own. The versions compared are any that a region held.
 *
 * @example
 * fc.assert(mergeLawProperties(rules, rules.entities[0])[Law.Commutativity], { numRuns: 1000 });
 */
export function mergeLawProperties(rules: RuleSet, entity: Entity, options: Pick<LawCheckOptions, 'regions' | 'maxSteps'> = {}): Record<Law, fc.IProperty<never>> {
  const regions = options.regions ?? DEFAULT_REGIONS;
  const { key, fixed } = sampleKey(rules, entity.match);
  const attributes = attributesOf(entity).filter((name) => !Object.hasOwn(fixed, name));
  const history = historyArbitrary(entity, { regions: regions.length, writersPerRegion: 2, maxSteps: options.maxSteps ?? 30 }, attributes).map((steps) =>
    steps.map((step): Step => (step.kind === 'write' ? { ...step, change: withFixed(step.change, fixed) } : step)),
  );
  // Every region starts from one shared version, so that all of them hold the item.
  const bootstrap: Step[] = [{ kind: 'write', region: 0, writer: 0, change: { type: 'put', item: fixed } }, ...regions.slice(1).map((_, i) => ({ kind: 'deliver' as const, from: 0, to: i + 1 }))];
  const versions = (steps: Step[]): AttributeMap[] => {
    const world = new World({ rules, key, regions, writersPerRegion: 2 });
    for (const step of [...bootstrap, ...steps]) world.step(step);
    return world.versions.flatMap((version) => (version.image === undefined ? [] : [version.image]));
  };
  const join = (a: AttributeMap, b: AttributeMap): AttributeMap => merge(a, b, rules, { table: 'concord-laws' }).item;
  const show = (image: AttributeMap): string => canonicalJson(visibleOf(image, rules));
  const same = (a: AttributeMap, b: AttributeMap): boolean => stateBytes(a, rules) === stateBytes(b, rules);
  const explain = (steps: Step[], what: string): string =>
    `entity "${entity.name}": ${what}\n  history (after a shared first version):\n${steps.map((step, i) => `    ${i + 1}. ${describeStep(step, regions)}`).join('\n')}`;
  // A rule that throws on the history's values is a failure too: say which history.
  const guarded =
    <A extends unknown[]>(check: (steps: Step[], ...rest: A) => void) =>
    (steps: Step[], ...rest: A): void => {
      try {
        check(steps, ...rest);
      } catch (error) {
        if (error instanceof LawBroken) throw error;
        throw new LawBroken(explain(steps, `merge threw: ${error instanceof Error ? error.message : String(error)}`));
      }
    };
  const pick = fc.nat();
  const at = (all: AttributeMap[], i: number): AttributeMap => all[i % all.length] as AttributeMap;
  const properties = {
    [Law.Idempotence]: fc.property(history, pick, guarded((steps, i: number) => {
      const a = at(versions(steps), i);
      const aa = join(a, a);
      if (!same(aa, a)) throw new LawBroken(explain(steps, `merge is not idempotent: a version shows ${show(a)} but merged with itself shows ${show(aa)}`));
    })),
    [Law.Commutativity]: fc.property(history, pick, pick, guarded((steps, i: number, j: number) => {
      const all = versions(steps);
      const ab = join(at(all, i), at(all, j));
      const ba = join(at(all, j), at(all, i));
      if (canonicalJson(ab) !== canonicalJson(ba)) {
        throw new LawBroken(explain(steps, `merge is not commutative: merge(A, B) shows ${show(ab)} but merge(B, A) shows ${show(ba)}`));
      }
    })),
    [Law.Associativity]: fc.property(history, pick, pick, pick, guarded((steps, i: number, j: number, k: number) => {
      const all = versions(steps);
      const [a, b, c] = [at(all, i), at(all, j), at(all, k)];
      const left = join(join(a, b), c);
      const right = join(a, join(b, c));
      if (!same(left, right)) throw new LawBroken(explain(steps, `merge is not associative: merge(merge(A, B), C) shows ${show(left)} but merge(A, merge(B, C)) shows ${show(right)}`));
    })),
  };
  return properties as unknown as Record<Law, fc.IProperty<never>>;
}

function checkMergeLaws(rules: RuleSet, entity: Entity, options: LawCheckOptions, seed: number): LawFailure[] {
  const properties = mergeLawProperties(rules, entity, options);
  return Object.values(Law).flatMap((law) => runLaw(properties[law], options.runs ?? 1000, seed, { entity: entity.name, law }));
}
