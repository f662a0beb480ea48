/**
 * Regression suite for issue 8, case 5: attribute names and set elements that are
 * JavaScript built-ins (`__proto__`, `constructor`, `toString`, `valueOf`,
 * `hasOwnProperty`) are legal in DynamoDB. They used to be dropped, to make an item
 * undecodable, or to throw a TypeError that was not quarantined. Here they go through
 * every stage: the writer against the local endpoint, `classify`, `merge` and
 * `mergeStates`, the resolver over the wire, its audit event, and `decodeItem` /
 * `encodeItem`.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { createConcordTable, type ConcordTable } from '../../shared/writer';
import { classify, Verdict } from '../../shared/detect/classify';
import { merge, mergeStates, visibleOf } from '../../shared/merge/merge';
import { decodeItem } from '../../shared/item/state';
import { encodeItem } from '../../shared/item/encode';
import { defineRules } from '../../shared/rules/define-rules';
import type { AttributeMap, AttributeValue } from '../../shared/dynamodb/attribute-value';
import type { Change } from '../../shared/write/change';
import { startWriterBed, type WriterBed } from '../helpers/writer-table';
import { harnessPerTest, type ResolverHarness } from '../helpers/resolver-harness';
import { concurrentWrites, conflictRecord, itemKey, LOCAL_REGION, streamEvent, streamRecord, TABLE, Writers, type ConcurrentVersions } from '../helpers/resolver-records';
import { carryProtoNames, readRaw, storeRaw } from '../helpers/proto-names';

/** The built-in names of the issue, each a legal DynamoDB attribute name and set element. */
const NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'] as const;
type Name = (typeof NAMES)[number];
/**
 * The names the writer takes as attribute names: all but `__proto__`, whose value the AWS
 * SDK for JavaScript loses when it reads an item (the writer refuses it; see below).
 */
const WRITER_NAMES = NAMES.filter((name) => name !== '__proto__');

/**
 * Rules whose attributes bear those names: counters (TALLY#), add-wins sets (BAG#) and
 * one rule of each other kind (DOC#). `['__proto__']` is a computed key: a literal
 * `__proto__:` would set the object's prototype instead.
 */
const rules = defineRules({
  entities: {
    tally: {
      match: { prefix: 'TALLY#' },
      attributes: { ['__proto__']: 'counter', constructor: 'counter', toString: 'counter', valueOf: 'counter', hasOwnProperty: 'counter' },
    },
    bag: {
      match: { prefix: 'BAG#' },
      attributes: { items: 'addWinsSet', ['__proto__']: 'addWinsSet', constructor: 'addWinsSet', toString: 'addWinsSet', valueOf: 'addWinsSet', hasOwnProperty: 'addWinsSet' },
    },
    doc: {
      match: { prefix: 'DOC#' },
      attributes: {
        ['__proto__']: 'max',
        constructor: 'min',
        toString: { kind: 'union', type: 'stringSet' },
        valueOf: { kind: 'priority', order: ['LOW', 'HIGH'] },
        hasOwnProperty: 'lww',
      },
    },
  },
  audit: { includeValues: true },
});

/** A map in wire form from entries: an own member for every name, `__proto__` too. */
function wire(entries: readonly (readonly [string, AttributeValue])[]): AttributeMap {
  const map = Object.create(null) as AttributeMap;
  for (const [name, value] of entries) map[name] = value;
  return map;
}

/** A map's own members in name order: what a comparison must see (an inherited member is not one). */
function membersOf(map: object | undefined): [string, unknown][] {
  return map === undefined ? [] : Object.keys(map).sort().map((name) => [name, (map as Record<string, unknown>)[name]]);
}

