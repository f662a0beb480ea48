import { entrySize, toEntry } from './entry';
import { AuditEventType, type AuditEvent } from './events';

const OPTIONS = { bus: 'concord-audit-test', source: 'concord', time: new Date(1_732_851_200_000) };

function eventWithValues(valueBytes: number, attributeCount = 1): AuditEvent {
  const attributes = Object.fromEntries(
    Array.from({ length: attributeCount }, (_, i) => [`attribute${i}`, { rule: 'lww', outcome: 'remote', values: { local: 'l'.repeat(valueBytes), remote: 'r', merged: 'r' } }]),
  );
  return {
    type: AuditEventType.ConflictEscalated,
    detail: {
      conflictId: 'c0ffee',
      table: 'concord-test',
      key: { pk: 'ORDER#1', sk: 'ORDER' },
      region: 'us-east-1',
      outcome: 'escalated',
      attributes: attributes as never,
      escalations: [{ reason: 'manual', subject: 'attribute0', siblings: [{ dot: 'd', value: 'v'.repeat(valueBytes) }] }],
      record: { eventId: 'e', sequenceNumber: '1' },
    },
  };
}

describe('toEntry', () => {
  it('builds the PutEvents entry of an event', () => {
    // Prepare
    const event = eventWithValues(10);

    // Act
    const { entry } = toEntry(event, OPTIONS);

    // Assess
    expect(entry).toEqual({ EventBusName: 'concord-audit-test', Source: 'concord', DetailType: 'ConflictEscalated', Detail: JSON.stringify(event.detail), Time: OPTIONS.time });
  });

  it('counts the size as EventBridge does: source, detail type, detail and 14 bytes of time', () => {
    // Act
    const { entry, sizeBytes } = toEntry(eventWithValues(10), OPTIONS);

    // Assess
    expect(sizeBytes).toBe(14 + 'concord'.length + 'ConflictEscalated'.length + Buffer.byteLength(entry.Detail as string));
    expect(entrySize(entry)).toBe(sizeBytes);
  });

  it('leaves an event that fits untouched', () => {
    // Act
    const detail = JSON.parse(toEntry(eventWithValues(10), OPTIONS).entry.Detail as string);

    // Assess
    expect(detail.valuesDropped).toBeUndefined();
    expect(detail.attributes.attribute0.values.local).toBe('l'.repeat(10));
  });

  it('drops the values of an oversized event first, and says so', () => {
    // Act
    const { entry, sizeBytes } = toEntry(eventWithValues(2_000), { ...OPTIONS, maxBytes: 1_500 });

    // Assess
    const detail = JSON.parse(entry.Detail as string);
    expect(sizeBytes).toBeLessThanOrEqual(1_500);
    expect(detail.valuesDropped).toBe(true);
    expect(detail.attributes.attribute0).toEqual({ rule: 'lww', outcome: 'remote' });
    expect(detail.escalations).toEqual([{ reason: 'manual', subject: 'attribute0' }]);
    expect(detail.attributesDropped).toBeUndefined();
  });

  it('drops the per-attribute lines when the values were not enough, and says so', () => {
    // Act
    const { entry, sizeBytes } = toEntry(eventWithValues(10, 200), { ...OPTIONS, maxBytes: 1_500 });

    // Assess
    const detail = JSON.parse(entry.Detail as string);
    expect(sizeBytes).toBeLessThanOrEqual(1_500);
    expect(detail).toMatchObject({ valuesDropped: true, attributesDropped: true, conflictId: 'c0ffee', key: { pk: 'ORDER#1', sk: 'ORDER' } });
    expect(detail.attributes).toBeUndefined();
  });

  it('drops the inputs\' attributes with the values, then their envelopes, and says so', () => {
    // Prepare
    const envelope = { M: { vv: { M: { 'us-east-1': { S: 'c'.repeat(800) } } } } };
    const event = eventWithValues(10);
    const withInputs: AuditEvent = { ...event, detail: { ...event.detail, inputs: { old: { envelope, attributes: { note: { S: 'n'.repeat(300) } } }, new: { envelope, attributes: {} } } } };

    // Act
    const valuesOnly = JSON.parse(toEntry(withInputs, { ...OPTIONS, maxBytes: 2_400 }).entry.Detail as string);
    const envelopesToo = JSON.parse(toEntry(withInputs, { ...OPTIONS, maxBytes: 1_500 }).entry.Detail as string);

    // Assess
    expect(valuesOnly).toMatchObject({ valuesDropped: true, inputs: { old: { envelope }, new: { envelope } } });
    expect(valuesOnly.inputs.old.attributes).toBeUndefined();
    expect(envelopesToo).toMatchObject({ valuesDropped: true, envelopesDropped: true });
    expect(envelopesToo.inputs).toBeUndefined();
    expect(envelopesToo.attributes).toBeDefined();
  });

  it('keeps only the ids of an event that still does not fit: a pointer event, saying what it dropped', () => {
    // Prepare: a causal context too wide for the limit.
    const vv = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`region-${i}`, `1732851200000.00000.region-${i}`]));
    const event = eventWithValues(10);
    const wide: AuditEvent = { ...event, detail: { ...event.detail, local: { fl: {}, vv, hlc: '', by: 'region-0' }, remote: { fl: {}, vv, hlc: '', by: 'region-1' }, merged: { fl: {}, vv, hlc: '' } } };

    // Act
    const { entry, sizeBytes } = toEntry(wide, { ...OPTIONS, maxBytes: 1_500 });

    // Assess
    expect(sizeBytes).toBeLessThanOrEqual(1_500);
    expect(JSON.parse(entry.Detail as string)).toEqual({
      conflictId: 'c0ffee',
      table: 'concord-test',
      key: { pk: 'ORDER#1', sk: 'ORDER' },
      region: 'us-east-1',
      outcome: 'escalated',
      record: { eventId: 'e', sequenceNumber: '1' },
      valuesDropped: true,
      attributesDropped: true,
      pointer: true,
    });
  });

  it('fits a 300 KB value under EventBridge limit of 256 KB', () => {
    // Act
    const { sizeBytes } = toEntry(eventWithValues(300 * 1024), OPTIONS);

    // Assess
    expect(sizeBytes).toBeLessThanOrEqual(256 * 1024);
  });
});
