/**
 * Audit events at EventBridge's limits: what a conflict event carries for a later
 * re-merge, an event too large even without its values (a pointer event), and an event
 * EventBridge refuses as invalid (the record is quarantined, not retried forever).
 */
import { formatClock } from '../../shared/clock/hlc';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import { MAX_ENTRY_BYTES } from '../../shared/resolver';
import { strictRules } from '../helpers/resolver-rules';
import { harnessPerTest } from '../helpers/resolver-harness';
import { conflictRecord, incrementStock, itemKey, LOCAL_REGION, REMOTE_REGION, stockConflict, streamEvent, T0, Writers, type ConcurrentVersions } from '../helpers/resolver-records';

const start = harnessPerTest();

/** A stock conflict whose versions have seen `regions` more epochs (one per made-up region). */
function wideConflict(regions: number): ConcurrentVersions {
  const writers = new Writers();
  const key = itemKey('STOCK#WIDE', 'STOCK');
  const base = writers.write(LOCAL_REGION, undefined, key, incrementStock(10));
  const vv = ((base._cc as { M: AttributeMap }).M.vv as { M: AttributeMap }).M;
  for (let i = 0; i < regions; i += 1) vv[`region-${i}~00000000`] = { S: formatClock({ wallMs: T0 - 1_000, counter: 0 }) };
  const local = writers.write(LOCAL_REGION, base, key, incrementStock(2));
  const remote = writers.write(REMOTE_REGION, base, key, incrementStock(-3));
  return { key, base, local, remote, arrivedAtMs: writers.now + 500 };
}

function withoutKeyAndEnvelope(image: AttributeMap): AttributeMap {
  const { pk: _pk, sk: _sk, _cc, ...attributes } = image;
  return attributes;
}

describe('a conflict event', () => {
  it('carries both input versions: the envelopes as the images hold them, and their values', async () => {
    // Prepare
    const harness = await start();
    const versions = stockConflict(new Writers());
    await harness.seed(versions.remote);

    // Act
    await harness.invoke(streamEvent(conflictRecord(versions, 1)));

    // Assess
    expect(harness.auditEvents()[0]?.detail.inputs).toEqual({
      old: { envelope: versions.local._cc, attributes: withoutKeyAndEnvelope(versions.local) },
      new: { envelope: versions.remote._cc, attributes: withoutKeyAndEnvelope(versions.remote) },
    });
  });

  it('carries only the envelopes when the rules allow no values', async () => {
    // Prepare
    const harness = await start({ rules: strictRules });
    const versions = stockConflict(new Writers(strictRules));
    await harness.seed(versions.remote);

    // Act
    await harness.invoke(streamEvent(conflictRecord(versions, 1)));

    // Assess
    expect(harness.auditEvents()[0]?.detail.inputs).toEqual({ old: { envelope: versions.local._cc }, new: { envelope: versions.remote._cc } });
  });

  it('is published as a pointer event when even its causal contexts pass 256 KB, and the record succeeds', async () => {
    // Prepare: 3,000 epochs in the contexts; the local, remote and merged summaries alone pass the limit.
    const harness = await start();
    const versions = wideConflict(3_000);
    await harness.seed(versions.remote);
    const record = conflictRecord(versions, 1);

    // Act
    const response = await harness.invoke(streamEvent(record));

    // Assess
    const [event] = harness.auditEvents();
    expect(response.batchItemFailures).toEqual([]);
    expect(event?.['detail-type']).toBe('ConflictResolved');
    expect(event?.detail).toEqual({
      conflictId: expect.stringMatching(/^[0-9a-f]{32}$/),
      table: 'concord-dev',
      key: { pk: 'STOCK#WIDE', sk: 'STOCK' },
      region: LOCAL_REGION,
      entity: 'stock',
      outcome: 'resolved',
      record: { eventId: record.eventID, sequenceNumber: record.dynamodb?.SequenceNumber },
      valuesDropped: true,
      envelopesDropped: true,
      attributesDropped: true,
      pointer: true,
    });
    expect(JSON.stringify(event?.detail).length).toBeLessThan(MAX_ENTRY_BYTES);
    expect((await harness.item(versions.key))?.onHand).toEqual({ N: '9' });
  });
});

describe('an audit event EventBridge refuses as invalid', () => {
  it('quarantines its record at once instead of retrying it', async () => {
    // Prepare
    const harness = await start();
    const versions = stockConflict(new Writers());
    await harness.seed(versions.remote);
    harness.stack.eventBridge.faults.failNext({ count: 1, error: 'InvalidArgument' });
    const record = conflictRecord(versions, 1);

    // Act
    const response = await harness.invoke(streamEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(harness.quarantined().map((message) => message.reason)).toEqual([{ error: 'InvalidRequestError', message: 'EventBridge refused PutEvents as invalid (InvalidArgument): audit event not published after 1 attempt(s): InvalidArgument: Parameter Detail is not valid.' }]);
    expect(harness.auditEvents().map((received) => received['detail-type'])).toEqual(['RecordQuarantined']);
    expect(harness.stack.eventBridge.calls.count('PutEvents')).toBe(2);
  });
});
