import fc from 'fast-check';
import { propertySettings } from '../../test/helpers/properties';
import type { AttributeMap, AttributeValue } from '../dynamodb/attribute-value';
import { itemSizeBytes, MAX_ITEM_BYTES, oversize } from './item-size';

describe('itemSizeBytes', () => {
  it.each([
    ['attribute names and strings in UTF-8 bytes', { pk: { S: 'é' } }, 2 + 2],
    ['numbers by significant digits, one byte per two plus one', { n: { N: '12345' } }, 1 + 4],
    ['numbers without leading or trailing zeros, one more byte when negative', { n: { N: '-0.00120' } }, 1 + 3],
    ['binaries by their decoded bytes', { b: { B: Buffer.from('four').toString('base64') } }, 1 + 4],
    ['one byte per boolean or null', { t: { BOOL: true }, z: { NULL: true } }, 4],
    ['3 bytes per list plus 1 per element', { l: { L: [{ S: 'ab' }, { BOOL: false }] } }, 1 + 3 + (1 + 2) + (1 + 1)],
    ['3 bytes per map plus 1 per entry', { m: { M: { k: { S: 'v' } } } }, 1 + 3 + 1 + (1 + 1)],
    ['the members of sets', { s: { SS: ['a', 'bc'] }, n: { NS: ['1', '22'] } }, 1 + 3 + 1 + 2 + 2],
  ] as const)('counts %s', (_what, item, size) => {
    // Act
    const counted = itemSizeBytes(item as never);

    // Assess
    expect(counted).toBe(size);
  });

  // Sizes DynamoDB Local 3.3.0 counted for these numbers (its stream's SizeBytes).
  it.each([
    ['0', 1],
    ['-0', 1],
    ['1', 2],
    ['100', 2],
    ['2.5', 3],
    ['2.50', 3],
    ['0.5', 2],
    ['-1.5', 4],
    ['10.01', 3],
    ['1234.5', 4],
    ['123.456', 5],
    ['0.0015', 2],
    ['1.5e-3', 2],
    ['1e+21', 2],
    ['1e-7', 2],
    ['-100', 3],
    ['99999999999999999999999999999999999999', 20],
  ])('counts the number %s in %i bytes, as DynamoDB does', (number, size) => {
    // Act
    const counted = itemSizeBytes({ n: { N: number } }) - 1;

    // Assess
    expect(counted).toBe(size);
  });

  it('puts an item with a 400 KB string over the limit', () => {
    // Prepare
    const item = { pk: { S: 'A' }, blob: { S: 'x'.repeat(MAX_ITEM_BYTES) } };

    // Act
    const size = itemSizeBytes(item);

    // Assess
    expect(size).toBeGreaterThan(MAX_ITEM_BYTES);
  });
});

describe('oversize', () => {
  const number = fc
    .tuple(fc.constantFrom('', '-'), fc.stringMatching(/^\d{1,40}$/), fc.option(fc.stringMatching(/^\d{0,20}$/)), fc.option(fc.integer({ min: -130, max: 125 })))
    .map(([sign, whole, fraction, exponent]) => `${sign}${whole}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : `e${exponent}`}`);
  const text = fc.string({ unit: 'binary', maxLength: 20 });
  const { value } = fc.letrec<{ value: AttributeValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      text.map((S) => ({ S })),
      number.map((N) => ({ N })),
      fc.uint8Array({ maxLength: 20 }).map((bytes) => ({ B: Buffer.from(bytes).toString('base64') })),
      fc.boolean().map((BOOL) => ({ BOOL })),
      fc.constant({ NULL: true as const }),
      fc.uniqueArray(text, { minLength: 1, maxLength: 4 }).map((SS) => ({ SS })),
      fc.uniqueArray(number, { minLength: 1, maxLength: 4 }).map((NS) => ({ NS })),
      fc.array(tie('value'), { maxLength: 3 }).map((L) => ({ L })),
      fc.dictionary(text, tie('value'), { maxKeys: 3 }).map((M) => ({ M })),
    ),
  }));
  const item = fc.dictionary(text, value, { minKeys: 1, maxKeys: 5 }) as fc.Arbitrary<AttributeMap>;

  it('gives the exact size of every item over the limit, and nothing for one within it', () => {
    fc.assert(
      fc.property(item, (generated) => {
        const size = itemSizeBytes(generated);
        // A limit just under the size: its bound must not clear the item.
        expect(oversize(generated, size - 1)).toBe(size);
        expect(oversize(generated, size)).toBeUndefined();
      }),
      propertySettings({ numRuns: 500 }),
    );
  });

  it('puts an item with a 400 KB string over DynamoDB\'s limit', () => {
    // Prepare
    const blob = { pk: { S: 'A' }, blob: { S: 'x'.repeat(MAX_ITEM_BYTES) } };

    // Act
    const size = oversize(blob);

    // Assess
    expect(size).toBe(itemSizeBytes(blob));
  });
});
