/**
 * Batches over the wire: partial failure, PutEvents entry failures and batching,
 * DynamoDB throttling.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientConfig, type EventBridgeEvent } from '../../local';
import { harnessPerTest, type ResolverHarness } from '../helpers/resolver-harness';
import { conflictRecord, incrementStock, LOCAL_REGION, REMOTE_REGION, stockConflict, streamEvent, streamRecord, Writers, type ConcurrentVersions } from '../helpers/resolver-records';

const start = harnessPerTest();

/** The sequence number of the record an audit event is about. */
function publishedSequence(received: EventBridgeEvent): string {
  return (received.detail.record as { sequenceNumber: string }).sequenceNumber;
}

function sequenceOf(record: DynamoDBRecord): string {
  return record.dynamodb?.SequenceNumber as string;
}

/** Three conflicts on three keys, seeded, and the event that carries them. */
async function threeConflicts(harness: ResolverHarness, writers = new Writers()): Promise<{ conflicts: ConcurrentVersions[]; records: DynamoDBRecord[] }> {
  const conflicts = ['STOCK#1', 'STOCK#2', 'STOCK#3'].map((pk) => stockConflict(writers, pk));
  await harness.seed(...conflicts.map((versions) => versions.remote));
  return { conflicts, records: conflicts.map((versions, index) => conflictRecord(versions, index + 1)) };
}

describe('a batch with a failing record', () => {
  it('reports the failing record and the rest of its key, and nothing of the other key', async () => {
    // Prepare
    const harness = await start({ sdkMaxAttempts: 1 });
    const writers = new Writers();
    const [a1, a2, a3] = [stockConflict(writers, 'STOCK#A'), stockConflict(writers, 'STOCK#A'), stockConflict(writers, 'STOCK#A')] as ConcurrentVersions[];
    const b1 = stockConflict(writers, 'STOCK#B');
    const b2 = writers.write(REMOTE_REGION, b1.remote, b1.key, incrementStock(1));
    await harness.seed(a1!.remote, b1.remote);
    const records = [
      conflictRecord(a1!, 1),
      conflictRecord(b1, 2),
      conflictRecord(a2!, 3),
      streamRecord({ eventName: 'MODIFY', key: b1.key, oldImage: b1.remote, newImage: b2, sequence: 4, createdAtMs: b1.arrivedAtMs }),
      conflictRecord(a3!, 5),
    ];
    // The write-back of a2, the second record of key A, fails (a1's is the first).
    let writesOfA = 0;
    harness.stack.dynamo.intercept(async (request, forward) => {
      const pk = (request.body.Item as AttributeMap | undefined)?.pk;
      if (request.operation === 'PutItem' && pk !== undefined && 'S' in pk && pk.S === 'STOCK#A' && (writesOfA += 1) === 2) {
        return { status: 500, body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'injected' } };
      }
      return forward();
    });

    // Act
    const response = await harness.invoke(streamEvent(...records));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: sequenceOf(records[2]!) }, { itemIdentifier: sequenceOf(records[4]!) }]);
    expect(writesOfA).toBe(2); // a3 was not attempted
    expect((await harness.item(a1!.key))?.onHand).toEqual({ N: '9' });
    expect((await harness.item(b1.key))?.onHand).toEqual({ N: '9' });
    expect(harness.auditEvents().map((received) => received.detail.record)).toEqual([
      { eventId: records[0]?.eventID, sequenceNumber: sequenceOf(records[0]!) },
      { eventId: records[1]?.eventID, sequenceNumber: sequenceOf(records[1]!) },
    ]);
  });
});

