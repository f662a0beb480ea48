import { toPlain, toPlainMap } from './plain';

describe('toPlain', () => {
  it.each([
    [{ S: 'text' }, 'text'],
    [{ N: '42' }, 42],
    [{ N: '-3.25' }, -3.25],
    [{ BOOL: false }, false],
    [{ NULL: true }, null],
    [{ B: 'AAEqQQ==' }, 'AAEqQQ=='],
    [{ SS: ['a', 'b'] }, ['a', 'b']],
    [{ NS: ['1', '2.5'] }, [1, 2.5]],
    [{ BS: ['AA=='] }, ['AA==']],
    [{ L: [{ S: 'x' }, { N: '1' }] }, ['x', 1]],
    [{ M: { b: { N: '2' }, a: { S: 'y' } } }, { a: 'y', b: 2 }],
  ] as const)('converts %j to %j', (value, plain) => {
    // Act
    const converted = toPlain(value as never);

    // Assess
    expect(converted).toEqual(plain);
  });

  it('keeps a number a double cannot hold exactly as its string', () => {
    // Act
    const converted = toPlain({ N: '12345678901234567890' });

    // Assess
    expect(converted).toBe('12345678901234567890');
  });
});

describe('toPlainMap', () => {
  it('converts a key to a plain object', () => {
    // Act
    const plain = toPlainMap({ pk: { S: 'STOCK#1' }, sk: { S: 'STOCK' } });

    // Assess
    expect(plain).toEqual({ pk: 'STOCK#1', sk: 'STOCK' });
  });
});
