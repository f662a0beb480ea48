/**
 * `concord adopt`, run as a process against the local stack: a table of items written
 * without Concord is counted, adopted across an interruption (resumed from its
 * checkpoint, nothing counted twice), without overwriting a change made meanwhile.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exampleRules from '../../rules/example';
import { startLocalStack, type DynamoRequest, type LocalStack } from '../../local';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import { decodeItem } from '../../shared/item/state';
import { createConcordTable } from '../../shared/writer';
import { legacyItem, mergedStock } from '../helpers/cli-items';
import { itemKey, LOCAL_REGION } from '../helpers/resolver-records';
import { jsonOf, runConcord } from '../helpers/cli';

const TABLE = 'concord-dev';
const LEGACY = 120;

/** The legacy items: carts (a set), stock (a counter) and orders (plain values), in turn. */
function legacyItems(): AttributeMap[] {
  return Array.from({ length: LEGACY }, (_, n) => {
    if (n % 3 === 0) return legacyItem(`CART#${n}`, 'CART', { items: { SS: ['apple', `item-${n}`] }, coupon: { S: 'SAVE10' } });
    if (n % 3 === 1) return legacyItem(`STOCK#${n}`, 'STOCK', { onHand: { N: String(n) }, location: { S: 'A1' } });
    return legacyItem(`ORDER#${n}`, 'ORDER', { status: { S: 'PAID' }, total: { N: String(n) } });
  });
}

interface AdoptData {
  readonly resumed: boolean;
  readonly counts: { scanned: number; versioned: number; adopted: number; changedMeanwhile: number; refused: number };
  readonly refusals: { key: string; reason: string }[];
}

describe('concord adopt', () => {
  let stack: LocalStack;
  let folder: string;
  let checkpoint: string;
  const adopt = (...args: string[]) => runConcord(['adopt', '--segments', '2', '--page-size', '25', '--checkpoint', checkpoint, ...args], { env: stack.env });
  const item = async (key: AttributeMap): Promise<AttributeMap | undefined> => (await stack.dynamo.call('GetItem', { TableName: TABLE, Key: key, ConsistentRead: true })).body.Item as AttributeMap | undefined;
  const unversioned = async (): Promise<number> => ((await stack.dynamo.call('Scan', { TableName: TABLE, FilterExpression: 'attribute_not_exists(#cc)', ExpressionAttributeNames: { '#cc': '_cc' } })).body.Count as number) ?? 0;

  // Prepare: 120 legacy items, two Concord items, and a stock whose counter holds words.
  beforeAll(async () => {
    stack = await startLocalStack({ region: LOCAL_REGION });
    for (const Item of [...legacyItems(), mergedStock('STOCK#concord-1'), mergedStock('STOCK#concord-2'), legacyItem('STOCK#words', 'STOCK', { onHand: { S: 'many' } })]) {
      await stack.dynamo.call('PutItem', { TableName: TABLE, Item });
    }
    folder = mkdtempSync(join(tmpdir(), 'concord-adopt-'));
    checkpoint = join(folder, 'adopt.json');
  });

  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await stack.close();
  });

  it('counts on a dry run what it would adopt and what it cannot, writing nothing (exit status 1)', async () => {
    // Act
    const run = await adopt('--dry-run', '--json');

    // Assess
    const data = jsonOf<AdoptData>(run);
    expect({ code: run.code, counts: data.counts, refused: data.refusals.map((r) => r.key), left: await unversioned(), checkpoint: existsSync(checkpoint) }).toEqual({
      code: 1,
      counts: { scanned: LEGACY + 3, versioned: 2, adopted: LEGACY, changedMeanwhile: 0, refused: 1 },
      refused: ['pk=STOCK#words sk=STOCK'],
      left: LEGACY + 1,
      checkpoint: false,
    });
  });

  it('stops at a failed call with its checkpoint saved, then goes on from it, never counting an item twice and never overwriting a change made meanwhile', async () => {
    // Prepare: the third Scan fails; CART#0 is changed by a legacy client, and STOCK#1 written through Concord, just before their adoption.
    let scans = 0;
    const failThirdScan = stack.dynamo.intercept(async (request: DynamoRequest, forward) =>
      request.operation === 'Scan' && (scans += 1) === 3 ? { status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ValidationException', message: 'injected failure' } } : forward(),
    );
    const changed = new Set<string>();
    stack.dynamo.intercept(async (request, forward) => {
      const pk = ((request.body.Item as AttributeMap | undefined)?.pk as { S?: string } | undefined)?.S;
      if (request.operation === 'PutItem' && (pk === 'CART#0' || pk === 'STOCK#1') && !changed.has(pk)) {
        changed.add(pk);
        if (pk === 'CART#0') await stack.dynamo.call('UpdateItem', { TableName: TABLE, Key: itemKey(pk, 'CART'), UpdateExpression: 'SET coupon = :c', ExpressionAttributeValues: { ':c': { S: 'CHANGED' } } });
        else await createConcordTable({ client: stack.dynamo.client(), tableName: TABLE, region: LOCAL_REGION, rules: exampleRules }).increment({ pk, sk: 'STOCK' }, 'onHand', 5);
      }
      return forward();
    });

    // Act
    const stopped = await adopt();
    failThirdScan();
    const resumed = await adopt('--json');

    // Assess
    const data = jsonOf<AdoptData>(resumed);
    expect({ stopped: stopped.code, said: stopped.stderr.includes('DynamoDB Scan failed: ValidationException: injected failure') }).toEqual({ stopped: 4, said: true });
    expect({ code: resumed.code, resumed: data.resumed, counts: data.counts, checkpoint: existsSync(checkpoint), left: await unversioned() }).toEqual({
      code: 1,
      resumed: true,
      counts: { scanned: LEGACY + 3, versioned: 2, adopted: LEGACY - 1, changedMeanwhile: 1, refused: 1 },
      checkpoint: false,
      left: 1,
    });
    const cart = await item(itemKey('CART#0', 'CART'));
    const stock = decodeItem((await item(itemKey('STOCK#1', 'STOCK'))) as AttributeMap, exampleRules.table);
    expect({ coupon: cart?.coupon, items: cart?.items, versioned: cart?._cc !== undefined }).toEqual({ coupon: { S: 'CHANGED' }, items: { SS: ['apple', 'item-0'] }, versioned: true });
    expect({ onHand: (await item(itemKey('STOCK#1', 'STOCK')))?.onHand, writtenBy: stock.wid.split('.').slice(2, 3) }).toEqual({ onHand: { N: '6' }, writtenBy: [LOCAL_REGION] });
  });

  it('adopts values unchanged, counters from their legacy slot, ready for a Concord write', async () => {
    // Prepare
    const writer = createConcordTable({ client: stack.dynamo.client(), tableName: TABLE, region: LOCAL_REGION, rules: exampleRules });

    // Act
    await writer.increment({ pk: 'STOCK#4', sk: 'STOCK' }, 'onHand', 1);

    // Assess
    const stock = await item(itemKey('STOCK#4', 'STOCK'));
    const order = await item(itemKey('ORDER#5', 'ORDER'));
    expect({ stock: [stock?.onHand, stock?.location], order: [order?.status, order?.total, order?._cc !== undefined] }).toEqual({ stock: [{ N: '5' }, { S: 'A1' }], order: [{ S: 'PAID' }, { N: '5' }, true] });
  });
});
