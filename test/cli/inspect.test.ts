/**
 * `concord inspect`, run as a process against the local stack: an item's values, rules,
 * writes, siblings, counters, tombstone, context and size; every replica side by side;
 * and the exit status of each failure.
 */
import { concordTableDefinition, startLocalDynamo, startLocalStack, type LocalDynamo, type LocalStack } from '../../local';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import type { ItemView } from '../../cli/operations/inspect/item-view';
import type { ReplicaComparison } from '../../cli/operations/inspect/replicas';
import { deletedCart, escalatedOrder, mergedStock } from '../helpers/cli-items';
import { jsonOf, runConcord } from '../helpers/cli';
import { LOCAL_REGION, REMOTE_REGION } from '../helpers/resolver-records';

describe('concord inspect', () => {
  let stack: LocalStack;
  let replica: LocalDynamo;

  const store = async (dynamo: LocalDynamo, ...items: AttributeMap[]): Promise<void> => {
    for (const Item of items) await dynamo.call('PutItem', { TableName: 'concord-dev', Item });
  };
  const inspect = (...args: string[]) => runConcord(['inspect', ...args], { env: stack.env });

  beforeAll(async () => {
    stack = await startLocalStack({ region: LOCAL_REGION });
    replica = await startLocalDynamo({ region: REMOTE_REGION, tables: [concordTableDefinition('concord-dev')] });
    await store(stack.dynamo, mergedStock('STOCK#1'), escalatedOrder('ORDER#1'), deletedCart('CART#1'));
    await store(replica, mergedStock('STOCK#1'), escalatedOrder('ORDER#1', 'Leave at the door', 'Ring twice'));
  });

  afterAll(async () => {
    await replica.close();
    await stack.close();
  });

  it('shows a counter per region, the write that set it, and the invariant it now satisfies', async () => {
    // Act
    const run = await inspect('STOCK#1', 'STOCK', '--json');

    // Assess
    const view = jsonOf<ItemView>(run);
    expect({ code: run.code, value: view.values.onHand, counter: view.attributes.onHand?.counter?.regions, escalations: view.pending?.escalations }).toEqual({
      code: 0,
      value: 9,
      counter: { 'eu-west-1': '-3', 'us-east-1': '12' },
      escalations: [],
    });
    expect(view.attributes.onHand?.writes.map((write) => write.region)).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('shows concurrent siblings of a manual attribute, numbered, and the escalation', async () => {
    // Act
    const run = await inspect('ORDER#1', 'ORDER');

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/notes\s+manual\s+"Call on arrival"\s+2 concurrent writes:/);
    expect(run.stdout).toMatch(/#1\s+"Leave at the door"\s+in us-east-1 /);
    expect(run.stdout).toMatch(/#2\s+"Call on arrival"\s+in eu-west-1 /);
    expect(run.stdout).toContain('escalations: manual notes');
  });

  it('shows a tombstone, its expiry and what the envelope costs', async () => {
    // Act
    const view = jsonOf<ItemView>(await inspect('{"pk":"CART#1","sk":"CART"}', '--json'));

    // Assess
    expect({ deleted: view.deleted, values: view.values, expired: view.tombstone?.expired }).toEqual({ deleted: true, values: {}, expired: true });
    expect(view.size?.envelopeBytes).toBeGreaterThan(0);
    expect(view.size?.writeUnits).toBe(1);
  });

  it('says when there is no such item, with exit status 1', async () => {
    // Act
    const run = await inspect('STOCK#404', 'STOCK');

    // Assess
    expect({ code: run.code, out: run.stdout.trim().split('\n').at(-1) }).toEqual({ code: 1, out: '  no item with this key' });
  });

  it('compares every replica side by side and names what differs (exit status 1)', async () => {
    // Act
    const run = await inspect('ORDER#1', 'ORDER', '--all-regions', '--endpoint', `${LOCAL_REGION}=${stack.dynamo.endpoint}`, '--endpoint', `${REMOTE_REGION}=${replica.endpoint}`, '--json');

    // Assess
    const { comparison } = jsonOf<{ comparison: ReplicaComparison }>(run);
    expect({ code: run.code, agree: comparison.agree, regions: comparison.regions, fields: comparison.differences.map((d) => d.field) }).toEqual({
      code: 1,
      agree: false,
      regions: [REMOTE_REGION, LOCAL_REGION],
      fields: ['values.notes', 'writes.notes'],
    });
  });

  it('says replicas holding the same bytes are identical (exit status 0)', async () => {
    // Act
    const run = await inspect('STOCK#1', 'STOCK', '--all-regions', '--endpoint', `${LOCAL_REGION}=${stack.dynamo.endpoint}`, '--endpoint', `${REMOTE_REGION}=${replica.endpoint}`);

    // Assess
    expect({ code: run.code, verdict: run.stdout.split('\n')[0] }).toEqual({ code: 0, verdict: 'the 2 replicas are identical: eu-west-1, us-east-1' });
  });

  it.each([
    ['a key that is not the table key', ['STOCK#1'], {}, 2, '<key>: the table\'s key is pk, sk'],
    ['no table', ['STOCK#1', 'STOCK'], { CONCORD_TABLE: '' }, 3, 'CONCORD_TABLE is required'],
    ['an endpoint that does not answer', ['STOCK#1', 'STOCK'], { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' }, 4, 'DynamoDB GetItem failed'],
  ])('names what is wrong with %s, with its exit status', async (_case, args, env, code, message) => {
    // Act
    const run = await runConcord(['inspect', ...args], { env: { ...stack.env, ...env } });

    // Assess
    expect({ code: run.code, message: run.stderr.includes(message) }).toEqual({ code, message: true });
  });
});
