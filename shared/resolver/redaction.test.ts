import { RuleValidationError } from '../errors';
import { defineRules } from '../rules/define-rules';
import { REDACTED, Redactor } from './redaction';

const MASK = { S: REDACTED };

describe('Redactor', () => {
  it('masks a member of a map by its path', () => {
    // Prepare
    const redactor = new Redactor(['contact.email']);

    // Act
    const masked = redactor.value('contact', { M: { email: { S: 'ada@example.com' }, city: { S: 'Oslo' } } });

    // Assess
    expect(masked).toEqual({ M: { email: MASK, city: { S: 'Oslo' } } });
  });

  it('masks a member of every element of a list', () => {
    // Prepare
    const redactor = new Redactor(['addresses[].phone']);
    const home = { M: { phone: { S: '+47 1' }, street: { S: 'A' } } };
    const work = { M: { phone: { S: '+47 2' } } };

    // Act
    const masked = redactor.image({ addresses: { L: [home, work] } });

    // Assess
    expect(masked).toEqual({ addresses: { L: [{ M: { phone: MASK, street: { S: 'A' } } }, { M: { phone: MASK } }] } });
  });

  it('masks every element of a list named with []', () => {
    // Prepare
    const redactor = new Redactor(['phones[]']);

    // Act
    const masked = redactor.value('phones', { L: [{ S: '1' }, { N: '2' }] });

    // Assess
    expect(masked).toEqual({ L: [MASK, MASK] });
  });

  it('masks a bare name at any depth', () => {
    // Prepare
    const redactor = new Redactor(['email']);

    // Act
    const masked = redactor.image({ email: { S: 'a' }, contact: { M: { email: { S: 'b' } } }, people: { L: [{ M: { email: { S: 'c' } } }] } });

    // Assess
    expect(masked).toEqual({ email: MASK, contact: { M: { email: MASK } }, people: { L: [{ M: { email: MASK } }] } });
  });

  it('masks inside an attribute named __proto__ as in any other, without touching a prototype', () => {
    // Prepare: as JSON.parse reads a stream image, `__proto__` is an own attribute.
    const image = JSON.parse('{"__proto__":{"M":{"email":{"S":"a"}}},"other":{"M":{"email":{"S":"b"}}}}') as Record<string, unknown>;

    // Act
    const masked = new Redactor(['email']).image(image);

    // Assess
    expect(JSON.stringify(masked)).toBe('{"__proto__":{"M":{"email":{"S":"[redacted]"}}},"other":{"M":{"email":{"S":"[redacted]"}}}}');
  });

  it('returns the very image when nothing is masked', () => {
    // Prepare
    const image = { contact: { M: { city: { S: 'Oslo' } } }, tags: { SS: ['a'] } };

    // Act
    const masked = new Redactor(['contact.email']).image(image);

    // Assess
    expect(masked).toBe(image);
  });

  it('leaves a raw image it cannot read as it is', () => {
    // Prepare
    const raw = { contact: { M: 'not a map' }, list: { L: null }, odd: 7 };

    // Act
    const masked = new Redactor(['contact.email', 'list[].x']).image(raw);

    // Assess
    expect(masked).toBe(raw);
  });

  it('masks whole every member of an envelope named like an attribute holding a redacted path', () => {
    // Prepare: the envelope keeps concurrent values of `contact` and the dots of `email`, in a format it does not know.
    const redactor = new Redactor(['contact.email', 'email']);
    const envelope = { M: { vv: { M: { 'us-east-1': { S: 'c1' } } }, crdt: { M: { sib: { M: { contact: { M: { d1: { M: { email: { S: 'x' } } } } } } } } }, fc: { M: { email: { L: [{ S: 'd2' }] }, city: { L: [{ S: 'd3' }] } } } } };

    // Act
    const masked = redactor.envelope(envelope);

    // Assess
    expect(masked).toEqual({ M: { vv: { M: { 'us-east-1': { S: 'c1' } } }, crdt: { M: { sib: { M: { contact: MASK } } } }, fc: { M: { email: MASK, city: { L: [{ S: 'd3' }] } } } } });
  });

  it('is compiled once per rule set', () => {
    // Prepare
    const rules = defineRules({ entities: {}, audit: { includeValues: true, redact: ['email'] } });

    // Act
    const [first, second] = [Redactor.of(rules), Redactor.of(rules)];

    // Assess
    expect(second).toBe(first);
  });

  it.each(['contact..email', 'addresses[phone]', '[].phone', ''])('rejects %j, which is not a path', (entry) => {
    // Act
    const compile = () => new Redactor([entry]);

    // Assess
    expect(compile).toThrow(RuleValidationError);
    expect(compile).toThrow('is not a path such as email, contact.email or addresses[].phone');
  });
});
