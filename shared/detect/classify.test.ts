import type { DynamoDBRecord } from 'aws-lambda';
import exampleRules from '../../rules/example';
import { EnvelopeError, MalformedAttributeError, MalformedRecordError } from '../errors';
import { classify, Verdict } from './classify';
import { streamEventFixtures } from '../../test/helpers/fixtures';
import { EU, US, Writers, av, keyOf } from '../../test/helpers/items';
import type { AttributeMap } from '../dynamodb/attribute-value';

function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', oldImage?: AttributeMap, newImage?: AttributeMap, extra: Partial<DynamoDBRecord> = {}): DynamoDBRecord {
  return {
    eventID: 'e1',
    eventName,
    dynamodb: { Keys: keyOf('CART#1') as never, OldImage: oldImage as never, NewImage: newImage as never, SequenceNumber: '1', StreamViewType: 'NEW_AND_OLD_IMAGES' },
    ...extra,
  };
}

const w = new Writers(exampleRules);
const key = keyOf('CART#1');
const base = w.write(US, undefined, key, { type: 'update', set: av({ coupon: 'A' }) });
const later = w.write(US, base, key, { type: 'update', set: av({ coupon: 'B' }) });
const concurrent = w.write(EU, base, key, { type: 'update', set: av({ coupon: 'C' }) });
const plain = { ...key, coupon: { S: 'A' } };

describe('classify', () => {
  it.each<[string, DynamoDBRecord, Verdict]>([
    ['an INSERT', record('INSERT', undefined, base), Verdict.Insert],
    ['a REMOVE by TTL', record('REMOVE', base, undefined, { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } }), Verdict.TtlExpiry],
    ['a REMOVE of a Concord item by a client', record('REMOVE', base), Verdict.HardDelete],
    ['a REMOVE of an item without envelope', record('REMOVE', plain), Verdict.NotConcord],
    ['a MODIFY of an item without envelope', record('MODIFY', plain, plain), Verdict.NotConcord],
    ['the first Concord write over a legacy item', record('MODIFY', plain, base), Verdict.Adopted],
    ['a Concord item overwritten without Concord', record('MODIFY', base, plain), Verdict.UnversionedOverwrite],
    ['a causal successor', record('MODIFY', base, later), Verdict.Successor],
    ['a duplicate (same version)', record('MODIFY', later, later), Verdict.Successor],
    ['a concurrent overwrite', record('MODIFY', later, concurrent), Verdict.Conflict],
  ])('classifies %s', (_, input, verdict) => {
    expect(classify(input).verdict).toBe(verdict);
  });

  it('reads only the version vectors on the skip path: a malformed attribute elsewhere does not matter', () => {
    // Prepare
    const broken = { ...later, coupon: { S: 'x', N: '1' } } as AttributeMap;

    // Act
    const { verdict } = classify(record('MODIFY', base, broken));

    // Assess
    expect(verdict).toBe(Verdict.Successor);
  });

  it.each<[string, DynamoDBRecord, new (...args: never[]) => Error, string]>([
    ['a malformed envelope', record('MODIFY', base, { ...key, _cc: { S: 'v2' } }), EnvelopeError, 'malformed envelope on item pk=CART#1 sk=A at _cc: must be a map (M)'],
    ['a version vector with a bad clock', record('MODIFY', base, { ...key, _cc: { M: { vv: { M: { [`${US}~k3F9aZ2q`]: { S: 'now' } } } } } }), EnvelopeError, `at _cc.vv.${US}~k3F9aZ2q: must map an actor (or the region of the tip) to a clock`],
    ['a malformed key value', { ...record('INSERT', undefined, base), dynamodb: { Keys: { pk: { S: 'a', N: '1' } } as never } }, MalformedAttributeError, 'malformed attribute value at Keys.pk: more than one type key (S, N)'],
    ['a record without keys', { ...record('INSERT'), dynamodb: { Keys: {} } }, MalformedRecordError, 'malformed stream record e1: no Keys'],
    ['a record without its dynamodb section', { eventID: 'e2', eventName: 'MODIFY' }, MalformedRecordError, 'malformed stream record e2: no dynamodb section'],
    ['an unknown event name', record('UPSERT' as never), MalformedRecordError, 'unknown eventName "UPSERT"'],
    ['a MODIFY from a NEW_IMAGE stream', record('MODIFY', undefined, base), MalformedRecordError, 'the stream view type must be NEW_AND_OLD_IMAGES'],
  ])('rejects %s with a typed error', (_, input, type, message) => {
    expect(() => classify(input)).toThrow(type);
    expect(() => classify(input)).toThrow(message);
  });

  describe.each(streamEventFixtures())('on the real AWS events of %s', (_, events) => {
    const records = events.flatMap((event) => event.Records);

    it.each(records.map((r, i) => [i, r] as const))('gives record %i a verdict without throwing', (_, input) => {
      const { verdict } = classify(input);
      expect([Verdict.Insert, Verdict.NotConcord, Verdict.TtlExpiry]).toContain(verdict);
    });
  });
});

describe('classify a REMOVE of a tombstone without the TTL identity (a TTL deletion replicated from another region)', () => {
  const tombstone = w.write(US, later, key, { type: 'delete' });
  const expiresAtSeconds = Number((tombstone._ttl as { N: string }).N);
  const removedAt = (seconds: number) => record('REMOVE', tombstone, undefined, { dynamodb: { ...record('REMOVE', tombstone).dynamodb, ApproximateCreationDateTime: seconds } });

  it('is a TTL expiry once the tombstone had expired', () => {
    // Act
    const { verdict } = classify(removedAt(expiresAtSeconds + 3_600));

    // Assess
    expect(verdict).toBe(Verdict.TtlExpiry);
  });

  it('is a hard delete while the tombstone had not expired', () => {
    // Act
    const { verdict } = classify(removedAt(expiresAtSeconds - 3_600));

    // Assess
    expect(verdict).toBe(Verdict.HardDelete);
  });
});
