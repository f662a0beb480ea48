import exampleRules from '../../rules/example';
import { defineRules } from '../rules/define-rules';
import { checkRuleLaws } from './check-laws';
import { propertySettings } from '../../test/helpers/properties';

/** The seed of every law check here: npm test's, or the explorer's (test/helpers/properties.ts). */
const SEED = propertySettings().seed as number;

const withNoteRule = (merge: (a: string, b: string) => string) =>
  defineRules({ entities: { note: { match: { prefix: 'NOTE#' }, attributes: { text: { kind: 'custom', type: 'string', merge } } } } });
const withRule = (type: 'string' | 'number' | 'stringSet', merge: (a: never, b: never) => unknown) =>
  defineRules({ entities: { thing: { match: { prefix: 'THING#' }, attributes: { value: { kind: 'custom', type, merge: merge as (a: unknown, b: unknown) => unknown } } } } });

describe('checkRuleLaws', () => {
  it('passes the example rule set', () => {
    const report = checkRuleLaws(exampleRules, { runs: 200, seed: SEED });
    expect(report.failures).toEqual([]);
  });

  it('passes a custom rule that takes the longer string (ties by order)', () => {
    // Prepare
    const rules = withNoteRule((a, b) => (a.length !== b.length ? (a.length > b.length ? a : b) : a > b ? a : b));

    // Act
    const report = checkRuleLaws(rules, { runs: 300, seed: SEED });

    // Assess
    expect(report.ok).toBe(true);
  });

  it('fails a custom rule that takes the remote value, with a readable shrunk counter-example', () => {
    // Prepare
    const rules = withNoteRule((_local, remote) => remote);

    // Act
    const report = checkRuleLaws(rules, { runs: 300, seed: SEED });

    // Assess
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([
      expect.objectContaining({
        law: 'commutativity',
        entity: 'note',
        attribute: 'text',
        message: expect.stringMatching(/^custom rule of entity "note" attribute "text" is not commutative: merge\(".*", ".*"\) returned ".*" but merge\(".*", ".*"\) returned ".*"$/s),
      }),
    ]);
  });

  it('fails a custom rule that is not idempotent', () => {
    // Prepare
    const rules = withNoteRule((a, b) => a + b);

    // Act
    const laws = checkRuleLaws(rules, { runs: 300, seed: SEED }).failures.map((failure) => failure.law);

    // Assess
    expect(laws).toContain('idempotence');
  });

  it('reports a rule that fails on the values it meets, with the history that led there', () => {
    // Prepare: a custom merge that cannot handle the empty string.
    const rules = withNoteRule((a, b) => {
      if (a === '' || b === '') throw new Error('empty note');
      return a > b ? a : b;
    });

    // Act
    const messages = checkRuleLaws(rules, { runs: 300, seed: SEED }).failures.map((failure) => failure.message);

    // Assess
    expect(messages).toContain('custom rule of entity "note" attribute "text" threw on merge("", ""): empty note');
    expect(messages.join('\n')).toMatch(/merge threw: .*empty note\n {2}history \(after a shared first version\):\n {4}1\. /);
  });

  // Regressions of the law checker's own blind spots (issue: sets compared in insertion
  // order; values drawn from a tiny fixed list).
  it('regression: passes a lawful set union written as new Set([...a, ...b]), whatever the insertion order', () => {
    // Prepare
    const rules = withRule('stringSet', (a: Set<string>, b: Set<string>) => new Set([...a, ...b]));

    // Act
    const report = checkRuleLaws(rules, { runs: 300, seed: SEED });

    // Assess
    expect(report.failures).toEqual([]);
  });

  it.each([
    ['strings', 'string' as const],
    ['numbers', 'number' as const],
  ])('regression: fails a rule that keeps its first argument, on %s', (_, type) => {
    // Prepare
    const rules = withRule(type, (a) => a);

    // Act
    const laws = checkRuleLaws(rules, { runs: 300, seed: SEED }).failures.map((failure) => failure.law);

    // Assess
    expect(laws).toContain('commutativity');
  });
});
