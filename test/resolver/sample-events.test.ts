/**
 * Each sample event of events/ through the real handler against the local stack: the
 * item the table ends with and the audit event published.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { sampleFiles } from '../../scripts/make-events';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import exampleRules from '../../rules/example';
import { summarize } from '../../shared/clock/context';
import { decodeItem } from '../../shared/item/state';
import { REDACTED } from '../../shared/resolver';
import type { EventBridgeEvent } from '../../local';
import { startResolverHarness, type ResolverHarness } from '../helpers/resolver-harness';
import { EVENTS_DIRECTORY, sampleEvent, sampleImages } from '../helpers/resolver-samples';

let harness: ResolverHarness;

beforeEach(async () => {
  harness = await startResolverHarness();
});

afterEach(async () => {
  await harness.close();
});

interface Run {
  readonly event: DynamoDBStreamEvent;
  readonly failures: readonly { itemIdentifier: string }[];
  readonly item: AttributeMap | undefined;
  readonly audit: readonly EventBridgeEvent[];
}

/** Seeds the record's new image (what the table holds), invokes the handler with the sample. */
async function run(name: string): Promise<Run> {
  const event = sampleEvent(name);
  const { key, newImage } = sampleImages(event);
  if (newImage !== undefined) await harness.seed(newImage);
  const response = await harness.invoke(event);
  return { event, failures: response.batchItemFailures, item: await harness.item(key), audit: harness.auditEvents() };
}

function envelopeOf(item: AttributeMap | undefined): Record<string, AttributeMap[string]> {
  const envelope = item?._cc;
  return envelope !== undefined && 'M' in envelope ? envelope.M : {};
}

describe('the committed sample events', () => {
  it('equal the output of scripts/make-events.ts', () => {
    // Prepare
    const expected = sampleFiles();

    // Act
    const committed = new Map([...expected.keys()].map((name) => [name, readFileSync(join(EVENTS_DIRECTORY, name), 'utf8')]));

    // Assess
    expect(committed).toEqual(expected);
  });
});

