/**
 * `concord resolve`: an operator settles an escalated attribute by a write that
 * causally follows every sibling. The write is the core's own (`applyWrite` of a set,
 * or a removal, in the operator's region, on the item as read), so it has seen every
 * concurrent write the item holds and replaces them all; it is put only if the item is
 * still the version read (condition on `wid`), and is audited as `ConflictResolved`
 * naming the operator.
 */
import { latestSeen, summarize } from '../../../shared/clock/context';
import { randomTag, type Dot } from '../../../shared/clock/dot';
import { HybridClock } from '../../../shared/clock/hlc';
import type { AttributeMap, AttributeValue } from '../../../shared/dynamodb/attribute-value';
import { ResolutionRefusedError } from '../../../shared/errors';
import { encodeItem } from '../../../shared/item/encode';
import { decodeItem, describeKey, type ItemState } from '../../../shared/item/state';
import { projectMerge } from '../../../shared/merge/merge';
import { AuditEventType, attributeDetails, compareAttributes, observationId, versionOf, type AuditEvent } from '../../../shared/resolver/audit/events';
import { toPlainMap, type Json } from '../../../shared/resolver/audit/plain';
import { widIs, type ItemStore } from '../../../shared/resolver/item-store';
import type { RuleSet } from '../../../shared/rules/types';
import { applyWrite, nextWriteTick } from '../../../shared/write/apply-write';
import type { Change } from '../../../shared/write/change';
import { toWireValue } from '../../../shared/writer/values';
import { toPlain } from '../../../shared/resolver/audit/plain';

/** What the operator asks. */
export interface ResolveRequest {
  readonly table: string;
  readonly key: AttributeMap;
  readonly attribute: string;
  /** A sibling (`#2`, its dot, or a prefix of its dot) or a value (JSON, or a bare string). */
  readonly pick: string;
  /** Where the write is made: the operator's region. */
  readonly region: string;
  readonly operator: string;
}

/** What the operator picked. */
export type Pick = { readonly kind: 'sibling'; readonly dot: Dot; readonly value: AttributeValue | null } | { readonly kind: 'value'; readonly value: AttributeValue };

/** A resolution, written or (dry run) not. */
export interface Resolution {
  readonly picked: Pick;
  /** The concurrent writes it replaced. */
  readonly siblings: readonly Dot[];
  readonly before: ItemState;
  readonly after: ItemState;
  readonly image: AttributeMap;
  /** The audit event (published only when written). */
  readonly event: AuditEvent;
  /** Conditional puts attempted (0 on a dry run). */
  readonly writes: number;
}

/** What a resolution needs. */
export interface ResolveContext {
  readonly store: ItemStore;
  readonly rules: RuleSet;
  readonly now: () => number;
  /** Compute and show, write nothing. */
  readonly dryRun: boolean;
}

const MAX_WRITES = 3;
const WRITER = 'concord-resolve';

/**
 * Settles one escalated attribute.
 *
 * @throws ResolutionRefusedError when there is no item, nothing to resolve, no such sibling, or the item kept changing
 * @throws InvalidWriteError when the rules refuse the picked value
 * @example
 * const resolution = await resolveEscalation({ table, key, attribute: 'notes', pick: '#2', region: 'us-east-1', operator: 'ana' }, { store, rules, now: Date.now, dryRun: false });
 */
export async function resolveEscalation(request: ResolveRequest, context: ResolveContext): Promise<Resolution> {
  const clock = new HybridClock({ now: context.now, maxOffsetMs: context.rules.table.maxClockOffsetMs });
  for (let writes = 1; ; writes += 1) {
    const before = await readState(request, context);
    const siblings = [...(before.registers.get(request.attribute)?.keys() ?? [])].sort();
    const picked = pickOf(request, before, siblings);
    const change: Change = picked.value === null ? { type: 'update', remove: [request.attribute] } : { type: 'update', set: { [request.attribute]: picked.value } };
    const { tick, newEpoch } = nextWriteTick(clock, before, request.region);
    const applied = applyWrite(before, change, { region: request.region, clock: tick.clock, writer: WRITER, tags: randomTag, newEpoch }, context.rules);
    const resolution = { picked, siblings, before, after: applied.state, image: applied.image, event: resolvedEvent(request, before, applied.state, picked, siblings, context.rules) };
    if (context.dryRun) return { ...resolution, writes: 0 };
    if (await context.store.put(applied.image, request.key, widIs(context.rules.table, before.wid))) return { ...resolution, writes };
    if (writes >= MAX_WRITES) throw new ResolutionRefusedError(describeKey(request.key), request.attribute, `the item changed under each of ${writes} attempts; inspect it again`);
  }
}

