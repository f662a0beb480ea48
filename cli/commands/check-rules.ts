/**
 * `concord check-rules <module>`: loads a rules module, validates it and runs the law
 * checker on it: the command a team puts in its own CI.
 */
import { ConfigurationError, RuleValidationError } from '../../shared/errors';
import { checkRuleLaws, type LawReport } from '../../shared/laws/check-laws';
import type { RuleSet } from '../../shared/rules/types';
import { COMMON_OPTIONS } from '../args';
import type { Command } from '../command';
import { ExitCode } from '../exit-code';
import { columns } from '../text';

const MODULE = '<module>';

export const checkRulesCommand: Command = {
  name: 'check-rules',
  summary: 'validate a rules module and check its merges are idempotent, commutative and associative',
  usage: `${MODULE} [options]`,
  description: [
    `Loads a rules module (.ts or .js, whose default export is defineRules({...})), validates it, and`,
    'property-tests every entity\'s merge and every custom rule for the laws that make replicas',
    'converge (idempotence, commutativity, associativity), on generated write histories in three',
    'regions. A failure comes with a shrunk counter-example and the seed that replays it (--seed).',
    '',
    'Exit status: 0 valid and lawful, 1 invalid or a law broken, 3 the module cannot be loaded.',
  ].join('\n'),
  options: {
    runs: { type: 'string', value: 'N', help: 'generated cases per law (default 200)' },
    seed: { type: 'string', value: 'S', help: 'the seed of the generated cases (default: random; a failure prints its seed)' },
    ...COMMON_OPTIONS,
  },
  positionals: { min: 1, max: 1, names: [MODULE] },
  async run(session) {
    const path = session.args.positional(0, MODULE);
    let rules: RuleSet;
    try {
      rules = session.rulesModule(path, MODULE).rules;
    } catch (error) {
      const invalid = error instanceof ConfigurationError && error.cause instanceof RuleValidationError ? error.cause : undefined;
      if (invalid === undefined) throw error;
      const data = { module: path, valid: false, validation: { entity: invalid.entity, attribute: invalid.attribute ?? null, reason: invalid.reason }, laws: null };
      return { exitCode: ExitCode.Problems, data, text: `${path}: INVALID\n  ${invalid.message}\n` };
    }
    const runs = session.args.integer('runs', 200, 1, 100_000);
    const seedText = session.args.string('seed');
    const entities = [...rules.entities, rules.fallback];
    session.note(`checking the laws of ${entities.length} entities, ${runs} cases per law…`);
    const report = checkRuleLaws(rules, { runs, ...(seedText === undefined ? {} : { seed: session.args.integer('seed', 0, 0, 2 ** 31 - 1) }) });
    const data = { module: path, valid: true, validation: null, entities: entities.map((entity) => ({ entity: entity.name, attributes: Object.fromEntries(Object.entries(entity.attributes).map(([name, rule]) => [name, rule.kind])), otherAttributes: entity.otherAttributes.kind, onDelete: entity.onDelete, invariants: entity.invariants.map(([name]) => name) })), laws: report };
    return { exitCode: report.ok ? ExitCode.Ok : ExitCode.Problems, data, text: formatReport(path, rules, report, runs) };
  },
};

function formatReport(path: string, rules: RuleSet, report: LawReport, runs: number): string {
  const rows = [...rules.entities, rules.fallback].map((entity) => [
    entity.name,
    Object.entries(entity.attributes)
      .map(([name, rule]) => `${name} ${rule.kind}`)
      .concat(`others ${entity.otherAttributes.kind}`)
      .join(', '),
    `on delete ${entity.onDelete}${entity.invariants.length === 0 ? '' : `; invariants ${entity.invariants.map(([name]) => name).join(', ')}`}`,
  ]);
  const lines = [`${path}: valid`, columns(rows), ''];
  if (report.ok) lines.push(`laws hold: idempotence, commutativity and associativity of every merge (${runs} cases per law)`);
  for (const failure of report.failures) lines.push(`LAW BROKEN: ${failure.law} of entity "${failure.entity}"${failure.attribute === undefined ? '' : ` attribute "${failure.attribute}"`}`, `  ${failure.message}`, `  replay: concord check-rules ${path} --seed ${failure.seed}`);
  return `${lines.join('\n')}\n`;
}
