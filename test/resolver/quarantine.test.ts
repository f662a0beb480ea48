/**
 * Records that can never succeed, one kind each: to the quarantine queue with their
 * whole payload, audited, and counted as processed; a payload too large for a queue
 * message kept in the payload bucket; and a queue that refuses them.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import exampleRules from '../../rules/example';
import { decodeItem } from '../../shared/item/state';
import { visibleOf } from '../../shared/merge/merge';
import { defineRules } from '../../shared/rules/define-rules';
import type { RuleSet } from '../../shared/rules/types';
import { DynamoFault } from '../../local';
import { harnessPerTest, type ResolverHarness } from '../helpers/resolver-harness';
import { concurrentWrites, conflictRecord, itemKey, LOCAL_REGION, stockConflict, streamEvent, streamRecord, Writers } from '../helpers/resolver-records';

const start = harnessPerTest();

/** A conflict of two 205 KB edits to one profile: the merged item would pass 400 KB, and the record 256 KiB. */
async function twoLargeEdits(harness: ResolverHarness) {
  const writers = new Writers();
  const text = (fill: string) => ({ S: fill.repeat(205 * 1024) });
  const versions = concurrentWrites(writers, itemKey('PROFILE#1', 'PROFILE'), { type: 'put', item: { name: { S: 'Ada' } } }, { type: 'update', set: { bio: text('a') } }, { type: 'update', set: { cv: text('b') } });
  await harness.seed(versions.remote);
  return { versions, record: conflictRecord(versions, 1) };
}

/** Invokes with one record; asserts it was processed (not failed); returns the queue message and the audit event. */
async function quarantineOf(harness: ResolverHarness, record: DynamoDBRecord) {
  const response = await harness.invoke(streamEvent(record));
  expect(response.batchItemFailures).toEqual([]);
  return { messages: harness.quarantined(), events: harness.auditEvents() };
}

function expectQuarantined(result: Awaited<ReturnType<typeof quarantineOf>>, record: DynamoDBRecord, error: string): void {
  expect(result.messages).toEqual([{ reason: { error, message: expect.any(String) }, table: 'concord-dev', region: LOCAL_REGION, quarantinedAt: expect.any(String), record }]);
  expect(result.events.map((received) => [received['detail-type'], received.detail.outcome, (received.detail.reason as { error: string }).error])).toEqual([['RecordQuarantined', 'quarantined', error]]);
}

