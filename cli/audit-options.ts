/**
 * Where a command reads recorded audit events: the central audit log group (CloudWatch
 * Logs in the audit region, between `--since` and `--until`), or a JSON-lines file.
 */
import { ConfigurationError } from '../shared/errors';
import { pointInTime } from './duration';
import type { OptionDefinition } from './args';
import { JsonLinesEvents, LogGroupEvents, type AuditEventSource } from './operations/audit/audit-events';
import type { Session } from './session';

/** The options of commands that read audit events. */
export const AUDIT_OPTIONS = {
  since: { type: 'string', value: 'WHEN', help: 'the oldest events of the log group to read: 24h, 7d… or an ISO date (default 7d)' },
  until: { type: 'string', value: 'WHEN', help: 'the newest events of the log group to read (default now)' },
  'log-group': { type: 'string', value: 'GROUP', help: 'the central audit log group (default: CONCORD_AUDIT_LOG_GROUP, else /aws/events/concord-audit-<stage> of a table concord-<stage>)' },
  'audit-region': { type: 'string', value: 'R', help: 'the region of the central audit log group (default: CONCORD_AUDIT_REGION, else the region)' },
  'from-file': { type: 'string', value: 'FILE', help: 'read audit events from a JSON-lines file (one EventBridge event a line, as npm run local prints them) instead of the log group' },
} as const satisfies Record<string, OptionDefinition>;

const DEFAULT_SINCE = '7d';
const STAGE_TABLE = /^concord-(.+)$/;

/**
 * The audit events the command line names.
 *
 * @throws CommandLineError for a malformed --since or --until
 * @throws ConfigurationError when no log group is given and none follows from the table's name
 * @example
 * for await (const event of auditEventSource(session).events(['ConflictEscalated'])) …
 */
export function auditEventSource(session: Session): AuditEventSource {
  const now = session.io.now();
  const startMs = pointInTime('--since', session.args.string('since') ?? DEFAULT_SINCE, now);
  const until = session.args.string('until');
  const endMs = until === undefined ? now : pointInTime('--until', until, now);
  const file = session.args.string('from-file');
  if (file !== undefined) return new JsonLinesEvents(session.path(file));
  const region = session.setting('audit-region', 'CONCORD_AUDIT_REGION', session.region());
  const group = session.optionalSetting('log-group', 'CONCORD_AUDIT_LOG_GROUP') ?? stageLogGroup(session);
  return new LogGroupEvents(session.clients().logs(region), group, { startMs, endMs }, region);
}

/** The log group a stage's deployment makes (resources/audit-central.yml), for a table named `concord-<stage>`. */
function stageLogGroup(session: Session): string {
  const stage = STAGE_TABLE.exec(session.table())?.[1];
  if (stage === undefined) throw new ConfigurationError('CONCORD_AUDIT_LOG_GROUP', `is required: the table ${session.table()} is not named concord-<stage>, so the log group cannot be derived; set it, or pass --log-group`);
  return `/aws/events/concord-audit-${stage}`;
}
