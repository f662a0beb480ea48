/**
 * Shadow rules: candidate rules run beside the real ones on the same conflicts, writing
 * nothing, so that a rules change can be judged on real traffic before it is made.
 * `compareUnderRules` merges one conflict's two versions under both rule sets and says
 * what each would show; `shadowEvents` is the resolver's hook (CONCORD_SHADOW_RULES):
 * after a conflict is resolved, a `ShadowDifference` audit event for every conflict
 * whose outcome the candidate rules would change. `concord shadow` replays recorded
 * conflicts through the same comparison.
 */
import { attributeValuesEqual, type AttributeMap, type AttributeValue } from '../dynamodb/attribute-value';
import type { ItemState } from '../item/state';
import { mergeStates, visibleOf, type MergeResult } from '../merge/merge';
import { ruleFor, entityFor } from '../rules/define-rules';
import type { RuleKind, RuleSet } from '../rules/types';
import { AuditEventType, observationId, recordFields, REDACTED, type AuditEvent } from './audit/events';
import { toPlain, type Json } from './audit/plain';
import type { ResolverContext } from './dependencies';
import { loadRulesModule } from './load-rules';
import type { StreamRecord } from './stream-record';
import { ConflictOutcome, type Resolution } from './write-back';

const VARIABLE = 'CONCORD_SHADOW_RULES';

/** One attribute of a conflict, merged under both rule sets. */
export interface ShadowAttribute {
  readonly attribute: string;
  readonly currentRule: RuleKind;
  readonly candidateRule: RuleKind;
  /** What each merge shows (absent: the attribute is not shown). */
  readonly current?: AttributeValue;
  readonly candidate?: AttributeValue;
  readonly changed: boolean;
}

/** One conflict merged under the current and the candidate rules. */
export interface ShadowComparison {
  readonly entity: string;
  readonly candidateEntity: string;
  /** Every attribute either merge shows or holds. */
  readonly attributes: readonly ShadowAttribute[];
  /** The escalations of each merge (`manual notes`, `invariant onHand >= 0`). */
  readonly escalations: { readonly current: readonly string[]; readonly candidate: readonly string[] };
  readonly deleted: { readonly current: boolean; readonly candidate: boolean };
  /** Why the candidate rules could not merge the conflict (a custom rule that throws); null when they could. */
  readonly candidateError: string | null;
  /** True when the candidate rules would change anything: a value, an escalation, existence, or fail. */
  readonly changed: boolean;
}

/**
 * Merges `local` with `remote` under both rule sets and compares what they show.
 *
 * @throws whatever the current rules' merge throws (the candidate's errors are reported, not thrown)
 * @example
 * const comparison = compareUnderRules(oldState, newState, rules, candidate, { table: 'concord-prod', writtenIn: 'us-east-1' });
 * comparison.attributes.filter((a) => a.changed); // what the candidate would show differently
 */
