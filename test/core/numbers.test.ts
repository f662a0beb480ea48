/**
 * Regression suite for issue 8, case 6: DynamoDB numbers have 38 significant digits. A
 * counter slot past 2^53 used to be written but not decodable, a total past 2^53 was
 * rounded, and `max` of two 38-digit numbers could pick the smaller (they were compared
 * with Number()). Here numbers go end to end: the writer against the local endpoint,
 * DynamoDB, the resolver merging a conflict, and the item it stores.
 */
import { NumberValueImpl } from '@aws-sdk/util-dynamodb';
import { InvalidWriteError } from '../../shared/errors';
import { createConcordTable, WritePath, type ConcordTable } from '../../shared/writer';
import { decodeItem } from '../../shared/item/state';
import { counterTotal } from '../../shared/item/crdt';
import { defineRules } from '../../shared/rules/define-rules';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import { useWriterBed } from '../helpers/writer-table';
import { refuseImpreciseNumbers } from '../helpers/number-precision';
import { harnessPerTest, HARNESS_NOW, type ResolverHarness } from '../helpers/resolver-harness';
import { itemKey, LOCAL_REGION, REMOTE_REGION, streamEvent, streamRecord, T0 } from '../helpers/resolver-records';

const TWO_TO_53 = 2n ** 53n;
/** Two 38-digit numbers that differ only in their last digit: Number() makes them equal. */
const LOW_38 = '12345678901234567890123456789012345678';
const HIGH_38 = '12345678901234567890123456789012345679';

/** A counter, and registers under max and min, for the conflicts the resolver merges. */
const rules = defineRules({
  entities: {
    stock: { match: { prefix: 'STOCK#' }, attributes: { onHand: 'counter' } },
    reading: { match: { prefix: 'READING#' }, attributes: { high: 'max', low: 'min' } },
  },
  audit: { includeValues: true },
});

/** A DynamoDB number as the writer takes it: exactly the digits given. */
function exact(text: string): NumberValueImpl {
  return NumberValueImpl.from(text);
}

describe('regression (issue 8, case 6): numbers through the writer', () => {
  const env = useWriterBed();
  const stock = (id: string): { pk: `STOCK#${string}`; sk: string } => ({ pk: `STOCK#numbers-${id}`, sk: 'STOCK' });
  const stored = async (key: { pk: string; sk: string }): Promise<AttributeMap> => (await env.bed.image(key)) ?? {};

  beforeAll(() => refuseImpreciseNumbers(env.bed.dynamo));

  it('regression (issue 8, case 6): a bigint increment takes a new counter past 2^53 and get reads it back exactly', async () => {
    // Prepare
    const key = stock('bigint');

    // Act
    await env.table.increment(key, 'onHand', TWO_TO_53 + 1n);

    // Assess
    expect((await env.table.get(key, { consistentRead: true }))?.onHand).toBe(9007199254740993n);
  });

  it('regression (issue 8, case 6): the one-call increment of a counter past 2^53 adds exactly (9007199254740993 + 2)', async () => {
    // Prepare
    const key = stock('past-2-53');
    await env.table.increment(key, 'onHand', 9007199254740993n);

    // Act
    const { path } = await env.table.increment(key, 'onHand', 2);

    // Assess
    expect(path).toBe(WritePath.Fast);
    expect((await env.table.get(key, { consistentRead: true }))?.onHand).toBe(9007199254740995n);
    expect((await stored(key)).onHand).toEqual({ N: '9007199254740995' });
  });

  it('regression (issue 8, case 6): a counter slot past 2^53 decodes exactly', async () => {
    // Prepare
    const key = stock('slot');
    await env.table.increment(key, 'onHand', 9007199254740993n);
    await env.table.increment(key, 'onHand', 2);

    // Act
    const state = decodeItem(await stored(key), env.table.rules.table);

    // Assess
    const counter = state.counters.get('onHand') ?? new Map();
    expect([...counter.values()]).toEqual([{ p: 9007199254740995n, n: 0n }]);
    expect(counterTotal(counter)).toBe(9007199254740995n);
  });

  it('regression (issue 8, case 6): the writer reads the envelope of a counter past 2^53 and writes on through the full path', async () => {
    // Prepare
    const key = stock('full-path');
    await env.table.increment(key, 'onHand', 9007199254740993n);
    const other = env.bed.writer({ region: REMOTE_REGION });

    // Act
    const { path } = await other.increment(key, 'onHand', 2);

    // Assess
    expect(path).toBe(WritePath.Slow);
    expect((await env.table.get(key, { consistentRead: true, withEnvelope: true }))?.item.onHand).toBe(9007199254740995n);
  });

  it('regression (issue 8, case 6): a negative bigint increment takes a counter below −2^53 exactly', async () => {
    // Prepare
    const key = stock('negative');
    await env.table.increment(key, 'onHand', -9007199254740993n);

    // Act
    await env.table.increment(key, 'onHand', -2);

    // Assess
    expect((await env.table.get(key, { consistentRead: true }))?.onHand).toBe(-9007199254740995n);
    expect(decodeItem(await stored(key), env.table.rules.table).counters.get('onHand')?.values().next().value).toEqual({ p: 0n, n: 9007199254740995n });
  });

  it('regression (issue 8, case 6): a counter holds 38 significant digits exactly', async () => {
    // Prepare
    const key = stock('38-digits');
    await env.table.increment(key, 'onHand', BigInt(LOW_38));

    // Act
    await env.table.increment(key, 'onHand', 1);

    // Assess
    expect((await stored(key)).onHand).toEqual({ N: HIGH_38 });
    expect((await env.table.get(key, { consistentRead: true }))?.onHand).toBe(BigInt(HIGH_38));
  });

  it('regression (issue 8, case 6): an increment that would pass 38 significant digits is refused with a clear error, and nothing is written', async () => {
    // Prepare
    const key = stock('overflow');
    await env.table.increment(key, 'onHand', 10n ** 38n);
    const before = await stored(key);

    // Act
    const failure = env.table.increment(key, 'onHand', 1);

    // Assess
    await expect(failure).rejects.toBeInstanceOf(InvalidWriteError);
    await expect(failure).rejects.toThrow(`invalid write of "onHand": the counter would pass DynamoDB's 38 significant digits`);
    expect(await stored(key)).toEqual(before);
  });

  it('regression (issue 8, case 6): a bigint delta of more than 38 significant digits is refused before any call', async () => {
    // Prepare
    const key = stock('delta-overflow');
    env.bed.dynamo.calls.reset();

    // Act
    const failure = env.table.increment(key, 'onHand', 10n ** 38n + 1n);

    // Assess
    await expect(failure).rejects.toThrow('invalid write of "onHand": a counter moves by whole numbers (safe integers or bigints within 38 digits), got a bigint');
    expect(env.bed.dynamo.calls.total).toBe(0);
  });
});

