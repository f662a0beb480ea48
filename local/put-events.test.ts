import { putEventsEntrySize, validateEntry } from './put-events';

describe('putEventsEntrySize', () => {
  it('counts the UTF-8 bytes of Source, DetailType, Detail and each resource', () => {
    // Act
    const size = putEventsEntrySize({ Source: 'concord', DetailType: 'Résolu', Detail: '{"a":"✓"}', Resources: ['r1', 'r22'] });

    // Assess
    expect(size).toBe(7 + 7 + 11 + 2 + 3);
  });

  it('counts 14 bytes for a Time', () => {
    // Act
    const size = putEventsEntrySize({ Time: 1_700_000_000, Source: 's', DetailType: 'd', Detail: '{}' });

    // Assess
    expect(size).toBe(14 + 1 + 1 + 2);
  });
});

describe('validateEntry', () => {
  it.each(['Source', 'DetailType', 'Detail'] as const)('refuses an entry without %s as InvalidArgument', (field) => {
    // Prepare
    const entry = { Source: 'concord', DetailType: 'X', Detail: '{}', [field]: undefined };

    // Act
    const error = validateEntry(entry);

    // Assess
    expect(error).toEqual({ code: 'InvalidArgument', message: expect.stringContaining(field) });
  });

  it('accepts a DetailType of 128 characters', () => {
    // Act
    const error = validateEntry({ Source: 'concord', DetailType: 'D'.repeat(128), Detail: '{}' });

    // Assess
    expect(error).toBeUndefined();
  });

  it.each(['[]', '"text"', 'null', '{oops'])('refuses the Detail %s as MalformedDetail', (detail) => {
    // Act
    const error = validateEntry({ Source: 'concord', DetailType: 'X', Detail: detail });

    // Assess
    expect(error?.code).toBe('MalformedDetail');
  });
});