describe('sample events through the resolver', () => {
  it('conflict-stock-counter: keeps both regions increments (10 + 2 - 3 = 9)', async () => {
    // Act
    const { failures, item, audit } = await run('conflict-stock-counter');

    // Assess
    expect(failures).toEqual([]);
    expect(item?.onHand).toEqual({ N: '9' });
    expect(item?.location).toEqual({ S: 'A1' });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.['detail-type']).toBe('ConflictResolved');
    expect(audit[0]?.detail).toMatchObject({
      table: 'concord-dev',
      key: { pk: 'STOCK#1001', sk: 'STOCK' },
      region: 'us-east-1',
      entity: 'stock',
      outcome: 'resolved',
      local: { by: 'us-east-1' },
      remote: { by: 'eu-west-1' },
      attributes: { onHand: { rule: 'counter', outcome: 'merged', values: { local: 12, remote: 7, merged: 9 } } },
      escalations: [],
    });
    expect(envelopeOf(item).wid).toEqual({ S: audit[0]?.detail.conflictId });
  });

  it('conflict-cart-add-wins: an add concurrent with a remove of the same element survives', async () => {
    // Act
    const { failures, item, audit } = await run('conflict-cart-add-wins');

    // Assess
    expect(failures).toEqual([]);
    expect(item?.items).toEqual({ SS: ['sku-1', 'sku-2'] });
    expect(audit[0]?.['detail-type']).toBe('ConflictResolved');
    expect(audit[0]?.detail.attributes).toEqual({ items: { rule: 'addWinsSet', outcome: 'local', values: { local: ['sku-1', 'sku-2'], remote: ['sku-2'], merged: ['sku-1', 'sku-2'] } } });
  });

  it('conflict-profile-different-fields: keeps both edits and redacts the email in the event', async () => {
    // Act
    const { failures, item, audit } = await run('conflict-profile-different-fields');

    // Assess
    expect(failures).toEqual([]);
    expect(item).toMatchObject({ name: { S: 'Ada' }, city: { S: 'Bergen' }, email: { S: 'ada@example.org' } });
    expect(audit[0]?.detail).toMatchObject({
      entity: '(fallback)',
      attributes: {
        city: { rule: 'lww', outcome: 'remote', values: { local: 'Oslo', remote: 'Bergen', merged: 'Bergen' } },
        email: { rule: 'lww', outcome: 'local', values: { local: REDACTED, remote: REDACTED, merged: REDACTED } },
        name: { rule: 'lww', outcome: 'equal' },
      },
    });
    expect(JSON.stringify(audit[0]?.detail)).not.toContain('example.org');
  });

  it('conflict-order-status-priority: the higher status wins over the later write', async () => {
    // Act
    const { failures, item, audit } = await run('conflict-order-status-priority');

    // Assess
    expect(failures).toEqual([]);
    expect(item?.status).toEqual({ S: 'SHIPPED' });
    expect(audit[0]?.detail.attributes).toMatchObject({ status: { rule: 'priority', outcome: 'local', values: { local: 'SHIPPED', remote: 'PAID', merged: 'SHIPPED' } } });
  });

  it('conflict-order-notes-manual: keeps both notes as siblings and escalates', async () => {
    // Act
    const { failures, item, audit } = await run('conflict-order-notes-manual');

    // Assess
    expect(failures).toEqual([]);
    expect(item?.notes).toEqual({ S: 'Call on arrival' });
    const siblings = (envelopeOf(item).crdt as { M: { sib: { M: { notes: { M: Record<string, unknown> } } } } }).M.sib.M.notes.M;
    expect(Object.values(siblings)).toEqual(expect.arrayContaining([{ S: 'Leave at the door' }, { S: 'Call on arrival' }]));
    expect(audit[0]?.['detail-type']).toBe('ConflictEscalated');
    expect(audit[0]?.detail).toMatchObject({
      outcome: 'escalated',
      escalations: [{ reason: 'manual', subject: 'notes', siblings: expect.arrayContaining([expect.objectContaining({ value: 'Leave at the door' }), expect.objectContaining({ value: 'Call on arrival' })]) }],
    });
  });

  it('conflict-cart-update-wins-over-delete: the cart lives on with what the deleter had not seen', async () => {
    // Act
    const { failures, item, audit } = await run('conflict-cart-update-wins-over-delete');

    // Assess
    expect(failures).toEqual([]);
    expect(item?.items).toEqual({ SS: ['sku-9'] });
    expect(item?.coupon).toBeUndefined();
    expect(item?._ttl).toBeUndefined();
    expect(audit[0]?.detail).toMatchObject({ outcome: 'resolved', attributes: { items: { outcome: 'merged', values: { local: ['sku-1', 'sku-9'], merged: ['sku-9'] } } } });
  });

  it('conflict-order-delete-wins-over-update: the tombstone wins', async () => {
    // Act
    const { failures, item, audit } = await run('conflict-order-delete-wins-over-update');

    // Assess
    expect(failures).toEqual([]);
    expect(item?.status).toBeUndefined();
    expect(item?.total).toBeUndefined();
    expect(item?._ttl).toBeDefined();
    expect(audit[0]?.detail).toMatchObject({ outcome: 'resolved', attributes: { status: { rule: 'priority', outcome: 'local', values: { remote: 'PAID' } } } });
  });

  it('skip-successor: writes nothing and publishes nothing', async () => {
    // Act
    const { event, failures, item, audit } = await run('skip-successor');

    // Assess
    expect(failures).toEqual([]);
    expect(item).toEqual(sampleImages(event).newImage);
    expect(audit).toEqual([]);
    expect(harness.stack.dynamo.calls.total).toBe(0);
  });

  it('skip-ttl-removal: writes nothing and publishes nothing', async () => {
    // Act
    const { failures, item, audit } = await run('skip-ttl-removal');

    // Assess
    expect(failures).toEqual([]);
    expect(item).toBeUndefined();
    expect(audit).toEqual([]);
    expect(harness.stack.dynamo.calls.total).toBe(0);
  });

  it('policy-unversioned-overwrite: brings the client values in as a versioned write by us-east-1', async () => {
    // Act
    const { event, failures, item, audit } = await run('policy-unversioned-overwrite');

    // Assess
    expect(failures).toEqual([]);
    expect(item).toMatchObject({ loginCount: { N: '4' }, lastLoginAt: { N: '1732851500' }, email: { S: 'grace@example.net' } });
    expect(envelopeOf(item).by).toEqual({ S: 'us-east-1' });
    const oldVv = { ...summarize(decodeItem(sampleImages(event).oldImage as AttributeMap, exampleRules.table).context).vv };
    expect(audit[0]?.['detail-type']).toBe('UnversionedOverwrite');
    expect(audit[0]?.detail).toMatchObject({
      outcome: 'merged',
      reason: { policy: 'merge' },
      local: { vv: oldVv },
      remote: null,
      attributes: { loginCount: { rule: 'counter', outcome: 'remote', values: { local: 3, remote: 4, merged: 4 } }, email: { values: { remote: REDACTED } } },
    });
  });

  it('policy-hard-delete: leaves the item deleted and audits what was deleted', async () => {
    // Act
    const { failures, item, audit } = await run('policy-hard-delete');

    // Assess
    expect(failures).toEqual([]);
    expect(item).toBeUndefined();
    expect(audit[0]?.['detail-type']).toBe('HardDeleteObserved');
    expect(audit[0]?.detail).toMatchObject({ key: { pk: 'ORDER#4004', sk: 'ORDER' }, outcome: 'accepted', reason: { policy: 'accept' }, attributes: { status: { values: { local: 'DELIVERED' } } } });
  });

  it('quarantine-malformed-envelope: sends the whole record to the queue and audits it', async () => {
    // Act
    const { event, failures, item, audit } = await run('quarantine-malformed-envelope');

    // Assess
    expect(failures).toEqual([]);
    expect(item).toEqual(sampleImages(event).newImage);
    expect(harness.quarantined()).toEqual([expect.objectContaining({ record: event.Records[0], reason: expect.objectContaining({ error: 'EnvelopeError' }) })]);
    expect(audit[0]?.['detail-type']).toBe('RecordQuarantined');
    expect(audit[0]?.detail).toMatchObject({ outcome: 'quarantined', key: { pk: 'STOCK#1003', sk: 'STOCK' }, reason: { error: 'EnvelopeError' } });
  });
});
