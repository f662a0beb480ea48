/**
 * The conditional write-back of a conflict over the wire: a concurrent writer between
 * the stream record and the write, a conflict already superseded, redelivery, bounded
 * contention, and `resolveIn: origin`.
 */
import exampleRules from '../../rules/example';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import { merge } from '../../shared/merge/merge';
import { harnessPerTest, type ResolverHarness } from '../helpers/resolver-harness';
import { conflictRecord, incrementStock, itemKey, REMOTE_REGION, stockConflict, streamEvent, streamRecord, TABLE, Writers, type ConcurrentVersions } from '../helpers/resolver-records';

const THIRD_REGION = 'ap-southeast-2';
const STOCK = itemKey('STOCK#1', 'STOCK');

const start = harnessPerTest();

/** Before each PutItem through the proxy, `change` rewrites the item straight in dynalite. */
function writeBeforeEachPut(harness: ResolverHarness, change: (count: number) => AttributeMap | undefined): void {
  let puts = 0;
  harness.stack.dynamo.intercept(async (request, forward) => {
    if (request.operation === 'PutItem') {
      const item = change((puts += 1));
      if (item !== undefined) await harness.seed(item);
    }
    return forward();
  });
}

describe('write-back', () => {
  it('merges with a write that landed between the stream record and the write-back', async () => {
    // Prepare
    const harness = await start();
    const writers = new Writers();
    const versions = stockConflict(writers);
    const concurrent = writers.write(THIRD_REGION, versions.remote, STOCK, incrementStock(5));
    await harness.seed(versions.remote);
    writeBeforeEachPut(harness, (count) => (count === 1 ? concurrent : undefined));

    // Act
    const response = await harness.invoke(streamEvent(conflictRecord(versions, 1)));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect((await harness.item(STOCK))?.onHand).toEqual({ N: String(10 + 2 - 3 + 5) });
    expect(harness.stack.dynamo.calls.snapshot()).toEqual({ PutItem: 2, GetItem: 1 });
    const [event] = harness.auditEvents();
    expect(event?.['detail-type']).toBe('ConflictResolved');
    expect(event?.detail).toMatchObject({ conflictId: merge(versions.local, versions.remote, exampleRules, { table: TABLE }).conflictId, remote: { by: THIRD_REGION } });
  });

  it('stops as superseded when the current item already holds the old image writes', async () => {
    // Prepare
    const harness = await start();
    const writers = new Writers();
    const versions = stockConflict(writers);
    const resolvedElsewhere = merge(versions.local, versions.remote, exampleRules, { table: TABLE });
    const later = writers.write(REMOTE_REGION, resolvedElsewhere.item, STOCK, { type: 'update', set: { location: { S: 'B2' } } });
    await harness.seed(later);

    // Act
    const response = await harness.invoke(streamEvent(conflictRecord(versions, 1)));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await harness.item(STOCK)).toEqual(later);
    const [event] = harness.auditEvents();
    expect(event?.['detail-type']).toBe('ConflictSuperseded');
    expect(event?.detail).toMatchObject({ conflictId: resolvedElsewhere.conflictId, outcome: 'superseded', reason: { supersededBy: 'newerVersion' }, attributes: {} });
    expect(Object.keys((event?.detail.merged as { vv: object }).vv).some((actor) => actor.startsWith(`${REMOTE_REGION}~`))).toBe(true);
  });

  it('stops as superseded when the item is gone (its removal has its own record)', async () => {
    // Prepare
    const harness = await start();
    const versions = stockConflict(new Writers());

    // Act
    const response = await harness.invoke(streamEvent(conflictRecord(versions, 1)));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await harness.item(STOCK)).toBeUndefined();
    expect(harness.auditEvents()[0]?.detail).toMatchObject({ outcome: 'superseded', reason: { supersededBy: 'removal' }, merged: null });
  });

  it('changes nothing on a redelivered batch and publishes the same events again', async () => {
    // Prepare
    const harness = await start();
    const writers = new Writers();
    const conflicts = [stockConflict(writers, 'STOCK#1'), stockConflict(writers, 'STOCK#2'), stockConflict(writers, 'STOCK#3')];
    await harness.seed(...conflicts.map((versions) => versions.remote));
    const event = streamEvent(...conflicts.map((versions, index) => conflictRecord(versions, index + 1)));
    await harness.invoke(event);
    const itemsAfterFirst = await Promise.all(conflicts.map((versions) => harness.item(versions.key)));
    const eventsOfFirst = harness.auditEvents();
    harness.stack.eventBridge.clearEvents();
    harness.stack.dynamo.calls.reset();

    // Act
    const response = await harness.invoke(event);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await Promise.all(conflicts.map((versions) => harness.item(versions.key)))).toEqual(itemsAfterFirst);
    expect(harness.stack.dynamo.calls.snapshot()).toEqual({ PutItem: 3, GetItem: 3 });
    const summary = (events: typeof eventsOfFirst) => events.map((received) => [received['detail-type'], received.detail]);
    expect(summary(harness.auditEvents())).toEqual(summary(eventsOfFirst));
    expect(new Set(eventsOfFirst.map((received) => received.detail.conflictId)).size).toBe(3);
  });

  it('reads the item first when a later record of the key is in the batch (no write that must be refused)', async () => {
    // Prepare: the batch holds the conflict and the write that followed it
    const harness = await start();
    const writers = new Writers();
    const versions = stockConflict(writers);
    const following = writers.write(THIRD_REGION, versions.remote, STOCK, incrementStock(5));
    await harness.seed(following);
    const successor = streamRecord({ eventName: 'MODIFY', key: STOCK, oldImage: versions.remote, newImage: following, sequence: 2, createdAtMs: writers.now });

    // Act
    const response = await harness.invoke(streamEvent(conflictRecord(versions, 1), successor));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect((await harness.item(STOCK))?.onHand).toEqual({ N: String(10 + 2 - 3 + 5) });
    expect(harness.stack.dynamo.calls.snapshot()).toEqual({ PutItem: 1, GetItem: 1 });
    expect(harness.auditEvents()[0]?.['detail-type']).toBe('ConflictResolved');
  });

  it('fails the record when the item changes before every attempt, after the configured attempts', async () => {
    // Prepare
    const harness = await start({ config: { maxWriteAttempts: 3 } });
    const writers = new Writers();
    const versions = stockConflict(writers);
    let current = versions.remote;
    await harness.seed(current);
    writeBeforeEachPut(harness, () => (current = writers.write(THIRD_REGION, current, STOCK, incrementStock(1))));
    const record = conflictRecord(versions, 1);

    // Act
    const response = await harness.invoke(streamEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.dynamodb?.SequenceNumber }]);
    expect(harness.stack.dynamo.calls.snapshot()).toEqual({ PutItem: 3, GetItem: 3 });
    expect(harness.auditEvents()).toEqual([]);
  });
});

