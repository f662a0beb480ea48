/**
 * An oracle of every write: what an item must show once every region has every write,
 * derived from the writes and their true causal order alone — never from Concord's merge
 * or its metadata — per the semantics of each rule:
 * - an attribute's surviving writes are those no later write of it (or delete) had seen;
 * - a counter is the sum of every increment (a reset cancels what its writer saw);
 * - a set holds the elements with an add that no remove or reset had seen;
 * - the item is deleted when its latest existence writes say so under the delete policy.
 */
import { convertToAttr, convertToNative } from '@aws-sdk/util-dynamodb';
import { canonicalJson, parseAttributeValue, type AttributeMap, type AttributeValue } from '../dynamodb/attribute-value';
import { dict, own } from '../dynamodb/dict';
import { compareNumbers } from '../dynamodb/number';
import { entityForChange, type Change } from '../write/change';
import { ruleFor } from '../rules/define-rules';
import type { Entity, RuleSet } from '../rules/types';

/**
 * A client write as it truly happened: its identity, what it did, and the writes its
 * writer had truly seen (those the version it was applied to held), tracked outside
 * Concord. Its dot only orders concurrent writes for the `lww` rule, as the rule says.
 */
export interface TrueWrite {
  readonly id: string;
  readonly dot: string;
  readonly change: Change;
  /** Ids of the writes in the causal past of the version it was applied to. */
  readonly saw: ReadonlySet<string>;
}

type WriteEvent = TrueWrite;

type Value = AttributeValue | null;

export interface Expected {
  readonly deleted: boolean;
  /** Visible attributes (empty when deleted). */
  readonly attributes: AttributeMap;
}

/** Computes what an item must show after all of `writes` (one item's history), by their true causal order. */
export function expectedItem(rules: RuleSet, key: AttributeMap, writes: readonly WriteEvent[]): Expected {
  return new Oracle(rules, key, writes).expected();
}

/**
 * The dots of the writes that set a value of `name` and survive all of `writes`: no
 * later write of it (or reset) had seen them. For a `manual` attribute these are the siblings a person
 * must see, so the final item must keep every one of them.
 *
 * @example
 * survivingDots(rules, key, writes, 'notes'); // two dots after two concurrent notes
 */
export function survivingDots(rules: RuleSet, key: AttributeMap, writes: readonly WriteEvent[], name: string): string[] {
  return new Oracle(rules, key, writes).survivors(name);
}

class Oracle {
  private readonly entity: Entity;
  private readonly names: string[];
  private readonly memo = new Map<string, unknown>();
  /** Each write's causal past, computed once (the same array every time, so it keys the memo cheaply). */
  private readonly pasts = new Map<WriteEvent, WriteEvent[]>();
  private readonly pastSets = new Map<WriteEvent, Set<WriteEvent>>();
  private readonly setKeys = new Map<readonly WriteEvent[], string>();

  constructor(
    private readonly rules: RuleSet,
    key: AttributeMap,
    private readonly writes: readonly WriteEvent[],
  ) {
    this.entity = writes.length > 0 ? entityForChange(rules, key, (writes[0] as WriteEvent).change) : rules.fallback;
    const names = new Set<string>();
    for (const { change } of writes) {
      if (change.type === 'put') Object.keys(change.item).forEach((n) => names.add(n));
      if (change.type === 'update') {
        for (const operation of [change.set, change.increment, change.addToSet, change.removeFromSet]) Object.keys(operation ?? {}).forEach((n) => names.add(n));
        (change.remove ?? []).forEach((n) => names.add(n));
      }
    }
    this.names = [...names].sort();
  }

  expected(): Expected {
    const all = this.writes;
    if (this.isDeleted(all)) return { deleted: true, attributes: {} };
    const attributes = dict<AttributeValue>();
    for (const name of this.names) {
      const value = this.visible(name, all);
      if (value !== undefined) attributes[name] = value;
    }
    return { deleted: false, attributes };
  }

  survivors(name: string): string[] {
    if (this.isDeleted(this.writes)) return [];
    return this.register(name, this.writes)
      .filter(([, value]) => value !== null)
      .map(([w]) => w.dot)
      .sort();
  }

  private kind(name: string): string {
    return ruleFor(this.entity, name).kind;
  }

  /** `a` happened before `b`: `b`'s writer had seen `a`. */
  private before(a: WriteEvent, b: WriteEvent): boolean {
    this.past(b);
    return (this.pastSets.get(b) as Set<WriteEvent>).has(a);
  }