describe('regression (issue 8, case 6): numbers through a conflict the resolver merges', () => {
  const start = harnessPerTest();
  type Table = ConcordTable<typeof rules.spec>;

  /**
   * Writes a conflict with the writer on the harness's table: `base` in the local region,
   * then `local` there and `remote` in the other region, each on the base (the table is
   * put back to the base in between, as if the two regions wrote before replicating).
   * The table is left at the remote version; the record is the local region's stream's.
   */
  async function writerConflict(harness: ResolverHarness, key: AttributeMap, base: (table: Table) => Promise<unknown>, local: (table: Table) => Promise<unknown>, remote: (table: Table) => Promise<unknown>) {
    let wallMs = T0;
    const writer = (region: string): Table => createConcordTable({ client: harness.stack.dynamo.client(), tableName: harness.config.table, region, rules, now: () => (wallMs += 1_000) });
    const [here, there] = [writer(LOCAL_REGION), writer(REMOTE_REGION)];
    await base(here);
    const baseImage = (await harness.item(key)) as AttributeMap;
    await local(here);
    const localImage = (await harness.item(key)) as AttributeMap;
    await harness.seed(baseImage);
    await remote(there);
    const remoteImage = (await harness.item(key)) as AttributeMap;
    return streamEvent(streamRecord({ eventName: 'MODIFY', key, oldImage: localImage, newImage: remoteImage, sequence: 1, createdAtMs: HARNESS_NOW - 60_000 }));
  }

  it('regression (issue 8, case 6): two regions’ increments whose total passes 2^53 merge to the exact total', async () => {
    // Prepare
    const harness = await start({ rules });
    const key = itemKey('STOCK#total', 'STOCK');
    const plain = { pk: 'STOCK#total', sk: 'STOCK' } as const;
    const event = await writerConflict(
      harness,
      key,
      (table) => table.increment(plain, 'onHand', TWO_TO_53 - 2n),
      (table) => table.increment(plain, 'onHand', 2),
      (table) => table.increment(plain, 'onHand', 3),
    );

    // Act
    const response = await harness.invoke(event);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const item = (await harness.item(key)) as AttributeMap;
    expect(item.onHand).toEqual({ N: '9007199254740995' });
    expect(counterTotal(decodeItem(item, rules.table).counters.get('onHand') ?? new Map())).toBe(9007199254740995n);
    expect(harness.auditEvents()[0]?.detail.attributes).toMatchObject({ onHand: { outcome: 'merged', values: { merged: '9007199254740995' } } });
  });

  it.each([
    ['max', 'high', LOW_38, HIGH_38, HIGH_38],
    ['max', 'high', HIGH_38, LOW_38, HIGH_38],
    ['min', 'low', LOW_38, HIGH_38, LOW_38],
    ['min', 'low', HIGH_38, LOW_38, LOW_38],
    ['max', 'high', `-${LOW_38}`, `-${HIGH_38}`, `-${LOW_38}`],
    ['min', 'low', `-${HIGH_38}`, `-${LOW_38}`, `-${HIGH_38}`],
    ['max', 'high', '0.1', '0.09999999999999999999999999999999999999', '0.1'],
    ['min', 'low', '0.09999999999999999999999999999999999999', '0.1', '0.09999999999999999999999999999999999999'],
    ['max', 'high', '-1.5', '-1.25', '-1.25'],
    ['min', 'low', '-1.25', '-1.5', '-1.5'],
    ['max', 'high', '-0.5', '0.25', '0.25'],
    ['min', 'low', '123.456', '123.4559999999999999999999999999999999', '123.4559999999999999999999999999999999'],
  ])('regression (issue 8, case 6): %s of %s between %s (local) and %s (remote) keeps %s', async (_, attribute, localValue, remoteValue, kept) => {
    // Prepare
    const harness = await start({ rules });
    const plain = { pk: `READING#${attribute}`, sk: 'READING' } as const;
    const key = itemKey(plain.pk, plain.sk);
    const event = await writerConflict(
      harness,
      key,
      (table) => table.update(plain, { set: { note: 'base' } }),
      (table) => table.update(plain, { set: { [attribute]: exact(localValue) } }),
      (table) => table.update(plain, { set: { [attribute]: exact(remoteValue) } }),
    );

    // Act
    const response = await harness.invoke(event);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect((await harness.item(key))?.[attribute]).toEqual({ N: kept });
  });
});
