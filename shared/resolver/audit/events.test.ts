import exampleRules from '../../../rules/example';
import { defineRules } from '../../rules/define-rules';
import { attributeDetails, AuditEventType, compareAttributes, escalationDetails, observationId, REDACTED } from './events';

const hiddenValues = defineRules({ entities: {}, audit: { includeValues: false } });

describe('attributeDetails', () => {
  const sides = {
    local: { email: { S: 'a@example.com' }, lastLoginAt: { N: '1' } },
    remote: { email: { S: 'b@example.com' }, lastLoginAt: { N: '2' } },
    merged: { email: { S: 'b@example.com' }, lastLoginAt: { N: '2' } },
  };
  const reports = { email: { rule: 'lww', outcome: 'remote' }, lastLoginAt: { rule: 'max', outcome: 'remote' } } as const;

  it('shows each side value when the rules allow values', () => {
    // Act
    const details = attributeDetails(exampleRules, reports, sides);

    // Assess
    expect(details.lastLoginAt).toEqual({ rule: 'max', outcome: 'remote', values: { local: 1, remote: 2, merged: 2 } });
  });

  it('replaces the values of redacted attributes with the marker', () => {
    // Act
    const details = attributeDetails(exampleRules, reports, sides);

    // Assess
    expect(details.email?.values).toEqual({ local: REDACTED, remote: REDACTED, merged: REDACTED });
  });

  it('shows rule and outcome only when the rules hide values', () => {
    // Act
    const details = attributeDetails(hiddenValues, reports, sides);

    // Assess
    expect(details.lastLoginAt).toEqual({ rule: 'max', outcome: 'remote' });
  });

  it('omits a side the attribute is absent from', () => {
    // Act
    const details = attributeDetails(exampleRules, { city: { rule: 'lww', outcome: 'local' } }, { local: { city: { S: 'Oslo' } }, remote: {}, merged: { city: { S: 'Oslo' } } });

    // Assess
    expect(details.city?.values).toEqual({ local: 'Oslo', merged: 'Oslo' });
  });
});

describe('escalationDetails', () => {
  const escalations = [{ reason: 'manual', subject: 'notes' }] as const;
  const siblings = { notes: [{ dot: 'd1', value: { S: 'ring twice' } }, { dot: 'd2' }] };

  it('adds the sibling values when the rules allow values', () => {
    // Act
    const details = escalationDetails(exampleRules, escalations, siblings);

    // Assess
    expect(details).toEqual([{ reason: 'manual', subject: 'notes', siblings: [{ dot: 'd1', value: 'ring twice' }, { dot: 'd2' }] }]);
  });

  it('leaves the sibling values out when the rules hide values', () => {
    // Act
    const details = escalationDetails(hiddenValues, escalations, siblings);

    // Assess
    expect(details).toEqual([{ reason: 'manual', subject: 'notes' }]);
  });
});

describe('compareAttributes', () => {
  it('reports each attribute rule and where the resulting value came from', () => {
    // Prepare
    const user = exampleRules.entities.find((entity) => entity.name === 'user') ?? exampleRules.fallback;

    // Act
    const reports = compareAttributes(user, {
      local: { loginCount: { N: '3' }, email: { S: 'a' }, city: { S: 'Oslo' } },
      remote: { loginCount: { N: '4' }, email: { S: 'a' } },
      merged: { loginCount: { N: '4' }, email: { S: 'a' }, nickname: { S: 'Al' } },
    });

    // Assess
    expect(reports).toEqual({
      city: { rule: 'lww', outcome: 'remote' },
      email: { rule: 'lww', outcome: 'equal' },
      loginCount: { rule: 'counter', outcome: 'remote' },
      nickname: { rule: 'lww', outcome: 'merged' },
    });
  });
});

describe('observationId', () => {
  const key = { pk: { S: 'USER#1' }, sk: { S: 'PROFILE' } };

  it('is the same for the same observation', () => {
    // Act
    const ids = [observationId(AuditEventType.HardDeleteObserved, 't', key, { a: '1' }), observationId(AuditEventType.HardDeleteObserved, 't', key, { a: '1' })];

    // Assess
    expect(ids[0]).toBe(ids[1]);
  });

  it('differs by event type, table, key and what was observed', () => {
    // Act
    const ids = new Set([
      observationId(AuditEventType.HardDeleteObserved, 't', key, { a: '1' }),
      observationId(AuditEventType.UnversionedOverwrite, 't', key, { a: '1' }),
      observationId(AuditEventType.HardDeleteObserved, 'u', key, { a: '1' }),
      observationId(AuditEventType.HardDeleteObserved, 't', { pk: { S: 'USER#2' } }, { a: '1' }),
      observationId(AuditEventType.HardDeleteObserved, 't', key, { a: '2' }),
    ]);

    // Assess
    expect(ids.size).toBe(5);
  });
});
