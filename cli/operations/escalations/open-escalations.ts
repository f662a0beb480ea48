/**
 * `concord escalations`: the items that need a person now, because a `manual` attribute
 * holds concurrent siblings or an invariant is violated. Candidates come from the
 * `ConflictEscalated` events of the central audit log (cheap, and says since when), or
 * from a scan of the whole table (`--scan`: finds what the log window missed); either
 * way each candidate is judged on the item as it is now, so an escalation settled since
 * (by `concord resolve`, or a later write) is not listed.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { canonicalJson, type AttributeMap } from '../../../shared/dynamodb/attribute-value';
import { dict } from '../../../shared/dynamodb/dict';
import { InvalidKeyError } from '../../../shared/errors';
import type { Json } from '../../../shared/resolver/audit/plain';
import { AuditEventType } from '../../../shared/resolver/audit/events';
import { keyOf } from '../../../shared/item/state';
import type { ItemStore } from '../../../shared/resolver/item-store';
import type { RuleSet } from '../../../shared/rules/types';
import { toWireKey } from '../../../shared/writer/values';
import type { Progress } from '../../progress';
import type { AuditEventSource } from '../audit/audit-events';
import { viewItem, type EscalationView, type ItemView } from '../inspect/item-view';
import { scanTable } from '../scan/table-scan';

/** One item that needs a person. */
export interface OpenEscalation {
  readonly key: Readonly<Record<string, Json>>;
  readonly entity: string | null;
  readonly escalations: readonly EscalationView[];
  /** Per attribute holding siblings: how many concurrent writes it holds. */
  readonly siblings: Readonly<Record<string, number>>;
  /** From the audit log: the conflicts that escalated the item, and when first and last. */
  readonly conflictIds: readonly string[];
  readonly firstEscalatedAt: string | null;
  readonly lastEscalatedAt: string | null;
}

/** What a search found. */
export interface EscalationReport {
  readonly source: string;
  /** Items looked at: escalated in the log, or scanned. */
  readonly examined: number;
  /** Escalated in the log but settled since. */
  readonly settled: number;
  readonly open: readonly OpenEscalation[];
}

interface LoggedEscalation {
  readonly key: AttributeMap;
  readonly conflictIds: string[];
  readonly times: string[];
}

/**
 * The open escalations among the items the audit log says were escalated.
 *
 * @example
 * const report = await escalationsFromAudit(new LogGroupEvents(logs, group, window, region), store, rules, Date.now(), progress);
 */
export async function escalationsFromAudit(source: AuditEventSource, store: ItemStore, rules: RuleSet, now: number, progress: Progress): Promise<EscalationReport> {
  const logged = new Map<string, LoggedEscalation>();
  for await (const event of source.events([AuditEventType.ConflictEscalated])) {
    const key = wireKeyOf(event.detail.key, rules);
    if (key === undefined) continue;
    const id = canonicalJson(key);
    const entry = logged.get(id) ?? { key, conflictIds: [], times: [] };
    if (typeof event.detail.conflictId === 'string' && !entry.conflictIds.includes(event.detail.conflictId)) entry.conflictIds.push(event.detail.conflictId);
    entry.times.push(event.time);
    logged.set(id, entry);
  }
  progress.setTotal(logged.size);
  const open: OpenEscalation[] = [];
  for (const entry of logged.values()) {
    const view = viewItem(await store.get(entry.key), rules, { key: entry.key, now });
    progress.advance();
    const times = [...entry.times].sort();
    const escalation = openEscalationOf(view, entry.conflictIds, times[0] ?? null, times.at(-1) ?? null);
    if (escalation !== undefined) open.push(escalation);
  }
  return { source: source.name, examined: logged.size, settled: logged.size - open.length, open: sortByKey(open) };
}

/**
 * The open escalations of every item of the table, by a parallel scan.
 *
 * @example
 * const report = await escalationsFromScan(client, 'concord-prod', rules, { segments: 4, now: Date.now() }, progress);
 */
export async function escalationsFromScan(client: DynamoDBClient, table: string, rules: RuleSet, options: { readonly segments: number; readonly now: number }, progress: Progress): Promise<EscalationReport> {
  const open: OpenEscalation[] = [];
  let examined = 0;
  await scanTable(client, table, {
    segments: options.segments,
    pageSize: 500,
    onPage: async ({ items }) => {
      for (const image of items) {
        const key = keyOf(image, rules.table);
        const escalation = openEscalationOf(viewItem(image, rules, { key, now: options.now }), [], null, null);
        if (escalation !== undefined) open.push(escalation);
      }
      examined += items.length;
      progress.advance(items.length);
    },
  });
  return { source: `scan of ${table}`, examined, settled: 0, open: sortByKey(open) };
}

function openEscalationOf(view: ItemView, conflictIds: readonly string[], first: string | null, last: string | null): OpenEscalation | undefined {
  const escalations = view.pending?.escalations ?? [];
  if (!view.found || escalations.length === 0) return undefined;
  const siblings = dict<number>();
  for (const name of view.pending?.siblings ?? []) siblings[name] = view.attributes[name]?.writes.length ?? 0;
  return { key: view.key, entity: view.entity, escalations, siblings, conflictIds, firstEscalatedAt: first, lastEscalatedAt: last };
}

/** An event's plain key as the table's wire key; undefined when it is not one (an event of another table's rules). */
function wireKeyOf(plain: unknown, rules: RuleSet): AttributeMap | undefined {
  if (plain === null || typeof plain !== 'object') return undefined;
  try {
    return toWireKey(plain as Record<string, unknown>, rules.table);
  } catch (error) {
    if (error instanceof InvalidKeyError) return undefined;
    throw error;
  }
}

function sortByKey(open: OpenEscalation[]): OpenEscalation[] {
  return open.sort((a, b) => (canonicalJson(a.key) < canonicalJson(b.key) ? -1 : 1));
}