describe('quarantine', () => {
  it('takes a record with an unknown event name (MalformedRecordError)', async () => {
    // Prepare
    const harness = await start();
    const record = { ...conflictRecord(stockConflict(new Writers()), 1), eventName: 'UPSERT' } as unknown as DynamoDBRecord;

    // Act
    const result = await quarantineOf(harness, record);

    // Assess
    expectQuarantined(result, record, 'MalformedRecordError');
  });

  it('takes a MODIFY without an old image, as a NEW_IMAGE stream delivers it (MalformedRecordError)', async () => {
    // Prepare
    const harness = await start();
    const record = conflictRecord(stockConflict(new Writers()), 1);
    delete record.dynamodb?.OldImage;

    // Act
    const result = await quarantineOf(harness, record);

    // Assess
    expectQuarantined(result, record, 'MalformedRecordError');
  });

  it('takes a record without a sequence number, which it cannot report as failed (MalformedRecordError)', async () => {
    // Prepare
    const harness = await start();
    const record = conflictRecord(stockConflict(new Writers()), 1);
    delete record.dynamodb?.SequenceNumber;

    // Act
    const result = await quarantineOf(harness, record);

    // Assess
    expectQuarantined(result, record, 'MalformedRecordError');
  });

  it('takes a conflict whose image holds a malformed attribute value (MalformedAttributeError)', async () => {
    // Prepare
    const harness = await start();
    const record = conflictRecord(stockConflict(new Writers()), 1);
    (record.dynamodb?.NewImage as Record<string, unknown>).location = { N: 'aisle 4' };

    // Act
    const result = await quarantineOf(harness, record);

    // Assess
    expectQuarantined(result, record, 'MalformedAttributeError');
    expect(result.messages[0]?.reason.message).toContain('NewImage.location');
  });

  it('takes a conflict whose envelope is malformed beyond its version vector (EnvelopeError)', async () => {
    // Prepare
    const harness = await start();
    const record = conflictRecord(stockConflict(new Writers()), 1);
    ((record.dynamodb?.OldImage as Record<string, { M: Record<string, unknown> }>)._cc as { M: Record<string, unknown> }).M.ex = { M: { yesterday: { BOOL: true } } };

    // Act
    const result = await quarantineOf(harness, record);

    // Assess
    expectQuarantined(result, record, 'EnvelopeError');
  });

  it('takes a conflict whose custom rule throws (RuleApplicationError)', async () => {
    // Prepare
    const rules: RuleSet = defineRules({
      entities: {
        widget: {
          match: { prefix: 'WIDGET#' },
          attributes: {
            size: {
              kind: 'custom',
              merge: () => {
                throw new Error('sizes do not merge');
              },
            },
          },
        },
      },
    });
    const harness = await start({ rules });
    const writers = new Writers(rules);
    const set = (size: string) => ({ type: 'update', set: { size: { S: size } } }) as const;
    const record = conflictRecord(concurrentWrites(writers, itemKey('WIDGET#1', 'WIDGET'), set('S'), set('M'), set('L')), 1);

    // Act
    const result = await quarantineOf(harness, record);

    // Assess
    expectQuarantined(result, record, 'RuleApplicationError');
    expect(result.messages[0]?.reason.message).toContain('sizes do not merge');
  });

  it('takes a conflict whose merged item would pass 400 KB (ItemTooLargeError)', async () => {
    // Prepare
    const harness = await start();
    const { versions, record } = await twoLargeEdits(harness);

    // Act
    const result = await quarantineOf(harness, record);

    // Assess
    expect(result.messages.map((message) => message.reason.error)).toEqual(['ItemTooLargeError']);
    expect(result.events.map((received) => (received.detail.reason as { error: string }).error)).toEqual(['ItemTooLargeError']);
    // The item keeps Global Tables' values, with a hold for the writes it lacks (holds.test.ts).
    const item = await harness.item(versions.key);
    expect({ values: visibleOf(item ?? {}, exampleRules), held: decodeItem(item ?? {}, exampleRules.table).holds.size > 0 }).toEqual({ values: visibleOf(versions.remote, exampleRules), held: true });
  });

  it('keeps a record too large for a queue message in the payload bucket, the message pointing at it', async () => {
    // Prepare: both images of the record hold 205 KB each, over the queue's 256 KiB.
    const harness = await start();
    const { record } = await twoLargeEdits(harness);

    // Act
    const { messages, events } = await quarantineOf(harness, record);

    // Assess
    const [message] = messages;
    const { OldImage: _old, NewImage: _new, ...withoutImages } = record.dynamodb ?? {};
    expect(message).toMatchObject({ imagesOmitted: true, record: { ...record, dynamodb: withoutImages }, payload: { s3BucketName: 'concord-payloads-dev', s3Key: expect.stringMatching(/^quarantine\/concord-dev\/[0-9a-f]{32}\.json$/) } });
    expect(harness.payloads().get(message?.payload?.s3Key as string)).toEqual(record);
    expect((events[0]?.detail.reason as { payload: unknown }).payload).toEqual(message?.payload);
  });

  it('takes a conflict whose write-back DynamoDB refuses as invalid, at once (InvalidRequestError)', async () => {
    // Prepare: the engine's answer to an item dynalite accepts and Amazon's engine does not (an empty map key).
    const harness = await start();
    const versions = stockConflict(new Writers());
    await harness.seed(versions.remote);
    harness.stack.dynamo.faults.failNext({ count: 1, only: ['PutItem'], error: DynamoFault.Validation });
    const record = conflictRecord(versions, 1);

    // Act
    const result = await quarantineOf(harness, record);

    // Assess
    expectQuarantined(result, record, 'InvalidRequestError');
    expect(result.messages[0]?.reason.message).toBe('DynamoDB refused PutItem as invalid (ValidationException): Empty attribute name');
    // Not retried: the one other put is the hold (holds.test.ts).
    expect(harness.stack.dynamo.calls.count('PutItem')).toBe(2);
  });

  it('takes an unversioned overwrite whose values the rules refuse (InvalidWriteError)', async () => {
    // Prepare
    const harness = await start();
    const writers = new Writers();
    const key = itemKey('USER#1', 'PROFILE');
    const versioned = writers.write(LOCAL_REGION, undefined, key, { type: 'update', increment: { loginCount: 3 } });
    const overwrite = { ...key, loginCount: { S: 'three' } };
    await harness.seed(overwrite);
    const record = streamRecord({ eventName: 'MODIFY', key, oldImage: versioned, newImage: overwrite, sequence: 1, createdAtMs: writers.now });

    // Act
    const result = await quarantineOf(harness, record);

    // Assess
    expectQuarantined(result, record, 'InvalidWriteError');
    expect(await harness.item(key)).toEqual(overwrite);
  });

  it('fails the record, and publishes nothing, when the queue refuses it', async () => {
    // Prepare
    const harness = await start({ config: (stack) => ({ quarantineQueueUrl: stack.sqs.queueUrl('no-such-queue') }) });
    const record = { ...conflictRecord(stockConflict(new Writers()), 1), eventName: 'UPSERT' } as unknown as DynamoDBRecord;

    // Act
    const response = await harness.invoke(streamEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.dynamodb?.SequenceNumber }]);
    expect(harness.auditEvents()).toEqual([]);
  });

  it('fails the whole batch when a record it cannot quarantine has no sequence number to report', async () => {
    // Prepare
    const harness = await start({ config: (stack) => ({ quarantineQueueUrl: stack.sqs.queueUrl('no-such-queue') }) });
    const record = conflictRecord(stockConflict(new Writers()), 1);
    delete record.dynamodb?.SequenceNumber;

    // Act
    const invocation = harness.invoke(streamEvent(record));

    // Assess
    await expect(invocation).rejects.toThrow(expect.objectContaining({ name: 'UnreportableFailureError', eventId: record.eventID }));
  });
});