  private past(w: WriteEvent): WriteEvent[] {
    let past = this.pasts.get(w);
    if (past === undefined) {
      past = this.writes.filter((x) => x !== w && w.saw.has(x.id));
      this.pasts.set(w, past);
      this.pastSets.set(w, new Set(past));
    }
    return past;
  }

  private cached<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  /**
   * A memo key naming the set of writes `ws`: one id per array. The sets met are all
   * writes and each write's past, each always the same array, so ids are few and short.
   */
  private setKey(ws: readonly WriteEvent[]): string {
    let key = this.setKeys.get(ws);
    if (key === undefined) {
      key = String(this.setKeys.size);
      this.setKeys.set(ws, key);
    }
    return key;
  }

  /** Deleted: the latest existence writes (every write is one) say so under the policy. */
  private isDeleted(ws: readonly WriteEvent[]): boolean {
    return this.cached(`deleted:${this.setKey(ws)}`, () => {
      const latest = ws.filter((w) => !ws.some((x) => x !== w && this.before(w, x)));
      const deletes = latest.filter((w) => w.change.type === 'delete').length;
      if (deletes === 0) return false;
      return deletes === latest.length || this.entity.onDelete === 'deleteWins';
    });
  }

  /** A write that drops everything its writer saw: a delete, or any write to a deleted item. */
  private clearsAll(w: WriteEvent): boolean {
    const past = this.past(w);
    return w.change.type === 'delete' || (past.length > 0 && this.isDeleted(past));
  }

  /** Drops what its writer saw of `name`'s counter or set state (reset), without writing it. */
  private resets(w: WriteEvent, name: string): boolean {
    if (this.clearsAll(w)) return true;
    const { change } = w;
    const crdt = ['counter', 'addWinsSet'].includes(this.kind(name));
    if (!crdt) return false;
    if (change.type === 'put') return !Object.hasOwn(change.item, name);
    return change.type === 'update' && (change.remove ?? []).includes(name);
  }

  /** The register write `w` makes to `name`, if any: a value, or null for a removal. */
  private registerWrite(w: WriteEvent, name: string): Value | undefined {
    const { change } = w;
    const crdt = ['counter', 'addWinsSet'].includes(this.kind(name));
    if (change.type === 'delete') return undefined;
    if (change.type === 'put') {
      if (Object.hasOwn(change.item, name)) return crdt ? null : (change.item[name] as AttributeValue);
      // A put removes, with its own dot, the plain attributes its writer saw (unless it re-created the item).
      return !crdt && !this.clearsAll(w) && this.register(name, this.past(w)).length > 0 ? null : undefined;
    }
    const set = change.set === undefined ? undefined : own(change.set, name);
    if (set !== undefined) return crdt ? null : set;
    if ((change.remove ?? []).includes(name)) return crdt ? undefined : null;
    const operations: (Readonly<Record<string, unknown>> | undefined)[] = [change.increment, change.addToSet, change.removeFromSet];
    if (operations.some((operation) => operation !== undefined && own(operation, name) !== undefined)) return null;
    return undefined;
  }

  /** The surviving writes of `name` among `ws`: written, and not seen by a later write of it or a reset. */
  private register(name: string, ws: readonly WriteEvent[]): [WriteEvent, Value][] {
    return this.cached(`register:${name}:${this.setKey(ws)}`, () => {
      const writes = ws.flatMap((w): [WriteEvent, Value][] => {
        const value = this.registerWrite(w, name);
        return value === undefined ? [] : [[w, value]];
      });
      return writes.filter(([w]) => !ws.some((x) => x !== w && this.before(w, x) && (this.registerWrite(x, name) !== undefined || this.resets(x, name))));
    });
  }

  /** A counter's value after `ws`: every write's delta, each relative to what its writer saw. */
  private counter(name: string, ws: readonly WriteEvent[]): bigint {
    return this.cached(`counter:${name}:${this.setKey(ws)}`, () => {
      let total = 0n;
      for (const w of ws) {
        const { change } = w;
        const seen = (): bigint => this.counter(name, this.past(w));
        if (this.clearsAll(w)) total -= seen();
        const delta = change.type === 'update' && change.increment !== undefined ? own(change.increment, name) : undefined;
        if (delta !== undefined) total += BigInt(delta);
        const assigned = assignedValue(change, name);
        if (assigned !== undefined && 'N' in assigned) total += BigInt(assigned.N) - (this.clearsAll(w) ? 0n : seen());
        else if (!this.clearsAll(w) && this.resets(w, name)) total -= seen();
      }
      return total;
    });
  }

