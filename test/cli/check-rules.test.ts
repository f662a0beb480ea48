/**
 * `concord check-rules`, run as a process: the command a team puts in its CI.
 */
import { join } from 'node:path';
import { jsonOf, runConcord } from '../helpers/cli';

const HELPERS = join('test', 'helpers');

describe('concord check-rules', () => {
  it('reports rules that are valid and lawful, entity by entity (exit status 0)', async () => {
    // Act
    const run = await runConcord(['check-rules', join(HELPERS, 'cli-rules-fixed.ts'), '--runs', '30', '--seed', '7']);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/note\s+text custom, others lww\s+on delete updateWins/);
    expect(run.stdout).toContain('laws hold: idempotence, commutativity and associativity of every merge (30 cases per law)');
  });

  it('reports a broken law with its counter-example and the command that replays it (exit status 1)', async () => {
    // Act
    const run = await runConcord(['check-rules', join(HELPERS, 'cli-rules-lawless.ts'), '--runs', '30', '--json']);

    // Assess
    const report = jsonOf<{ valid: boolean; laws: { ok: boolean; failures: { law: string; entity: string; attribute: string; message: string }[] } }>(run);
    expect({ code: run.code, valid: report.valid, failures: report.laws.failures.map(({ law, entity, attribute }) => [law, entity, attribute]) }).toEqual({ code: 1, valid: true, failures: [['commutativity', 'note', 'text']] });
    expect(report.laws.failures[0]?.message).toMatch(/^custom rule of entity "note" attribute "text" is not commutative: merge\(/);
  });

  it('reports rules that fail validation, naming the entity, the attribute and why (exit status 1)', async () => {
    // Act
    const run = await runConcord(['check-rules', join(HELPERS, 'resolver-invalid-rules.ts')]);

    // Assess
    expect({ code: run.code, out: run.stdout }).toEqual({ code: 1, out: `${join(HELPERS, 'resolver-invalid-rules.ts')}: INVALID\n  invalid rules: entity "cart" attribute "items": unknown rule kind "sum" (expected one of lww, max, min, counter, addWinsSet, union, priority, custom, manual)\n` });
  });

  it.each([
    ['does not exist', 'no-such-rules.ts', 'names a module that could not be loaded'],
    ['exports no rule set', join(HELPERS, 'resolver-not-rules.ts'), 'whose default export is not a rule set'],
  ])('names a module that %s (exit status 3)', async (_case, path, message) => {
    // Act
    const run = await runConcord(['check-rules', path]);

    // Assess
    expect({ code: run.code, said: run.stderr.includes(message), stack: run.stderr.includes('Require stack') }).toEqual({ code: 3, said: true, stack: false });
  });
});