async function readState(request: ResolveRequest, context: ResolveContext): Promise<ItemState> {
  const image = await context.store.get(request.key);
  const refuse = (reason: string): never => {
    throw new ResolutionRefusedError(describeKey(request.key), request.attribute, reason);
  };
  if (image === undefined) return refuse('there is no such item');
  const state = decodeItem(image, context.rules.table, request.key);
  if (!state.versioned) return refuse('the item has no envelope (written without Concord): adopt the table first');
  const { escalations } = projectMerge(state, context.rules, [{}, {}]);
  if (escalations.length === 0) return refuse('nothing to resolve: no manual attribute holds siblings and no invariant is violated');
  const concerned = escalations.some((escalation) => escalation.reason === 'invariant' || escalation.subject === request.attribute);
  if (!concerned) return refuse(`this attribute is not escalated; the item's escalations are ${escalations.map((e) => `${e.reason} ${e.subject}`).join(', ')}`);
  return state;
}

/** The sibling `#n`, a sibling by its dot or a unique prefix of it, or else a value. */
function pickOf(request: ResolveRequest, state: ItemState, siblings: readonly Dot[]): Pick {
  const register = state.registers.get(request.attribute);
  const sibling = (dot: Dot): Pick => ({ kind: 'sibling', dot, value: register?.get(dot) ?? null });
  const index = /^#(\d+)$/.exec(request.pick);
  if (index !== null) {
    const dot = siblings[Number(index[1]) - 1];
    if (dot === undefined || siblings.length < 2) throw new ResolutionRefusedError(describeKey(request.key), request.attribute, `there is no sibling ${request.pick}: the attribute holds ${siblings.length} write(s) (concord inspect lists them)`);
    return sibling(dot);
  }
  const byDot = siblings.length > 1 ? siblings.filter((dot) => dot.startsWith(request.pick)) : [];
  if (byDot.length === 1) return sibling(byDot[0] as Dot);
  if (byDot.length > 1) throw new ResolutionRefusedError(describeKey(request.key), request.attribute, `${request.pick} names ${byDot.length} siblings; give more of the dot, or #n`);
  return { kind: 'value', value: toWireValue(parseValue(request.pick), request.attribute) };
}

/** JSON when it parses (`42`, `"x"`, `["a"]`), else the text itself as a string. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function resolvedEvent(request: ResolveRequest, before: ItemState, after: ItemState, picked: Pick, siblings: readonly Dot[], rules: RuleSet): AuditEvent {
  const shownBefore = encodeItem(before, rules);
  const shownAfter = encodeItem(after, rules);
  const sides = { local: shownBefore.visible, remote: {}, merged: shownAfter.visible };
  const reports = compareAttributes(shownAfter.entity, sides);
  const resolved = reports[request.attribute];
  const pickedDetail: Json = picked.kind === 'sibling' ? { sibling: picked.dot } : { value: rules.audit.includeValues && !rules.audit.redact.has(request.attribute) ? toPlain(picked.value) : '[not recorded]' };
  return {
    type: AuditEventType.ConflictResolved,
    detail: {
      conflictId: observationId(AuditEventType.ConflictResolved, request.table, request.key, 'operator', before.wid, after.wid),
      table: request.table,
      key: toPlainMap(request.key),
      region: request.region,
      entity: shownAfter.entity.name,
      outcome: 'resolved',
      local: versionOf(before),
      remote: null,
      merged: { ...summarize(after.context), hlc: latestSeen(after.context) ?? '' },
      attributes: resolved === undefined ? {} : attributeDetails(rules, { [request.attribute]: resolved }, sides),
      escalations: [],
      record: {},
      reason: { resolvedBy: 'operator', operator: request.operator, attribute: request.attribute, siblings: [...siblings], picked: pickedDetail },
    },
  };
}
