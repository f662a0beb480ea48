/**
 * What an attribute shows when several concurrent writes of it survive: the rule's
 * pick among them. A pick is a function of the set of writes, never of an earlier
 * pick, so a later merge with a third version sees every concurrent value.
 */
import { convertToAttr, convertToNative } from '@aws-sdk/util-dynamodb';
import { RuleApplicationError } from '../errors';
import { canonicalJson, parseAttributeValue, type AttributeValue } from '../dynamodb/attribute-value';
import { compareNumbers } from '../dynamodb/number';
import { RuleKind, type AttributeRule } from '../rules/types';
import type { Register } from '../item/state';

type Write = readonly [dot: string, value: AttributeValue];

/**
 * The value an attribute shows under `rule`, or undefined when it shows nothing (the
 * winning write removed it, or no write survives).
 *
 * @throws RuleApplicationError when the values do not suit the rule, or a custom merge throws
 */
export function pick(rule: AttributeRule, register: Register, entity: string, attribute: string): AttributeValue | undefined {
  if (register.size <= 1) {
    for (const value of register.values()) return value ?? undefined;
    return undefined;
  }
  const dots = [...register.keys()].sort();
  const last = dots[dots.length - 1] as string;
  if (rule.kind === RuleKind.Lww || rule.kind === RuleKind.Manual) return register.get(last) ?? undefined;
  const writes: Write[] = [];
  for (const dot of dots) {
    const value = register.get(dot);
    if (value !== null && value !== undefined) writes.push([dot, value]);
  }
  // Among concurrent writes a value beats a removal under every rule but lww and manual.
  if (writes.length === 0) return undefined;
  if (writes.length === 1) return (writes[0] as Write)[1];
  const fail = (reason: string, cause?: unknown): never => {
    throw new RuleApplicationError(entity, attribute, reason, { cause });
  };
  switch (rule.kind) {
    case RuleKind.Max:
    case RuleKind.Min:
      return extreme(writes, rule.kind === RuleKind.Max ? 1 : -1, fail);
    case RuleKind.Priority:
      return highestRanked(writes, rule.rank ?? new Map(), fail);
    case RuleKind.Union:
      return union(writes, fail);
    case RuleKind.Custom:
      return custom(writes, rule, fail);
    default:
      // Counters and add-wins sets show their own state; any other kind is lww.
      return register.get(last) ?? undefined;
  }
}

function typeOf(value: AttributeValue): string {
  return Object.keys(value)[0] as string;
}

function extreme(writes: Write[], direction: 1 | -1, fail: (reason: string) => never): AttributeValue {
  let best = (writes[0] as Write)[1];
  for (const [, value] of writes.slice(1)) {
    let order: number;
    // DynamoDB numbers have 38 significant digits: compared exactly, never through Number().
    if ('N' in value && 'N' in best) order = compareNumbers(value.N, best.N);
    else if ('S' in value && 'S' in best) order = value.S < best.S ? -1 : value.S > best.S ? 1 : 0;
    else return fail(`max and min compare numbers or strings, got ${typeOf(best)} and ${typeOf(value)}`);
    // Writes come in dot order, so on a tie the larger dot wins.
    if (order * direction >= 0) best = value;
  }
  return best;
}

function highestRanked(writes: Write[], rank: ReadonlyMap<string, number>, fail: (reason: string) => never): AttributeValue {
  let best: AttributeValue | undefined;
  let bestRank = -Infinity;
  for (const [, value] of writes) {
    if (!('S' in value)) return fail(`priority ranks strings, got ${typeOf(value)}`);
    // A value outside the declared order ranks below all of it.
    const valueRank = rank.get(value.S) ?? -1;
    if (valueRank >= bestRank) {
      best = value;
      bestRank = valueRank;
    }
  }
  return best as AttributeValue;
}

function union(writes: Write[], fail: (reason: string) => never): AttributeValue {
  const [, first] = writes[0] as Write;
  const type = typeOf(first);
  if (!['SS', 'NS', 'BS', 'L'].includes(type)) return fail(`union needs set or list values, got ${type}`);
  for (const [, value] of writes) if (!(type in value)) return fail(`union needs values of one type, got ${type} and ${typeOf(value)}`);
  if (type === 'L') {
    const members = new Map<string, AttributeValue>();
    for (const [, value] of writes) for (const member of (value as { L: AttributeValue[] }).L) members.set(canonicalJson(member), member);
    return { L: [...members.keys()].sort().map((json) => members.get(json) as AttributeValue) };
  }
  const members = new Set<string>();
  for (const [, value] of writes) for (const member of (value as Record<string, string[]>)[type] as string[]) members.add(member);
  return { [type]: [...members].sort() } as AttributeValue;
}

function custom(writes: Write[], rule: AttributeRule, fail: (reason: string, cause?: unknown) => never): AttributeValue {
  const merge = rule.merge as NonNullable<AttributeRule['merge']>;
  let merged: unknown;
  try {
    // The fold order is canonical (by dot); the rule's laws make any order give the same value.
    merged = writes.map(([, value]) => convertToNative(value as never)).reduce((a, b) => merge(a, b));
  } catch (error) {
    return fail(`custom merge threw: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  try {
    return parseAttributeValue(convertToAttr(merged, { removeUndefinedValues: true }), 'custom merge result');
  } catch (error) {
    return fail(`custom merge returned a value DynamoDB cannot store (a ${typeof merged})`, error);
  }
}