export function compareUnderRules(local: ItemState, remote: ItemState, current: RuleSet, candidate: RuleSet, options: { readonly table: string; readonly writtenIn?: string }): ShadowComparison {
  const real = mergeStates(local, remote, current, options);
  let shadow: MergeResult | undefined;
  let candidateError: string | null = null;
  try {
    shadow = mergeStates(local, remote, candidate, options);
  } catch (error) {
    candidateError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  const shown = { current: visibleOf(real.item, current), candidate: shadow === undefined ? {} : visibleOf(shadow.item, candidate) };
  const currentEntity = entityFor(current, real.state.key);
  const candidateEntity = entityFor(candidate, real.state.key);
  const names = new Set([...Object.keys(shown.current), ...Object.keys(shown.candidate), ...real.state.registers.keys(), ...real.state.counters.keys(), ...real.state.sets.keys()]);
  const attributes = [...names].sort().map((attribute): ShadowAttribute => {
    const values = { current: member(shown.current, attribute), candidate: member(shown.candidate, attribute) };
    return {
      attribute,
      currentRule: ruleFor(currentEntity, attribute).kind,
      candidateRule: ruleFor(candidateEntity, attribute).kind,
      ...(values.current === undefined ? {} : { current: values.current }),
      ...(values.candidate === undefined ? {} : { candidate: values.candidate }),
      changed: shadow !== undefined && !attributeValuesEqual(values.current, values.candidate),
    };
  });
  const escalations = { current: describeEscalations(real), candidate: shadow === undefined ? [] : describeEscalations(shadow) };
  const deleted = { current: real.deleted, candidate: shadow?.deleted ?? real.deleted };
  const changed = candidateError !== null || attributes.some((a) => a.changed) || escalations.current.join('\n') !== escalations.candidate.join('\n') || deleted.current !== deleted.candidate;
  return { entity: real.entity, candidateEntity: shadow?.entity ?? candidateEntity.name, attributes, escalations, deleted, candidateError, changed };
}

function member(map: AttributeMap, name: string): AttributeValue | undefined {
  return Object.hasOwn(map, name) ? map[name] : undefined;
}

function describeEscalations(result: MergeResult): string[] {
  return result.escalations.map((escalation) => `${escalation.reason} ${escalation.subject}`).sort();
}

/**
 * The candidate rules of CONCORD_SHADOW_RULES, or undefined when it is not set.
 *
 * @throws ConfigurationError naming CONCORD_SHADOW_RULES when the module cannot be loaded
 * @example
 * createResolverHandler({ ...deps, shadowRules: loadShadowRules() });
 */
export function loadShadowRules(env: NodeJS.ProcessEnv = process.env): RuleSet | undefined {
  const path = env[VARIABLE]?.trim();
  return path === undefined || path === '' ? undefined : loadRulesModule(path, VARIABLE);
}

/**
 * The resolver's hook: a `ShadowDifference` event when candidate rules are configured
 * and would change this resolution's outcome; nothing otherwise. It never fails the
 * record: a comparison that throws is logged and skipped.
 *
 * @example
 * events: [conflictEvent(resolution, record, context), ...shadowEvents(resolution, record, context)]
 */
export function shadowEvents(resolution: Resolution, record: StreamRecord, context: ResolverContext): AuditEvent[] {
  const { shadowRules, rules, config } = context;
  if (shadowRules === undefined || resolution.outcome === ConflictOutcome.Superseded) return [];
  try {
    const comparison = compareUnderRules(resolution.local, resolution.remote, rules, shadowRules, { table: config.table, writtenIn: config.region });
    if (!comparison.changed) return [];
    return [
      {
        type: AuditEventType.ShadowDifference,
        detail: {
          // An id of its own (consumers drop duplicates by id); the reason names the conflict.
          conflictId: observationId(AuditEventType.ShadowDifference, config.table, record.key, resolution.conflictId),
          ...recordFields(record, config.table, config.region),
          entity: comparison.entity,
          outcome: 'shadowDifference',
          reason: { conflictId: resolution.conflictId, ...shadowDetail(comparison, rules) },
        },
      },
    ];
  } catch (error) {
    context.logger.warn('shadow rules could not be compared; the resolution stands', { conflictId: resolution.conflictId, error });
    return [];
  }
}

/** What changed, as the event shows it: values only where the rules allow them, redacted names masked. */
function shadowDetail(comparison: ShadowComparison, rules: RuleSet): { [name: string]: Json } {
  const value = (attribute: string, shown: AttributeValue | undefined): Json => (shown === undefined ? null : rules.audit.redact.has(attribute) ? REDACTED : toPlain(shown));
  return {
    candidateEntity: comparison.candidateEntity,
    candidateError: comparison.candidateError,
    attributes: comparison.attributes
      .filter((attribute) => attribute.changed)
      .map((attribute) => ({
        attribute: attribute.attribute,
        rule: attribute.currentRule,
        candidateRule: attribute.candidateRule,
        ...(rules.audit.includeValues ? { current: value(attribute.attribute, attribute.current), candidate: value(attribute.attribute, attribute.candidate) } : {}),
      })),
    escalations: { current: [...comparison.escalations.current], candidate: [...comparison.escalations.candidate] },
    deleted: { current: comparison.deleted.current, candidate: comparison.deleted.candidate },
  };
}
