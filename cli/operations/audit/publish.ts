/**
 * Publishing audit events from the CLI exactly as the resolver does: each event as a
 * PutEvents entry that fits EventBridge's limit (shared/resolver/audit/entry.ts), sent
 * in as few calls as the limits allow, failed entries retried with backoff
 * (shared/resolver/audit/publisher.ts), to the regional audit bus, which forwards
 * Concord's events to the central one.
 */
import { setTimeout as wait } from 'node:timers/promises';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { toEntry } from '../../../shared/resolver/audit/entry';
import type { AuditEvent } from '../../../shared/resolver/audit/events';
import { publishAll, type PublishReport } from '../../../shared/resolver/audit/publisher';
import { QUIET_LOGGER } from '../quiet-logger';

/** Where events go. */
export interface AuditBus {
  readonly eventBridge: EventBridgeClient;
  /** Name or ARN of the regional audit bus (`CONCORD_AUDIT_BUS`). */
  readonly bus: string;
  /** `Source` of the events (`CONCORD_AUDIT_SOURCE`). */
  readonly source: string;
  readonly now: () => number;
}

/** One event and what its failure is charged to (a record, a resolution). */
export interface OwnedEvent<Owner> {
  readonly event: AuditEvent;
  readonly owner: Owner;
}

const ATTEMPTS = 5;

/**
 * Publishes every event; reports the owners of events that could not be published.
 *
 * @example
 * const { failed } = await publishAudit([{ event, owner: 'resolution' }], bus);
 */
export async function publishAudit<Owner>(events: readonly OwnedEvent<Owner>[], target: AuditBus): Promise<PublishReport<Owner>> {
  const options = { bus: target.bus, source: target.source, time: new Date(target.now()) };
  return publishAll(
    events.map(({ event, owner }) => ({ sized: toEntry(event, options), owner })),
    {
      eventBridge: target.eventBridge,
      maxAttempts: ATTEMPTS,
      concurrency: 4,
      backoff: { baseMs: 25, maxMs: 1_000, random: Math.random },
      sleep: (ms) => wait(ms).then(() => undefined),
      logger: QUIET_LOGGER,
    },
  );
}

/**
 * Why the event of `owner` was not published, or undefined when it was.
 *
 * @example
 * const error = publishFailure(await publishAudit(events, bus), record);
 */
export function publishFailure<Owner>(report: PublishReport<Owner>, owner: Owner): Error | undefined {
  return report.failed.get(owner)?.error;
}
