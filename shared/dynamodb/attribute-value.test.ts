import { MalformedAttributeError } from '../errors';
import { attributeValuesEqual, canonicalJson, parseAttributeMap, parseAttributeValue } from './attribute-value';

describe('parseAttributeValue', () => {
  it('sorts and de-duplicates set members so equal sets are equal bytes', () => {
    expect(parseAttributeValue({ SS: ['b', 'a', 'b'] }, 'tags')).toEqual({ SS: ['a', 'b'] });
  });

  it('converts binary bytes from an SDK client to the base64 wire form', () => {
    expect(parseAttributeValue({ B: new Uint8Array([0, 1]) }, 'blob')).toEqual({ B: 'AAE=' });
  });

  it('ignores type keys holding null beside the real one, as some marshallers write them', () => {
    expect(parseAttributeValue({ S: 'x', N: null, BOOL: null }, 'a')).toEqual({ S: 'x' });
  });

  it.each([
    [{ S: 'x', N: '1' }, 'more than one type key (S, N)'],
    [{}, 'no type key holds a value'],
    [{ X: 'y' }, 'unknown type key "X"'],
    [{ N: 'ten' }, 'N must be a number string'],
    [{ SS: [] }, 'SS must not be empty'],
    [{ NULL: false }, 'NULL must be true'],
    ['plain', 'an attribute value must be an object with one type key'],
  ])('rejects %j with a typed error naming the path', (raw, reason) => {
    expect(() => parseAttributeValue(raw, 'item.a')).toThrow(MalformedAttributeError);
    expect(() => parseAttributeValue(raw, 'item.a')).toThrow(`malformed attribute value at item.a: ${reason}`);
  });

  it('names the nested path of a malformed member', () => {
    expect(() => parseAttributeMap({ m: { M: { l: { L: [{ S: 'ok' }, { N: 'x' }] } } } }, 'NewImage')).toThrow('at NewImage.m.l[1]');
  });
});

describe('attributeValuesEqual', () => {
  it('compares maps regardless of key order', () => {
    expect(attributeValuesEqual({ M: { a: { N: '1' }, b: { S: 'x' } } }, { M: { b: { S: 'x' }, a: { N: '1' } } })).toBe(true);
  });

  it('tells different types apart', () => {
    expect(attributeValuesEqual({ S: '1' }, { N: '1' })).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level', () => {
    expect(canonicalJson({ b: { d: 1, c: 2 }, a: [3] })).toBe('{"a":[3],"b":{"c":2,"d":1}}');
  });
});