describe('audit publishing', () => {
  it('publishes the events of a whole batch in calls of 10 entries', async () => {
    // Prepare
    const harness = await start();
    const writers = new Writers();
    const conflicts = Array.from({ length: 25 }, (_, i) => stockConflict(writers, `STOCK#${i}`));
    await harness.seed(...conflicts.map((versions) => versions.remote));

    // Act
    await harness.invoke(streamEvent(...conflicts.map((versions, index) => conflictRecord(versions, index + 1))));

    // Assess
    expect(harness.auditEvents()).toHaveLength(25);
    expect(harness.stack.eventBridge.calls.count('PutEvents')).toBe(3);
  });

  it.each(['ThrottlingException', 'InternalFailure'] as const)('retries entries that failed with %s until they are published', async (error) => {
    // Prepare
    const harness = await start();
    const { records } = await threeConflicts(harness);
    harness.stack.eventBridge.faults.failNext({ count: 2, error });

    // Act
    const response = await harness.invoke(streamEvent(...records));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(harness.auditEvents().map((received) => publishedSequence(received)).sort()).toEqual(records.map(sequenceOf).sort());
    expect(harness.stack.eventBridge.calls.count('PutEvents')).toBe(2);
  });

  it('fails the record whose event failed every attempt, and the rest of its key, and nothing else', async () => {
    // Prepare
    const harness = await start({ config: { maxPublishAttempts: 3 } });
    const writers = new Writers();
    const a = stockConflict(writers, 'STOCK#A');
    const b = stockConflict(writers, 'STOCK#B');
    await harness.seed(a.remote);
    const successorOf = (versions: ConcurrentVersions, sequence: number) =>
      streamRecord({ eventName: 'MODIFY', key: versions.key, oldImage: versions.remote, newImage: writers.write(REMOTE_REGION, versions.remote, versions.key, incrementStock(1)), sequence, createdAtMs: versions.arrivedAtMs });
    const records = [conflictRecord(a, 1), successorOf(b, 2), successorOf(a, 3)];
    harness.stack.eventBridge.faults.failNext({ count: 3 });

    // Act
    const response = await harness.invoke(streamEvent(...records));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: sequenceOf(records[0]!) }, { itemIdentifier: sequenceOf(records[2]!) }]);
    expect(harness.stack.eventBridge.calls.count('PutEvents')).toBe(3);
    expect(harness.auditEvents()).toEqual([]);
  });

  it('fails exactly the records whose events were not published when others were', async () => {
    // Prepare
    const harness = await start({ config: { maxPublishAttempts: 1 } });
    const { records } = await threeConflicts(harness);
    harness.stack.eventBridge.faults.failNext({ count: 1, error: 'InternalFailure' });

    // Act
    const response = await harness.invoke(streamEvent(...records));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: sequenceOf(records[0]!) }]);
    expect(harness.auditEvents().map((received) => publishedSequence(received))).toEqual([sequenceOf(records[1]!), sequenceOf(records[2]!)]);
  });
});

describe('DynamoDB throttling', () => {
  it('is retried by the SDK standard strategy', async () => {
    // Prepare
    const harness = await start({ sdkMaxAttempts: 3 });
    const { conflicts, records } = await threeConflicts(harness);
    harness.stack.dynamo.faults.failNext({ count: 2, only: ['PutItem'] });

    // Act
    const response = await harness.invoke(streamEvent(records[0]!));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(harness.stack.dynamo.calls.count('PutItem')).toBe(3);
    expect((await harness.item(conflicts[0]!.key))?.onHand).toEqual({ N: '9' });
  });

  it('fails the record once the SDK attempts are spent', async () => {
    // Prepare
    const harness = await start({ sdkMaxAttempts: 2 });
    const { records } = await threeConflicts(harness);
    harness.stack.dynamo.faults.failNext({ count: 2, only: ['PutItem'] });

    // Act
    const response = await harness.invoke(streamEvent(records[0]!));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: sequenceOf(records[0]!) }]);
    expect(harness.auditEvents()).toEqual([]);
  });
});

describe('an endpoint that cannot be reached', () => {
  it('fails the invocation as a whole, naming the cause, when every failed record met it', async () => {
    // Prepare: nothing listens on port 1.
    const unreachable = new DynamoDBClient({ ...localClientConfig('http://127.0.0.1:1', LOCAL_REGION), maxAttempts: 1 });
    const harness = await start({ deps: { dynamodb: unreachable } });
    const { records } = await threeConflicts(harness);

    // Act
    const invocation = harness.invoke(streamEvent(...records));

    // Assess
    await expect(invocation).rejects.toThrow(expect.objectContaining({ name: 'EndpointUnreachableError', records: 3, message: expect.stringContaining('ECONNREFUSED') }));
    unreachable.destroy();
  });
});
