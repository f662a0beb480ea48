/**
 * `concord shadow --rules <candidate>`: what candidate rules would have done with the
 * conflicts the audit log recorded.
 */
import { CommandLineError } from '../../shared/errors';
import { COMMON_OPTIONS, TABLE_OPTIONS } from '../args';
import { AUDIT_OPTIONS, auditEventSource } from '../audit-options';
import type { Command } from '../command';
import { ExitCode } from '../exit-code';
import { shadowReplay, type ShadowReport } from '../operations/shadow/shadow-replay';
import { columns, plural, shortValue } from '../text';

export const shadowCommand: Command = {
  name: 'shadow',
  summary: 'replay recorded conflicts under candidate rules: per entity and attribute, what would change',
  usage: '--rules <candidate module> [options]',
  description: [
    'Answers "what would these rules have done?": every conflict recorded in the central audit log',
    'group (or --from-file, a JSON-lines file of audit events as npm run local prints them) is merged',
    'again from the versions its event recorded, under the current rules (--current-rules, else',
    'CONCORD_RULES, else the example rules) and under the candidate rules (--rules); the report says,',
    'per entity and attribute, in how many conflicts the outcome would change, with examples.',
    'Nothing is written. Conflicts whose events do not carry both versions (older events, pointer',
    'events, values not allowed by audit.includeValues) are counted as skipped, with the reason.',
    '',
    'To run candidate rules on live conflicts instead, set CONCORD_SHADOW_RULES on the resolver: it',
    'publishes a ShadowDifference event for each conflict they would settle differently.',
    '',
    'Exit status: 0 no replayed outcome would change, 1 some would (or none of the recorded conflicts could be replayed).',
  ].join('\n'),
  options: {
    rules: { type: 'string', value: 'MODULE', help: 'the candidate rules module (.ts or .js)' },
    'current-rules': { type: 'string', value: 'MODULE', help: 'the rules in force (default: CONCORD_RULES, else the example rules)' },
    examples: { type: 'string', value: 'N', help: 'examples to show per attribute (default 3)' },
    ...AUDIT_OPTIONS,
    table: TABLE_OPTIONS.table,
    region: TABLE_OPTIONS.region,
    ...COMMON_OPTIONS,
  },
  positionals: { min: 0, max: 0, names: [] },
  async run(session) {
    const candidatePath = session.args.string('rules');
    if (candidatePath === undefined) throw new CommandLineError('--rules', 'is required: the candidate rules module');
    const candidate = session.rulesModule(candidatePath, '--rules');
    const current = session.rulesNamedBy('current-rules');
    const progress = session.progress('replaying', { unit: 'events' });
    let report: ShadowReport;
    try {
      report = await shadowReplay(auditEventSource(session), current.rules, candidate.rules, { examples: session.args.integer('examples', 3, 0, 100), progress });
    } finally {
      progress.done();
    }
    const data = { currentRules: current.source, candidateRules: candidate.source, ...report };
    // Nothing replayed of what was recorded verifies nothing: that is no all-clear either.
    const verified = report.replayed > 0 || report.conflicts === 0;
    return { exitCode: report.changedConflicts === 0 && verified ? ExitCode.Ok : ExitCode.Problems, data, text: formatShadow(report, current.source, candidate.source) };
  },
};

function formatShadow(report: ShadowReport, current: string, candidate: string): string {
  const lines = [
    `${plural(report.conflicts, 'conflict')} recorded (${report.events} events from ${report.source}); ${report.replayed} replayed under ${current} and ${candidate}`,
    `${report.changedConflicts} of ${report.replayed} would be settled differently`,
  ];
  for (const [reason, count] of Object.entries(report.skipped)) lines.push(`skipped ${count}: ${reason}`);
  const changed = report.attributes.filter((tally) => tally.changed > 0 || tally.currentRule !== tally.candidateRule);
  if (changed.length > 0) {
    lines.push('', columns([['entity', 'attribute', 'rule', 'changed', 'examples (current → candidate)'], ...changed.map((t) => [t.entity, t.attribute, t.currentRule === t.candidateRule ? t.currentRule : `${t.currentRule} → ${t.candidateRule}`, `${t.changed}/${t.conflicts}`, t.examples.map((e) => `${shortValue(e.key, 40)}: ${shortValue(e.current, 30)} → ${shortValue(e.candidate, 30)}`).join('; ')])]));
  }
  for (const example of report.escalationChanges) lines.push(`escalations of ${shortValue(example.key, 40)}: ${shortValue(example.current)} → ${shortValue(example.candidate)}`);
  for (const example of report.candidateErrors) lines.push(`the candidate rules fail on ${shortValue(example.key, 40)}: ${String(example.candidate)}`);
  return `${lines.join('\n')}\n`;
}
