/**
 * The resolver's logic as the queue commands (redrive, quarantine replay) use it: run
 * records for real with the resolver's configuration (CONCORD_AUDIT_BUS,
 * CONCORD_QUARANTINE_QUEUE_URL, …), or plan them on a dry run, which needs only the
 * table, region and rules. Also the options those commands share.
 */
import type { OptionDefinition } from './args';
import { planRecords } from './operations/replay/plan-records';
import { resolverContextOf } from './operations/replay/resolver-context';
import type { ResolverLogic } from './operations/replay/resolver-logic';
import { settleRecords } from './operations/replay/settle-records';
import type { Session } from './session';

/** Options of commands that work off a queue. */
export const QUEUE_OPTIONS = {
  queue: { type: 'string', value: 'URL', help: 'the queue (default: see the command)' },
  max: { type: 'string', value: 'N', help: 'work on at most N messages (default 1000)' },
  'visibility-timeout': { type: 'string', value: 'S', help: 'seconds the messages stay hidden from other readers while this runs (default 300)' },
  'dry-run': { type: 'boolean', help: 'show what would be done; write, publish and delete nothing' },
} as const satisfies Record<string, OptionDefinition>;

/**
 * The resolver's logic with the session's settings; the resolver's configuration is
 * read (and checked) only for a run that writes.
 *
 * @throws ConfigurationError naming a resolver variable that is missing or wrong
 * @example
 * const { settle, plan, dryRun } = resolverLogic(session);
 */
export function resolverLogic(session: Session): ResolverLogic {
  const { rules } = session.rules();
  const dryRun = session.args.flag('dry-run');
  const where = { table: session.table(), region: session.region() };
  const context = dryRun ? undefined : resolverContextOf(session.resolverConfig(), rules, session.clients());
  return {
    dryRun,
    plan: (records) => planRecords(records, rules, where),
    settle: (records) => {
      if (context === undefined) throw new Error('a dry run settles nothing');
      return settleRecords(records, context);
    },
  };
}

/**
 * The queue-reading limits of the command line.
 *
 * @throws CommandLineError naming --max or --visibility-timeout when out of range
 * @example
 * await queue.receiveAll(receiveLimits(session)); // { max: 1000, visibilityTimeoutSeconds: 300 } by default
 */
export function receiveLimits(session: Session): { readonly max: number; readonly visibilityTimeoutSeconds: number } {
  return { max: session.args.integer('max', 1000, 1, 1_000_000), visibilityTimeoutSeconds: session.args.integer('visibility-timeout', 300, 1, 43_200) };
}