describe('resolveIn: origin', () => {
  /** A conflict in the us-east-1 stream between an eu-west-1 version (old) and a later ap-southeast-2 one. */
  function foreignConflict(): ConcurrentVersions {
    const writers = new Writers();
    const base = writers.write(REMOTE_REGION, undefined, STOCK, incrementStock(10));
    const local = writers.write(REMOTE_REGION, base, STOCK, incrementStock(1));
    const remote = writers.write(THIRD_REGION, base, STOCK, incrementStock(1));
    return { key: STOCK, base, local, remote, arrivedAtMs: writers.now };
  }

  it('leaves a conflict whose old image another region wrote to that region', async () => {
    // Prepare
    const harness = await start({ config: { resolveIn: 'origin' } });
    const versions = foreignConflict();
    await harness.seed(versions.remote);

    // Act
    const response = await harness.invoke(streamEvent(conflictRecord(versions, 1)));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await harness.item(STOCK)).toEqual(versions.remote);
    expect(harness.stack.dynamo.calls.total).toBe(0);
  });

  it('resolves a conflict whose old image this region wrote', async () => {
    // Prepare
    const harness = await start({ config: { resolveIn: 'origin' } });
    const versions = stockConflict(new Writers());
    await harness.seed(versions.remote);

    // Act
    await harness.invoke(streamEvent(conflictRecord(versions, 1)));

    // Assess
    expect((await harness.item(STOCK))?.onHand).toEqual({ N: '9' });
  });

  it('resolves the other region conflict too under resolveIn: any', async () => {
    // Prepare
    const harness = await start();
    const versions = foreignConflict();
    await harness.seed(versions.remote);

    // Act
    await harness.invoke(streamEvent(conflictRecord(versions, 1)));

    // Assess
    expect((await harness.item(STOCK))?.onHand).toEqual({ N: '12' });
  });
});
