/**
 * The table policies beyond the sample events: `restore` and `accept` (the strict test
 * rules), and what a redelivery or a later change does to them.
 */
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import { strictRules } from '../helpers/resolver-rules';
import { harnessPerTest } from '../helpers/resolver-harness';
import { itemKey, LOCAL_REGION, streamEvent, streamRecord, Writers } from '../helpers/resolver-records';
import { sampleEvent, sampleImages } from '../helpers/resolver-samples';

const KEY = itemKey('STOCK#1', 'STOCK');

const start = harnessPerTest();

/** A versioned item and the REMOVE record of its hard delete. */
function hardDelete(): { item: AttributeMap; record: ReturnType<typeof streamRecord> } {
  const writers = new Writers(strictRules);
  const item = writers.write(LOCAL_REGION, undefined, KEY, { type: 'update', increment: { onHand: 4 }, set: { location: { S: 'A1' } } });
  return { item, record: streamRecord({ eventName: 'REMOVE', key: KEY, oldImage: item, sequence: 1, createdAtMs: writers.now }) };
}

describe('hard delete, policy restore', () => {
  it('puts the old image back and audits it', async () => {
    // Prepare
    const harness = await start({ rules: strictRules });
    const { item, record } = hardDelete();

    // Act
    const response = await harness.invoke(streamEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await harness.item(KEY)).toEqual(item);
    expect(harness.auditEvents().map((received) => [received['detail-type'], received.detail.outcome])).toEqual([['HardDeleteObserved', 'restored']]);
    expect(harness.auditEvents()[0]?.detail.attributes).toEqual({ location: { rule: 'lww', outcome: 'local' }, onHand: { rule: 'counter', outcome: 'local' } });
  });

  it('reports the same restore when the record is delivered again', async () => {
    // Prepare
    const harness = await start({ rules: strictRules });
    const { record } = hardDelete();
    await harness.invoke(streamEvent(record));
    const first = harness.auditEvents()[0]?.detail;
    harness.stack.eventBridge.clearEvents();

    // Act
    await harness.invoke(streamEvent(record));

    // Assess
    expect(harness.auditEvents()[0]?.detail).toEqual(first);
    expect(harness.stack.dynamo.calls.snapshot()).toEqual({ PutItem: 2, GetItem: 1 });
  });

  it('leaves an item created again since alone', async () => {
    // Prepare
    const harness = await start({ rules: strictRules });
    const { record } = hardDelete();
    const recreated = new Writers(strictRules, Date.now()).write(LOCAL_REGION, undefined, KEY, { type: 'update', increment: { onHand: 1 } });
    await harness.seed(recreated);

    // Act
    await harness.invoke(streamEvent(record));

    // Assess
    expect(await harness.item(KEY)).toEqual(recreated);
    expect(harness.auditEvents()[0]?.detail.outcome).toBe('superseded');
  });

  it('cannot restore without an old image, and says so', async () => {
    // Prepare
    const harness = await start({ rules: strictRules });
    const record = streamRecord({ eventName: 'REMOVE', key: KEY, sequence: 1, createdAtMs: Date.now() });

    // Act
    const response = await harness.invoke(streamEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(harness.auditEvents()[0]?.detail).toMatchObject({ outcome: 'unrestorable', local: null });
    expect(harness.stack.dynamo.calls.total).toBe(0);
  });
});

describe('a TTL deletion replicated from another region', () => {
  it('is skipped as a TTL expiry, not restored, though it carries no TTL identity', async () => {
    // Prepare: the receiving region's record of an expired tombstone, removed a day after it expired.
    const harness = await start({ rules: strictRules });
    const writers = new Writers(strictRules);
    const versioned = writers.write(LOCAL_REGION, undefined, KEY, { type: 'update', increment: { onHand: 4 } });
    const tombstone = writers.write(LOCAL_REGION, versioned, KEY, { type: 'delete' });
    const expiresAtMs = Number((tombstone._ttl as { N: string }).N) * 1000;
    const record = streamRecord({ eventName: 'REMOVE', key: KEY, oldImage: tombstone, sequence: 1, createdAtMs: expiresAtMs + 86_400_000 });

    // Act
    const response = await harness.invoke(streamEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await harness.item(KEY)).toBeUndefined();
    expect(harness.auditEvents()).toEqual([]);
    expect(harness.stack.dynamo.calls.total).toBe(0);
  });
});

describe('unversioned overwrite', () => {
  it('policy accept: keeps the client item and audits the overwrite', async () => {
    // Prepare
    const harness = await start({ rules: strictRules });
    const writers = new Writers(strictRules);
    const versioned = writers.write(LOCAL_REGION, undefined, KEY, { type: 'update', increment: { onHand: 4 } });
    const overwrite = { ...KEY, onHand: { N: '2' } };
    await harness.seed(overwrite);

    // Act
    await harness.invoke(streamEvent(streamRecord({ eventName: 'MODIFY', key: KEY, oldImage: versioned, newImage: overwrite, sequence: 1, createdAtMs: writers.now })));

    // Assess
    expect(await harness.item(KEY)).toEqual(overwrite);
    expect(harness.auditEvents()[0]?.detail).toMatchObject({ outcome: 'accepted', merged: null, reason: { policy: 'accept' }, attributes: { onHand: { rule: 'counter', outcome: 'remote' } } });
    expect(harness.stack.dynamo.calls.total).toBe(0);
  });

  it('policy merge: a redelivery changes nothing and reports the same merge', async () => {
    // Prepare
    const harness = await start();
    const event = sampleEvent('policy-unversioned-overwrite');
    const { key, newImage } = sampleImages(event);
    await harness.seed(newImage as AttributeMap);
    await harness.invoke(event);
    const merged = await harness.item(key);
    const first = harness.auditEvents()[0]?.detail;
    harness.stack.eventBridge.clearEvents();

    // Act
    await harness.invoke(event);

    // Assess
    expect(await harness.item(key)).toEqual(merged);
    expect(harness.auditEvents()[0]?.detail).toEqual(first);
  });

  it('policy merge: writes nothing when the item changed again since the overwrite', async () => {
    // Prepare
    const harness = await start();
    const event = sampleEvent('policy-unversioned-overwrite');
    const { key, newImage } = sampleImages(event);
    const changedAgain = { ...(newImage as AttributeMap), loginCount: { N: '5' } };
    await harness.seed(changedAgain);

    // Act
    await harness.invoke(event);

    // Assess
    expect(await harness.item(key)).toEqual(changedAgain);
    expect(harness.auditEvents()[0]?.detail).toMatchObject({ outcome: 'superseded', merged: null });
  });
});