  /** Elements with an add that no later remove, re-add, assignment or reset had seen. */
  private setMembers(name: string, ws: readonly WriteEvent[]): string[] {
    const adds = (w: WriteEvent): string[] => {
      const { change } = w;
      const assigned = assignedValue(change, name);
      if (assigned !== undefined && 'SS' in assigned) return assigned.SS;
      return change.type === 'update' && change.addToSet !== undefined ? [...(own(change.addToSet, name) ?? [])] : [];
    };
    const touches = (w: WriteEvent, element: string): boolean => {
      const { change } = w;
      if (this.resets(w, name) || adds(w).includes(element)) return true;
      if (change.type === 'put' && Object.hasOwn(change.item, name)) return true;
      return change.type === 'update' && (assignedValue(change, name) !== undefined || (change.removeFromSet === undefined ? [] : (own(change.removeFromSet, name) ?? [])).includes(element));
    };
    const members = new Set<string>();
    for (const w of ws) {
      for (const element of adds(w)) {
        if (!ws.some((x) => x !== w && this.before(w, x) && touches(x, element))) members.add(element);
      }
    }
    return [...members].sort();
  }

  private visible(name: string, ws: readonly WriteEvent[]): AttributeValue | undefined {
    const kind = this.kind(name);
    if (kind === 'counter') return this.register(name, ws).length > 0 ? { N: String(this.counter(name, ws)) } : undefined;
    if (kind === 'addWinsSet') {
      const members = this.setMembers(name, ws);
      return members.length > 0 ? { SS: members } : undefined;
    }
    const writes = this.register(name, ws).sort(([a], [b]) => (a.dot < b.dot ? -1 : 1));
    if (writes.length === 0) return undefined;
    const latest = (writes[writes.length - 1] as [WriteEvent, Value])[1];
    const values = writes.map(([, v]) => v).filter((v): v is AttributeValue => v !== null);
    if (kind === 'lww' || kind === 'manual' || writes.length === 1) return latest ?? undefined;
    if (values.length === 0) return undefined;
    const rule = ruleFor(this.entity, name);
    switch (kind) {
      case 'max':
        return values.reduce((a, b) => (compareValues(b, a) >= 0 ? b : a));
      case 'min':
        return values.reduce((a, b) => (compareValues(b, a) <= 0 ? b : a));
      case 'priority': {
        const rank = (v: AttributeValue): number => ('S' in v ? (rule.rank?.get(v.S) ?? -1) : -1);
        return values.reduce((a, b) => (rank(b) >= rank(a) ? b : a));
      }
      case 'union':
        return unionOf(values);
      default: {
        const plain = values.map((v) => convertToNative(v as never) as unknown);
        return toAttribute(plain.reduce((a, b) => (rule.merge as (x: unknown, y: unknown) => unknown)(a, b)));
      }
    }
  }
}

/** The value a change assigns to an attribute (a put's or an update's `set`). */
function assignedValue(change: Change, name: string): AttributeValue | undefined {
  if (change.type === 'put') return own(change.item, name);
  return change.type === 'update' && change.set !== undefined ? own(change.set, name) : undefined;
}

/** Numbers by value (all 38 digits), strings by code units: what `max` and `min` compare. */
function compareValues(a: AttributeValue, b: AttributeValue): number {
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  const [x, y] = ['S' in a ? a.S : '', 'S' in b ? b.S : ''];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Sets: their members, once each, sorted; lists: their members, once each by content, in content order. */
function unionOf(values: readonly AttributeValue[]): AttributeValue {
  const first = values[0] as AttributeValue;
  if ('L' in first) {
    const members = new Map<string, AttributeValue>();
    for (const value of values) for (const member of (value as { L: AttributeValue[] }).L) members.set(canonicalJson(member), member);
    return { L: [...members.keys()].sort().map((json) => members.get(json) as AttributeValue) };
  }
  const type = Object.keys(first)[0] as 'SS' | 'NS' | 'BS';
  const members = new Set<string>();
  for (const value of values) for (const member of (value as Record<string, string[]>)[type] as string[]) members.add(member);
  return { [type]: [...members].sort() } as AttributeValue;
}

function toAttribute(value: unknown): AttributeValue {
  return parseAttributeValue(convertToAttr(value), 'oracle');
}

/** Canonical form of visible attributes, for comparisons in assertions. */
export function showAttributes(attributes: AttributeMap): string {
  return canonicalJson(attributes);
}
