/**
 * `concord resolve <key> --attribute A --pick <sibling|value>`: settles an escalation
 * by a write that causally follows every sibling, audited as `ConflictResolved`.
 */
import { AuditPublishError, CommandLineError } from '../../shared/errors';
import { ItemStore } from '../../shared/resolver/item-store';
import { COMMON_OPTIONS, TABLE_OPTIONS } from '../args';
import type { Command } from '../command';
import { ExitCode } from '../exit-code';
import { KEY_ARGUMENT, KEY_POSITIONALS } from '../key-argument';
import { publishAudit, publishFailure } from '../operations/audit/publish';
import { viewItem } from '../operations/inspect/item-view';
import { resolveEscalation, type Resolution } from '../operations/resolve/resolve-escalation';
import { toPlain } from '../../shared/resolver/audit/plain';
import { shortValue } from '../text';

export const resolveCommand: Command = {
  name: 'resolve',
  summary: 'settle an escalation: write the picked sibling or value over every sibling, audited',
  usage: `${KEY_ARGUMENT} --attribute A --pick <#n|dot|value> [options]`,
  description: [
    'Settles an escalated attribute by a write that causally follows every sibling: the item is',
    "read, the picked value is written in this region by the core's own write (so it has seen and",
    'replaces every concurrent write), conditionally on the item being unchanged, and a',
    'ConflictResolved event naming the operator goes to the audit bus (CONCORD_AUDIT_BUS).',
    '',
    '--pick takes a sibling as concord inspect numbers it (#1, #2…) or by its dot (or a unique',
    'prefix of it), or a value: JSON when it parses (42, true, \'"42"\', \'["a"]\'), else the text.',
    'A violated invariant (a counter below 0) is settled by picking a value for the attribute.',
    '',
    'Exit status: 0 resolved, 1 refused (nothing to resolve, no such sibling, item kept changing).',
  ].join('\n'),
  options: {
    ...TABLE_OPTIONS,
    attribute: { type: 'string', value: 'A', help: 'the escalated attribute' },
    pick: { type: 'string', value: 'PICK', help: 'the sibling (#n, or its dot) or the value to keep' },
    operator: { type: 'string', value: 'NAME', help: 'who resolves, for the audit (default: CONCORD_OPERATOR, else the login name)' },
    'audit-bus': { type: 'string', value: 'BUS', help: 'the regional audit bus (default: CONCORD_AUDIT_BUS)' },
    'dry-run': { type: 'boolean', help: 'show the write and its audit event; write and publish nothing' },
    ...COMMON_OPTIONS,
  },
  positionals: KEY_POSITIONALS,
  async run(session) {
    const table = session.table();
    const { rules } = session.rules();
    const key = session.itemKey();
    const attribute = session.args.string('attribute') ?? missing('--attribute');
    const pick = session.args.string('pick') ?? missing('--pick');
    const dryRun = session.args.flag('dry-run');
    const clients = session.clients();
    const bus = dryRun ? '' : session.setting('audit-bus', 'CONCORD_AUDIT_BUS');
    const resolution = await resolveEscalation(
      { table, key, attribute, pick, region: clients.region, operator: session.operator() },
      { store: new ItemStore(clients.dynamodb(), table), rules, now: session.io.now, dryRun },
    );
    if (!dryRun) {
      const target = { eventBridge: clients.eventBridge(), bus, source: session.optionalSetting('audit-source', 'CONCORD_AUDIT_SOURCE') ?? 'concord', now: session.io.now };
      const failure = publishFailure(await publishAudit([{ event: resolution.event, owner: resolution }], target), resolution);
      if (failure !== undefined) {
        const [code, attempts] = failure instanceof AuditPublishError ? [failure.errorCode, failure.attempts] : [failure.name, 1];
        throw new AuditPublishError(code, `the write is made, but its ConflictResolved event was not published: ${failure.message}`, attempts);
      }
    }
    const view = viewItem(resolution.image, rules, { key, now: session.io.now(), region: clients.region });
    const data = { dryRun, written: resolution.writes > 0, picked: describePick(resolution), replaced: resolution.siblings, event: resolution.event, item: view };
    return { exitCode: ExitCode.Ok, data, text: formatResolution(resolution, attribute, dryRun, shortValue(view.values[attribute])) };
  },
};

function missing(flag: string): never {
  throw new CommandLineError(flag, 'is required');
}

function describePick(resolution: Resolution): Record<string, unknown> {
  const { picked } = resolution;
  const value = picked.value === null ? null : toPlain(picked.value);
  return picked.kind === 'sibling' ? { sibling: picked.dot, value } : { value };
}

function formatResolution(resolution: Resolution, attribute: string, dryRun: boolean, shown: string): string {
  const what = resolution.picked.kind === 'sibling' ? `sibling ${resolution.picked.dot}` : 'the value given';
  const verb = dryRun ? 'would write' : 'wrote';
  return `${verb} ${attribute} = ${shown} (${what}) over ${resolution.siblings.length} write(s): ${resolution.siblings.join(', ')}\n${dryRun ? 'dry run: nothing written, no event published' : `audited as ConflictResolved ${resolution.event.detail.conflictId} by ${String((resolution.event.detail.reason as { operator: string }).operator)}`}\n`;
}
