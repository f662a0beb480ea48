/**
 * When the hook for quarantined conflicts runs (shared/resolver/conflict-quarantine-hook.ts):
 * for a conflict record once the queue has it, with its quarantine id; not for other
 * records. What it writes is in holds.test.ts.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { onConflictQuarantined } from '../../shared/resolver/conflict-quarantine-hook';
import { DynamoFault } from '../../local';
import { harnessPerTest } from '../helpers/resolver-harness';
import { conflictRecord, stockConflict, streamEvent, Writers } from '../helpers/resolver-records';

jest.mock('../../shared/resolver/conflict-quarantine-hook', () => ({ onConflictQuarantined: jest.fn(async () => undefined) }));

const hook = jest.mocked(onConflictQuarantined);
const start = harnessPerTest();

afterEach(() => hook.mockClear());

describe('onConflictQuarantined', () => {
  it('is called for a quarantined conflict, after the queue took it, with the record and its quarantine id', async () => {
    // Prepare
    const harness = await start();
    const versions = stockConflict(new Writers());
    await harness.seed(versions.remote);
    harness.stack.dynamo.faults.failNext({ count: 1, only: ['PutItem'], error: DynamoFault.Validation });
    const record = conflictRecord(versions, 1);
    let queuedBeforeHook = 0;
    hook.mockImplementationOnce(async () => {
      queuedBeforeHook = harness.quarantined().length;
    });

    // Act
    await harness.invoke(streamEvent(record));

    // Assess
    expect(hook).toHaveBeenCalledTimes(1);
    const [quarantined, id] = hook.mock.calls[0] ?? [];
    const quarantinedEvent = harness.auditEvents().find((event) => event['detail-type'] === 'RecordQuarantined');
    expect([quarantined?.raw, id, queuedBeforeHook]).toEqual([record, quarantinedEvent?.detail.conflictId, 1]);
  });

  it('is not called for a record that is not a conflict', async () => {
    // Prepare
    const harness = await start();
    const record = { ...conflictRecord(stockConflict(new Writers()), 1), eventName: 'UPSERT' } as unknown as DynamoDBRecord;

    // Act
    await harness.invoke(streamEvent(record));

    // Assess
    expect(harness.quarantined()).toHaveLength(1);
    expect(hook).not.toHaveBeenCalled();
  });
});
