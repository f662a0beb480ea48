import { Verdict } from '../detect/classify';
import { EnvelopeError, MalformedAttributeError, MalformedRecordError } from '../errors';
import { conflictRecord, itemKey, stockConflict as stockVersions, streamEvent, streamRecord, T0, Writers } from '../../test/helpers/resolver-records';
import { groupByKey, readBatch } from './stream-record';

const STOCK = itemKey('STOCK#1', 'STOCK');

function stockConflict(sequence: number) {
  return conflictRecord(stockVersions(new Writers()), sequence);
}

describe('readBatch', () => {
  it('classifies each record and keeps its key', () => {
    // Act
    const [record] = readBatch(streamEvent(stockConflict(1)), { envelopeAttribute: '_cc' });

    // Assess
    expect(record?.verdict).toBe(Verdict.Conflict);
    expect(record?.problem).toBeUndefined();
    expect(record?.key).toEqual(STOCK);
  });

  it('exposes the sequence number, event id and creation time in milliseconds', () => {
    // Prepare
    const raw = streamRecord({ eventName: 'INSERT', key: STOCK, newImage: STOCK, sequence: 7, createdAtMs: T0 + 1_999 });

    // Act
    const [record] = readBatch(streamEvent(raw), { envelopeAttribute: '_cc' });

    // Assess
    expect(record?.sequenceNumber).toBe(raw.dynamodb?.SequenceNumber);
    expect(record?.eventId).toBe(raw.eventID);
    expect(record?.createdAtMs).toBe(T0 + 1_000);
  });

  it('has no creation time when the record carries a placeholder instead of a number', () => {
    // Prepare
    const raw = streamRecord({ eventName: 'INSERT', key: STOCK, newImage: STOCK, sequence: 1, createdAtMs: T0 });
    (raw.dynamodb as Record<string, unknown>).ApproximateCreationDateTime = '<approximate-creation-datetime>';

    // Act
    const [record] = readBatch(streamEvent(raw), { envelopeAttribute: '_cc' });

    // Assess
    expect(record?.createdAtMs).toBeUndefined();
  });

  it('parses the images only when asked, and validates them then', () => {
    // Prepare
    const raw = stockConflict(1);
    (raw.dynamodb?.NewImage as Record<string, unknown>).broken = { N: 'many' };

    // Act
    const [record] = readBatch(streamEvent(raw), { envelopeAttribute: '_cc' });

    // Assess
    expect(record?.problem).toBeUndefined();
    expect(record?.oldImage?.pk).toEqual({ S: 'STOCK#1' });
    expect(() => record?.newImage).toThrow(MalformedAttributeError);
  });

  it('classifies a record only when its verdict or problem is first asked for', () => {
    // Prepare
    const raw = stockConflict(1);
    const [record] = readBatch(streamEvent(raw), { envelopeAttribute: '_cc' });
    // Changed after reading: only classification reads the envelopes.
    const envelope = (raw.dynamodb?.OldImage as Record<string, { M: Record<string, unknown> }>)._cc as { M: Record<string, unknown> };
    envelope.M.vv = { M: { 'us-east-1': { S: 'yesterday' } } };

    // Act
    const problem = record?.problem;

    // Assess
    expect(problem).toBeInstanceOf(EnvelopeError);
    expect(record?.verdict).toBeUndefined();
  });

  it('keeps a record without a sequence number with its problem', () => {
    // Prepare
    const raw = stockConflict(1);
    delete raw.dynamodb?.SequenceNumber;

    // Act
    const [record] = readBatch(streamEvent(raw), { envelopeAttribute: '_cc' });

    // Assess
    expect(record?.problem).toBeInstanceOf(MalformedRecordError);
    expect(record?.problem?.message).toContain('no SequenceNumber');
  });

  it('keeps a record with malformed keys with its problem, in a group of its own', () => {
    // Prepare
    const raw = stockConflict(1);
    (raw.dynamodb as Record<string, unknown>).Keys = { pk: { X: '1' } };

    // Act
    const [record] = readBatch(streamEvent(raw, stockConflict(2)), { envelopeAttribute: '_cc' });

    // Assess
    expect(record?.problem).toBeInstanceOf(MalformedAttributeError);
    expect(record?.key).toBeUndefined();
    expect(record?.group).toBe('#record:0');
  });

  it('keeps a record whose envelope is malformed with its problem and its key', () => {
    // Prepare
    const raw = stockConflict(1);
    const envelope = (raw.dynamodb?.OldImage as Record<string, { M: Record<string, unknown> }>)._cc as { M: Record<string, unknown> };
    envelope.M.vv = { M: { 'us-east-1': { S: 'yesterday' } } };

    // Act
    const [record] = readBatch(streamEvent(raw), { envelopeAttribute: '_cc' });

    // Assess
    expect(record?.problem).toBeInstanceOf(EnvelopeError);
    expect(record?.key).toEqual(STOCK);
  });
});

describe('groupByKey', () => {
  it('groups records of one key in stream order, keys in order of first appearance', () => {
    // Prepare
    const cart = streamRecord({ eventName: 'INSERT', key: itemKey('CART#1', 'CART'), newImage: itemKey('CART#1', 'CART'), sequence: 2, createdAtMs: T0 });
    const records = readBatch(streamEvent(stockConflict(1), cart, stockConflict(3)), { envelopeAttribute: '_cc' });

    // Act
    const groups = groupByKey(records);

    // Assess
    expect(groups.map((group) => group.map((record) => record.index))).toEqual([[0, 2], [1]]);
  });

  it('groups by the key whatever the order of its attributes', () => {
    // Prepare
    const reordered = stockConflict(2);
    (reordered.dynamodb as Record<string, unknown>).Keys = { sk: { S: 'STOCK' }, pk: { S: 'STOCK#1' } };
    const records = readBatch(streamEvent(stockConflict(1), reordered), { envelopeAttribute: '_cc' });

    // Act
    const groups = groupByKey(records);

    // Assess
    expect(groups.map((group) => group.map((record) => record.index))).toEqual([[0, 1]]);
  });
});
