/**
 * The invocation's deadline: keys not started when the remaining time runs low, and
 * calls abandoned when it is nearly out, are reported in the partial batch response;
 * the audit events of the keys that finished are published before the handler returns.
 */
import type { Context } from 'aws-lambda';
import { harnessPerTest, LAMBDA_CONTEXT } from '../helpers/resolver-harness';
import { conflictRecord, stockConflict, streamEvent, Writers } from '../helpers/resolver-records';

const start = harnessPerTest();

/** A Lambda context whose remaining time is whatever `remaining` answers. */
function contextWithRemaining(remaining: () => number): Context {
  return { ...LAMBDA_CONTEXT, getRemainingTimeInMillis: remaining };
}

/** Three stock conflicts on three keys, seeded. */
async function threeConflicts(harness: Awaited<ReturnType<typeof start>>) {
  const writers = new Writers();
  const conflicts = ['STOCK#1', 'STOCK#2', 'STOCK#3'].map((pk) => stockConflict(writers, pk));
  await harness.seed(...conflicts.map((versions) => versions.remote));
  return { conflicts, records: conflicts.map((versions, index) => conflictRecord(versions, index + 1)) };
}

describe('the deadline', () => {
  it('starts no key with less than the reserve left, reports those keys, and publishes the finished one\'s event', async () => {
    // Prepare: the first key's write takes the invocation below the reserve.
    const harness = await start({ config: { concurrency: 1, deadlineReserveMs: 1_000 } });
    const { conflicts, records } = await threeConflicts(harness);
    let remainingMs = 30_000;
    harness.stack.dynamo.intercept(async (_request, forward) => {
      remainingMs = 900;
      return forward();
    });

    // Act
    const response = await harness.invoke(streamEvent(...records), contextWithRemaining(() => remainingMs));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.dynamodb?.SequenceNumber }, { itemIdentifier: records[2]?.dynamodb?.SequenceNumber }]);
    expect(harness.auditEvents().map((received) => [received['detail-type'], (received.detail.key as { pk: string }).pk])).toEqual([['ConflictResolved', 'STOCK#1']]);
    expect(await harness.item(conflicts[1]!.key)).toEqual(conflicts[1]!.remote);
  });

  it('abandons a DynamoDB call still running at half the reserve, and answers with what finished', async () => {
    // Prepare: STOCK#2's write never answers; 1.5 s left, a reserve of 1 s: calls are abandoned after 1 s.
    const harness = await start({ config: { concurrency: 3, deadlineReserveMs: 1_000 }, sdkMaxAttempts: 1 });
    const { records } = await threeConflicts(harness);
    harness.stack.dynamo.intercept((request, forward) => (JSON.stringify(request.body.Item ?? {}).includes('STOCK#2') ? new Promise(() => undefined) : forward()));
    const endsAt = Date.now() + 1_500;

    // Act
    const response = await harness.invoke(streamEvent(...records), contextWithRemaining(() => endsAt - Date.now()));

    // Assess (without the deadline the invocation would wait for STOCK#2 forever)
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.dynamodb?.SequenceNumber }]);
    expect(harness.auditEvents().map((received) => (received.detail.key as { pk: string }).pk).sort()).toEqual(['STOCK#1', 'STOCK#3']);
  });
});
