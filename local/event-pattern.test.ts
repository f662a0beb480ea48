import { compileEventPattern, matchesEventPattern, type EventPatternError } from './event-pattern';

const matches = (pattern: unknown, event: Record<string, unknown>): boolean => matchesEventPattern(compileEventPattern(JSON.stringify(pattern)), event);

describe('matchesEventPattern', () => {
  it('matches an event whose field equals one of the listed values', () => {
    // Act
    const matched = matches({ source: ['other', 'concord'] }, { source: 'concord' });

    // Assess
    expect(matched).toBe(true);
  });

  it('rejects an event whose field equals none of the listed values', () => {
    // Act
    const matched = matches({ source: ['concord'] }, { source: 'concord.lab' });

    // Assess
    expect(matched).toBe(false);
  });

  it('rejects an event missing a field of the pattern', () => {
    // Act
    const matched = matches({ detail: { entity: ['order'] } }, { detail: {} });

    // Assess
    expect(matched).toBe(false);
  });

  it('matches nested detail fields when every one matches', () => {
    // Act
    const matched = matches({ 'detail-type': ['ConflictResolved'], detail: { key: { pk: ['order#1'] } } }, { 'detail-type': 'ConflictResolved', detail: { key: { pk: 'order#1', sk: 'x' } } });

    // Assess
    expect(matched).toBe(true);
  });

  it('matches an array field when any element matches', () => {
    // Act
    const matched = matches({ resources: ['arn:b'] }, { resources: ['arn:a', 'arn:b'] });

    // Assess
    expect(matched).toBe(true);
  });

  it('compares numbers, booleans and null exactly, without coercion', () => {
    // Act
    const results = [matches({ detail: { n: [5] } }, { detail: { n: 5 } }), matches({ detail: { n: [5] } }, { detail: { n: '5' } }), matches({ detail: { ok: [true], none: [null] } }, { detail: { ok: true, none: null } })];

    // Assess
    expect(results).toEqual([true, false, true]);
  });

  it('matches a string value by prefix', () => {
    // Act
    const results = [matches({ source: [{ prefix: 'concord' }] }, { source: 'concord.resolver' }), matches({ source: [{ prefix: 'concord' }] }, { source: 'con' })];

    // Assess
    expect(results).toEqual([true, false]);
  });
});

describe('compileEventPattern', () => {
  it.each([
    ['anything-but', { source: [{ 'anything-but': 'x' }] }],
    ['numeric', { detail: { n: [{ numeric: ['>', 0] }] } }],
    ['exists', { detail: { n: [{ exists: true }] } }],
    ['suffix', { source: [{ suffix: 'x' }] }],
    ['$or', { $or: [{ source: ['a'] }, { source: ['b'] }] }],
  ])('refuses the %s operator as unsupported', (_name, pattern) => {
    // Act
    const compile = () => compileEventPattern(JSON.stringify(pattern));

    // Assess
    expect(compile).toThrow(expect.objectContaining({ problem: 'unsupported' }) as EventPatternError);
  });

  it.each([
    ['not JSON', '{source'],
    ['not an object', '["concord"]'],
    ['a bare value instead of an array', '{"source":"concord"}'],
    ['an empty array', '{"source":[]}'],
  ])('refuses %s as invalid', (_name, source) => {
    // Act
    const compile = () => compileEventPattern(source);

    // Assess
    expect(compile).toThrow(expect.objectContaining({ problem: 'invalid' }) as EventPatternError);
  });
});