/** The record as Lambda hands it over: parsed from JSON, so `__proto__` is an own member. */
function delivered<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** What the pollution would leave behind. */
function objectPrototypeNow(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

/** A value whose map key `__proto__` would pollute a naive deep copy. */
const BAIT: AttributeValue = { M: wire([['__proto__', { M: { polluted: { S: 'yes' } } }], ['constructor', { M: { prototype: { M: { polluted: { S: 'yes' } } } } }]]) };

/** One item kind's concurrent versions and what their merge must show. */
interface Conflict {
  readonly kind: string;
  readonly versions: ConcurrentVersions;
  /** The merged item's attributes (key and envelope aside). */
  readonly merged: AttributeMap;
}

/**
 * Registers under max, min, union, priority and lww: each side writes some of the names,
 * both write most of them.
 */
function registerConflict(writers: Writers): Conflict {
  const base: Change = { type: 'update', set: wire([['__proto__', { S: 'm' }], ['constructor', { S: 'm' }], ['toString', { SS: ['base'] }], ['valueOf', { S: 'LOW' }]]) };
  const local: Change = { type: 'update', set: wire([['__proto__', { S: 'z' }], ['constructor', { S: 'z' }], ['toString', { SS: ['__proto__', 'constructor'] }], ['hasOwnProperty', BAIT]]) };
  const remote: Change = { type: 'update', set: wire([['__proto__', { S: 'a' }], ['constructor', { S: 'a' }], ['toString', { SS: ['toString', 'valueOf'] }], ['valueOf', { S: 'HIGH' }]]) };
  return {
    kind: 'registers',
    versions: concurrentWrites(writers, itemKey('DOC#names', 'DOC'), base, local, remote),
    merged: wire([
      ['__proto__', { S: 'z' }],
      ['constructor', { S: 'a' }],
      ['hasOwnProperty', BAIT],
      ['toString', { SS: ['__proto__', 'constructor', 'toString', 'valueOf'] }],
      ['valueOf', { S: 'HIGH' }],
    ]),
  };
}

/** Counters named by every name, moved by both sides. */
function counterConflict(writers: Writers): Conflict {
  const moves = (by: (index: number) => number): Change => ({ type: 'update', increment: Object.fromEntries(NAMES.map((name, index) => [name, by(index)])) });
  return {
    kind: 'counters',
    versions: concurrentWrites(writers, itemKey('TALLY#names', 'TALLY'), moves(() => 100), moves((index) => index + 1), moves((index) => -10 * (index + 1))),
    merged: wire(NAMES.map((name, index) => [name, { N: String(100 + (index + 1) - 10 * (index + 1)) }])),
  };
}

/** Elements named by every name in one add-wins set, and add-wins sets named by every name. */
function setConflict(writers: Writers): Conflict {
  const adds = (items: readonly string[], sets: readonly Name[], element: string): Change => ({
    type: 'update',
    addToSet: Object.fromEntries([['items', items], ...sets.map((name) => [name, [element]])]) as Record<string, string[]>,
  });
  return {
    kind: 'sets',
    versions: concurrentWrites(writers, itemKey('BAG#names', 'BAG'), adds(['hasOwnProperty'], NAMES, 'base'), adds(['__proto__', 'constructor'], ['__proto__', 'constructor'], 'local'), adds(['toString', 'valueOf'], ['toString', 'valueOf', 'hasOwnProperty'], 'remote')),
    merged: wire([
      ['__proto__', { SS: ['base', 'local'] }],
      ['constructor', { SS: ['base', 'local'] }],
      ['hasOwnProperty', { SS: ['base', 'remote'] }],
      ['items', { SS: [...NAMES].sort() }],
      ['toString', { SS: ['base', 'remote'] }],
      ['valueOf', { SS: ['base', 'remote'] }],
    ]),
  };
}

const REGISTERS = registerConflict(new Writers(rules));
const COUNTERS = counterConflict(new Writers(rules));
const SETS = setConflict(new Writers(rules));
const CONFLICTS = [REGISTERS, COUNTERS, SETS].map((conflict) => [conflict.kind, conflict] as const);

describe('regression (issue 8, case 5): built-in names through the writer', () => {
  let bed: WriterBed;
  let table: ConcordTable<typeof rules.spec>;

  beforeAll(async () => {
    bed = await startWriterBed('concord-built-in-names');
    carryProtoNames(bed.dynamo);
    table = createConcordTable({ client: bed.dynamo.client(), tableName: bed.tableName, region: LOCAL_REGION, rules });
  });
  afterAll(() => bed.close());

  const stored = (key: { pk: string; sk: string }): Promise<AttributeMap | undefined> => readRaw(bed.dynamo, bed.tableName, itemKey(key.pk, key.sk));

  it.each(WRITER_NAMES)('regression (issue 8, case 5): an attribute named %s set by update on a new item is stored', async (name) => {
    // Prepare
    const key = { pk: `PLAIN#new-${name}`, sk: 'PLAIN' };

    // Act
    await table.update(key, { set: { [name]: `value of ${name}` } });

    // Assess
    const image = await stored(key);
    expect(membersOf(visibleOf(image ?? {}, rules))).toEqual([[name, { S: `value of ${name}` }]]);
  });

  it.each(WRITER_NAMES)('regression (issue 8, case 5): an attribute named %s set by the one-call update of an existing item is stored', async (name) => {
    // Prepare
    const key = { pk: `PLAIN#existing-${name}`, sk: 'PLAIN' };
    await table.update(key, { set: { other: 'kept' } });

    // Act
    await table.update(key, { set: { [name]: `value of ${name}` } });

    // Assess
    const image = await stored(key);
    expect(membersOf(visibleOf(image ?? {}, rules))).toEqual(membersOf(wire([[name, { S: `value of ${name}` }], ['other', { S: 'kept' }]])));
  });

  it.each(WRITER_NAMES)('regression (issue 8, case 5): an attribute named %s survives the writer: get reads back exactly what update set', async (name) => {
    // Prepare
    const key = { pk: `PLAIN#get-${name}`, sk: 'PLAIN' };
    await table.update(key, { set: { [name]: `value of ${name}`, other: 'kept' } });

    // Act
    const item = await table.get(key, { consistentRead: true });

    // Assess
    expect(membersOf(item)).toEqual(membersOf({ ...key, other: 'kept', [name]: `value of ${name}` }));
  });

  it.each(WRITER_NAMES)('regression (issue 8, case 5): an item holding an attribute named %s is read and written again by put (the full path)', async (name) => {
    // Prepare
    const key = { pk: `PLAIN#put-${name}`, sk: 'PLAIN' };
    await table.update(key, { set: { [name]: 'first' } });

    // Act
    await table.put(key, { [name]: 'second', other: 'added' });

    // Assess
    expect(membersOf(visibleOf((await stored(key)) ?? {}, rules))).toEqual(membersOf(wire([[name, { S: 'second' }], ['other', { S: 'added' }]])));
  });

  it('refuses an attribute named __proto__, which the AWS SDK would lose on every read, and writes nothing', async () => {
    // Prepare
    const key = { pk: 'PLAIN#refused-proto', sk: 'PLAIN' };

    // Act
    const write = table.update(key, { set: { ['__proto__']: 'lost on read' } });

    // Assess
    await expect(write).rejects.toThrow('invalid write of "__proto__": the AWS SDK for JavaScript loses an attribute of this name when it reads an item; nothing was written');
    expect(await stored(key)).toBeUndefined();
  });

  it('regression (issue 8, case 5): set elements named by built-ins survive addToSet to a new add-wins set', async () => {
    // Prepare
    const key = { pk: 'BAG#writer-new', sk: 'BAG' };

    // Act
    await table.addToSet(key, 'items', ...NAMES);

    // Assess
    expect(membersOf(visibleOf((await stored(key)) ?? {}, rules))).toEqual([['items', { SS: [...NAMES].sort() }]]);
    expect(decodeItem((await stored(key)) ?? {}, rules.table).sets.get('items')?.size).toBe(NAMES.length);
  });

  it('regression (issue 8, case 5): set elements named by built-ins survive the one-call addToSet to an existing add-wins set', async () => {
    // Prepare
    const key = { pk: 'BAG#writer-existing', sk: 'BAG' };
    await table.addToSet(key, 'items', 'plain');

    // Act
    await table.addToSet(key, 'items', ...NAMES);

    // Assess
    expect(membersOf(visibleOf((await stored(key)) ?? {}, rules))).toEqual([['items', { SS: [...NAMES, 'plain'].sort() }]]);
    expect([...(decodeItem((await stored(key)) ?? {}, rules.table).sets.get('items')?.keys() ?? [])].sort()).toEqual([...NAMES, 'plain'].sort());
  });

  it.each(WRITER_NAMES)('regression (issue 8, case 5): an add-wins set named %s keeps what addToSet adds', async (name) => {
    // Prepare
    const key = { pk: `BAG#named-${name}`, sk: 'BAG' };
    await table.addToSet(key, name, 'first');

    // Act
    await table.addToSet(key, name, 'second');

    // Assess
    expect(membersOf(visibleOf((await stored(key)) ?? {}, rules))).toEqual([[name, { SS: ['first', 'second'] }]]);
  });

  it.each(WRITER_NAMES)('regression (issue 8, case 5): a counter named %s counts exactly through the writer', async (name) => {
    // Prepare
    const key = { pk: `TALLY#${name}`, sk: 'TALLY' };
    await table.increment(key, name, 7);

    // Act
    await table.increment(key, name, -3);

    // Assess
    const image = (await stored(key)) ?? {};
    expect(membersOf(visibleOf(image, rules))).toEqual([[name, { N: '4' }]]);
    expect(decodeItem(image, rules.table).counters.get(name)?.size).toBe(1);
  });
});

describe('regression (issue 8, case 5): built-in names through classify', () => {
  it.each(CONFLICTS)('regression (issue 8, case 5): concurrent versions of %s named by built-ins classify as a conflict', (_, { versions }) => {
    // Prepare
    const record = delivered(conflictRecord(versions, 1));

    // Act
    const { verdict } = classify(record, rules.table);

    // Assess
    expect(verdict).toBe(Verdict.Conflict);
  });

  it.each(CONFLICTS)('regression (issue 8, case 5): a successor of %s named by built-ins classifies as a successor', (_, { versions }) => {
    // Prepare
    const record: DynamoDBRecord = delivered(streamRecord({ eventName: 'MODIFY', key: versions.key, oldImage: versions.base, newImage: versions.local, sequence: 1, createdAtMs: versions.arrivedAtMs }));

    // Act
    const { verdict } = classify(record, rules.table);

    // Assess
    expect(verdict).toBe(Verdict.Successor);
  });
});

describe('regression (issue 8, case 5): built-in names through merge', () => {
  it.each(CONFLICTS)('regression (issue 8, case 5): merge keeps every value of %s named by built-ins as the rules say', (_, { versions, merged }) => {
    // Prepare
    const [local, remote] = delivered([versions.local, versions.remote]);

    // Act
    const result = merge(local, remote, rules, { table: TABLE });

    // Assess
    expect(membersOf(visibleOf(result.item, rules))).toEqual(membersOf(merged));
  });

  it.each(CONFLICTS)('regression (issue 8, case 5): mergeStates keeps every value of %s named by built-ins as the rules say', (_, { versions, merged }) => {
    // Prepare
    const local = decodeItem(delivered(versions.local), rules.table);
    const remote = decodeItem(delivered(versions.remote), rules.table);

    // Act
    const result = mergeStates(local, remote, rules, { table: TABLE });

    // Assess
    expect(membersOf(visibleOf(result.item, rules))).toEqual(membersOf(merged));
  });

  it.each(CONFLICTS)('regression (issue 8, case 5): merge reports every attribute of %s named by a built-in', (_, { versions, merged }) => {
    // Prepare
    const [local, remote] = delivered([versions.local, versions.remote]);

    // Act
    const result = merge(local, remote, rules, { table: TABLE });

    // Assess
    expect(Object.keys(result.attributes).sort()).toEqual(Object.keys(merged).sort());
  });
});

describe('regression (issue 8, case 5): built-in names through the resolver', () => {
  const start = harnessPerTest();

  /** A harness on the rules, whose endpoint carries `__proto__`, with `versions.remote` stored. */
  async function resolverOn(versions: ConcurrentVersions): Promise<ResolverHarness> {
    const harness = await start({ rules });
    carryProtoNames(harness.stack.dynamo);
    await storeRaw(harness.stack.dynamo, harness.config.table, versions.remote);
    return harness;
  }

  it.each(CONFLICTS)('regression (issue 8, case 5): the resolver stores every name and value of %s named by built-ins', async (_, { versions, merged }) => {
    // Prepare
    const harness = await resolverOn(versions);

    // Act
    const response = await harness.invoke(delivered(streamEvent(conflictRecord(versions, 1))));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(harness.quarantined()).toEqual([]);
    const item = await readRaw(harness.stack.dynamo, harness.config.table, versions.key);
    expect(membersOf(visibleOf(item ?? {}, rules))).toEqual(membersOf(merged));
  });

  it.each(CONFLICTS)('regression (issue 8, case 5): the audit event of a conflict of %s reports every attribute named by a built-in, with its values', async (_, { versions, merged }) => {
    // Prepare
    const harness = await resolverOn(versions);

    // Act
    await harness.invoke(delivered(streamEvent(conflictRecord(versions, 1))));

    // Assess
    const [event] = harness.auditEvents();
    expect(event?.['detail-type']).toBe('ConflictResolved');
    const attributes = event?.detail.attributes as Record<string, { values?: { merged?: unknown } }>;
    expect(Object.keys(attributes).sort()).toEqual(Object.keys(merged).sort());
    expect(Object.keys(merged).filter((name) => !Object.hasOwn(attributes[name]?.values ?? {}, 'merged'))).toEqual([]);
  });

  it.each(CONFLICTS)('regression (issue 8, case 5): the audit event of a conflict of %s carries the inputs’ attributes named by built-ins', async (_, { versions }) => {
    // Prepare
    const harness = await resolverOn(versions);

    // Act
    await harness.invoke(delivered(streamEvent(conflictRecord(versions, 1))));

    // Assess
    const inputs = harness.auditEvents()[0]?.detail.inputs as { old: { attributes: AttributeMap }; new: { attributes: AttributeMap } };
    expect(membersOf(inputs.old.attributes)).toEqual(membersOf(visibleOf(versions.local, rules)));
    expect(membersOf(inputs.new.attributes)).toEqual(membersOf(visibleOf(versions.remote, rules)));
  });

  it('regression (issue 8, case 5): the audit event of values under built-in names is plain JSON and pollutes no prototype', async () => {
    // Prepare
    const prototypeBefore = objectPrototypeNow();
    const harness = await resolverOn(REGISTERS.versions);

    // Act
    await harness.invoke(delivered(streamEvent(conflictRecord(REGISTERS.versions, 1))));

    // Assess
    const detail = harness.auditEvents()[0]?.detail as Record<string, unknown>;
    expect(JSON.parse(JSON.stringify(detail))).toEqual(detail);
    const baitName: string = 'hasOwnProperty';
    const bait = (detail.attributes as Record<string, { values: { merged: Record<string, unknown> } } | undefined>)[baitName]?.values.merged;
    expect(membersOf(bait)).toEqual(membersOf({ ['__proto__']: { polluted: 'yes' }, constructor: { prototype: { polluted: 'yes' } } }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(objectPrototypeNow()).toEqual(prototypeBefore);
  });
});

describe('regression (issue 8, case 5): built-in names through decodeItem and encodeItem', () => {
  it.each(CONFLICTS.flatMap(([kind, { versions }]) => [[`${kind} (local)`, versions.local] as const, [`${kind} (remote)`, versions.remote] as const]))(
    'regression (issue 8, case 5): an item of %s named by built-ins decodes and encodes to the same image',
    (_, image) => {
      // Prepare
      const delivery = delivered(image);

      // Act
      const { image: again } = encodeItem(decodeItem(delivery, rules.table), rules);

      // Assess
      expect(JSON.stringify(again)).toBe(JSON.stringify(image));
      expect(membersOf(visibleOf(again, rules))).toEqual(membersOf(visibleOf(image, rules)));
    },
  );

  it('regression (issue 8, case 5): the decoded state keeps every name as a name, never a prototype', () => {
    // Prepare
    const images = delivered([REGISTERS.versions.local, COUNTERS.versions.local, SETS.versions.local]);

    // Act
    const [registers, counters, sets] = images.map((image) => decodeItem(image, rules.table));

    // Assess
    expect([...(registers?.registers.keys() ?? [])].sort()).toEqual([...NAMES].sort());
    expect([...(counters?.counters.keys() ?? [])].sort()).toEqual([...NAMES].sort());
    expect([...(sets?.sets.keys() ?? [])].sort()).toEqual([...NAMES, 'items'].sort());
    expect([...(sets?.sets.get('items')?.keys() ?? [])].sort()).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
  });
});

