/**
 * `concord shadow`: "what would these rules have done?". Every recorded conflict (by
 * conflict id: the same conflict resolved in several regions counts once) is merged
 * again from its recorded inputs under the current and the candidate rules
 * (`compareUnderRules`, the resolver's own shadow comparison), and the outcomes are
 * tallied per entity and attribute, with examples. Nothing is written.
 */
import { canonicalJson, type AttributeValue } from '../../../shared/dynamodb/attribute-value';
import { dict } from '../../../shared/dynamodb/dict';
import { compareUnderRules, type ShadowAttribute } from '../../../shared/resolver';
import { AuditEventType, REDACTED } from '../../../shared/resolver/audit/events';
import { toPlain, toPlainMap, type Json } from '../../../shared/resolver/audit/plain';
import type { RuleSet } from '../../../shared/rules/types';
import type { Progress } from '../../progress';
import type { AuditEventSource } from '../audit/audit-events';
import { conflictInputsOf } from './conflict-inputs';

/** The conflict events a shadow run replays. */
export const CONFLICT_EVENT_TYPES = [AuditEventType.ConflictResolved, AuditEventType.ConflictEscalated, AuditEventType.ConflictSuperseded] as const;

/** One changed outcome, as an example. */
export interface ShadowExample {
  readonly conflictId: string;
  readonly key: Json;
  readonly current: Json;
  readonly candidate: Json;
}

/** The tally of one attribute of one entity. */
export interface AttributeTally {
  readonly entity: string;
  readonly attribute: string;
  readonly currentRule: string;
  readonly candidateRule: string;
  /** Conflicts replayed in which the attribute took part. */
  readonly conflicts: number;
  /** Of those, the ones whose outcome for the attribute would change. */
  readonly changed: number;
  readonly examples: readonly ShadowExample[];
}

/** What a shadow run found. */
export interface ShadowReport {
  readonly source: string;
  /** Conflict events read, and distinct conflicts among them. */
  readonly events: number;
  readonly conflicts: number;
  readonly replayed: number;
  /** Conflicts that could not be replayed, by reason. */
  readonly skipped: Readonly<Record<string, number>>;
  /** Replayed conflicts the candidate rules would settle differently (a value, an escalation, existence, a failure). */
  readonly changedConflicts: number;
  readonly escalationChanges: readonly ShadowExample[];
  readonly candidateErrors: readonly ShadowExample[];
  readonly attributes: readonly AttributeTally[];
}

/**
 * Replays every recorded conflict of `source` under both rule sets, once each: from the
 * first of its events (one per resolving region) that carries both versions.
 *
 * @example
 * const report = await shadowReplay(new JsonLinesEvents('audit.jsonl'), rules, candidate, { examples: 3, progress });
 */
export async function shadowReplay(source: AuditEventSource, current: RuleSet, candidate: RuleSet, options: { readonly examples: number; readonly progress: Progress }): Promise<ShadowReport> {
  const replayedIds = new Set<string>();
  /** Conflicts not replayed yet, and why: a later event of the same conflict (another region's) may carry what this one lacked. */
  const skippedIds = new Map<string, string>();
  const tallies = new Map<string, { tally: Omit<AttributeTally, 'examples'>; examples: ShadowExample[] }>();
  const escalationChanges: ShadowExample[] = [];
  const candidateErrors: ShadowExample[] = [];
  let events = 0;
  let replayed = 0;
  let changedConflicts = 0;
  for await (const event of source.events(CONFLICT_EVENT_TYPES)) {
    events += 1;
    options.progress.advance();
    const conflictId = typeof event.detail.conflictId === 'string' ? event.detail.conflictId : `event ${events}`;
    if (replayedIds.has(conflictId)) continue;
    const inputs = conflictInputsOf(event.detail, current);
    if ('missing' in inputs) {
      if (!skippedIds.has(conflictId)) skippedIds.set(conflictId, inputs.missing);
      continue;
    }
    skippedIds.delete(conflictId);
    replayedIds.add(conflictId);
    const comparison = compareUnderRules(inputs.local, inputs.remote, current, candidate, { table: typeof event.detail.table === 'string' ? event.detail.table : '', writtenIn: event.region || undefined });
    replayed += 1;
    if (comparison.changed) changedConflicts += 1;
    const key = toPlainMap(inputs.key);
    if (comparison.candidateError !== null && candidateErrors.length < options.examples) candidateErrors.push({ conflictId, key, current: null, candidate: comparison.candidateError });
    if (comparison.escalations.current.join() !== comparison.escalations.candidate.join() && escalationChanges.length < options.examples) {
      escalationChanges.push({ conflictId, key, current: [...comparison.escalations.current], candidate: [...comparison.escalations.candidate] });
    }
    for (const attribute of comparison.attributes) {
      const id = canonicalJson([comparison.entity, attribute.attribute]);
      const entry = tallies.get(id) ?? { tally: { entity: comparison.entity, attribute: attribute.attribute, currentRule: attribute.currentRule, candidateRule: attribute.candidateRule, conflicts: 0, changed: 0 }, examples: [] };
      entry.tally = { ...entry.tally, conflicts: entry.tally.conflicts + 1, changed: entry.tally.changed + (attribute.changed ? 1 : 0) };
      if (attribute.changed && entry.examples.length < options.examples) entry.examples.push({ conflictId, key, ...shownValues(attribute, current) });
      tallies.set(id, entry);
    }
  }
  const attributes = [...tallies.values()].map(({ tally, examples }) => ({ ...tally, examples })).sort((a, b) => (a.entity === b.entity ? (a.attribute < b.attribute ? -1 : 1) : a.entity < b.entity ? -1 : 1));
  const skipped = dict<number>();
  for (const reason of skippedIds.values()) skipped[reason] = (skipped[reason] ?? 0) + 1;
  return { source: source.name, events, conflicts: replayedIds.size + skippedIds.size, replayed, skipped, changedConflicts, escalationChanges, candidateErrors, attributes };
}

/** The two values, plain; a value the rules redact (or recorded redacted) is shown as such. */
function shownValues(attribute: ShadowAttribute, rules: RuleSet): { current: Json; candidate: Json } {
  const plain = (value: AttributeValue | undefined): Json => (value === undefined ? null : rules.audit.redact.has(attribute.attribute) ? REDACTED : toPlain(value));
  return { current: plain(attribute.current), candidate: plain(attribute.candidate) };
}
