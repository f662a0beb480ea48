/**
 * The retry budget: Lambda retries a failing record for as long as the stream keeps it,
 * so the resolver quarantines a record still failing for a transient reason once it is
 * older than CONCORD_GIVE_UP_AFTER_SECONDS, and fails (retries) it before that.
 */
import { DynamoFault } from '../../local';
import { harnessPerTest } from '../helpers/resolver-harness';
import { conflictRecord, stockConflict, streamEvent, Writers } from '../helpers/resolver-records';

const start = harnessPerTest();
const BUDGET_SECONDS = 3_000;

/** A stock conflict, seeded, and a resolver clock `ageSeconds` after its record was written. */
async function conflictAged(ageSeconds: number) {
  const versions = stockConflict(new Writers());
  const harness = await start({ config: { giveUpAfterSeconds: BUDGET_SECONDS }, deps: { now: () => versions.arrivedAtMs + ageSeconds * 1000 }, sdkMaxAttempts: 1 });
  await harness.seed(versions.remote);
  return { harness, versions, record: conflictRecord(versions, 1) };
}

describe('a record that keeps failing for a transient reason', () => {
  it('fails, to be retried, while it is younger than the budget', async () => {
    // Prepare
    const { harness, record } = await conflictAged(BUDGET_SECONDS - 1);
    harness.stack.dynamo.faults.failNext({ count: 1, only: ['PutItem'], error: DynamoFault.InternalServerError });

    // Act
    const response = await harness.invoke(streamEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.dynamodb?.SequenceNumber }]);
    expect(harness.quarantined()).toEqual([]);
  });

  it('is quarantined, with its payload and the last error, once older than the budget', async () => {
    // Prepare
    const { harness, record } = await conflictAged(BUDGET_SECONDS);
    harness.stack.dynamo.faults.failNext({ count: 1, only: ['PutItem'], error: DynamoFault.InternalServerError });

    // Act
    const response = await harness.invoke(streamEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(harness.quarantined()).toEqual([expect.objectContaining({ reason: { error: 'RetryBudgetExhaustedError', message: `still failing 3000 s after the record was written (budget 3000 s): Internal server error` }, record })]);
    expect(harness.auditEvents().map((received) => received['detail-type'])).toEqual(['RecordQuarantined']);
  });

  it('is quarantined when its audit event keeps failing past the budget, its item already resolved', async () => {
    // Prepare
    const { harness, versions, record } = await conflictAged(BUDGET_SECONDS + 60);
    harness.stack.eventBridge.faults.failNext({ count: harness.config.maxPublishAttempts, error: 'InternalFailure' });

    // Act
    const response = await harness.invoke(streamEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(harness.quarantined().map((message) => message.reason.error)).toEqual(['RetryBudgetExhaustedError']);
    expect(harness.auditEvents().map((received) => received['detail-type'])).toEqual(['RecordQuarantined']);
    expect((await harness.item(versions.key))?.onHand).toEqual({ N: '9' });
  });
});
