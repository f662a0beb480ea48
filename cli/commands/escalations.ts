/**
 * `concord escalations`: the items holding unresolved `manual` siblings or violated
 * invariants, from the central audit log (or `--from-file`), or from a table scan.
 */
import { COMMON_OPTIONS, TABLE_OPTIONS } from '../args';
import { AUDIT_OPTIONS, auditEventSource } from '../audit-options';
import type { Command } from '../command';
import { ExitCode } from '../exit-code';
import { escalationsFromAudit, escalationsFromScan, type EscalationReport } from '../operations/escalations/open-escalations';
import { ItemStore } from '../../shared/resolver/item-store';
import { columns, plural, shortValue } from '../text';

export const escalationsCommand: Command = {
  name: 'escalations',
  summary: 'list items holding unresolved manual siblings or violated invariants',
  usage: '[options]',
  description: [
    'Lists the items that need a person: a manual attribute holds concurrent siblings, or an',
    'invariant is violated. Candidates come from the ConflictEscalated events of the central audit',
    'log group (or --from-file), or with --scan from every item of the table; each is judged on the',
    'item as it is now, so what was settled since is not listed. Settle one with concord resolve.',
    '',
    'Exit status: 0 none open, 1 some open.',
  ].join('\n'),
  options: {
    ...TABLE_OPTIONS,
    scan: { type: 'boolean', help: 'scan the whole table instead of reading the audit log' },
    segments: { type: 'string', value: 'N', help: 'with --scan: parallel scan segments (default 4)' },
    ...AUDIT_OPTIONS,
    ...COMMON_OPTIONS,
  },
  positionals: { min: 0, max: 0, names: [] },
  async run(session) {
    const { rules } = session.rules();
    const table = session.table();
    const now = session.io.now();
    const client = session.clients().dynamodb();
    const progress = session.progress(session.args.flag('scan') ? 'scanning' : 'checking', { unit: 'items' });
    let report: EscalationReport;
    try {
      report = session.args.flag('scan')
        ? await escalationsFromScan(client, table, rules, { segments: session.args.integer('segments', 4, 1, 1000), now }, progress)
        : await escalationsFromAudit(auditEventSource(session), new ItemStore(client, table), rules, now, progress);
    } finally {
      progress.done();
    }
    return { exitCode: report.open.length === 0 ? ExitCode.Ok : ExitCode.Problems, data: report, text: formatEscalations(report) };
  },
};

function formatEscalations(report: EscalationReport): string {
  const settled = report.settled > 0 ? `, ${report.settled} settled since` : '';
  const header = `${plural(report.open.length, 'open escalation')} (${report.examined} item(s) examined from ${report.source}${settled})`;
  if (report.open.length === 0) return `${header}\n`;
  const rows = [['key', 'entity', 'needs', 'since']];
  for (const open of report.open) {
    const needs = open.escalations.map((escalation) => (escalation.reason === 'manual' ? `${escalation.subject}: ${open.siblings[escalation.subject] ?? '?'} siblings` : `invariant ${escalation.subject}`)).join('; ');
    rows.push([shortValue(open.key), open.entity ?? '?', needs, open.firstEscalatedAt ?? '']);
  }
  return `${header}\n${columns(rows)}\n\nsettle one with: concord resolve <key> --attribute <name> --pick <#n|value>\n`;
}
