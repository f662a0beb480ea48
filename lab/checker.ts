/**
 * The checker: what a run's final state and history say, once the run has quiesced.
 *
 * - Convergence: every region holds the same items, byte for byte (the whole canonical
 *   item, `_cc.wid` included: replication settles each item on the write with the
 *   latest replication timestamp, so converged regions hold that very version; comparing
 *   without `wid` would hide regions that settled on different versions of equal state).
 * - Lost updates: the oracle of every client write, per rule (./losses.ts).
 * - Conflicts: the stream records Concord's detection classifies as conflicts (an old
 *   image holding writes the new one lacks), by conflict id; audit coverage is the share
 *   of them with an audit event on the central bus (under `resolveIn: origin`, only those
 *   recorded in the old image's own region are the resolver's to audit).
 * - Resolution writes (local writes whose `wid` is a conflict id, not a clock) per conflict.
 * - A loop: the run did not quiesce before its deadline (some item kept being rewritten).
 * - False claims: client writes whose version vector claims an earlier write of their own
 *   region that the item they were applied to did not hold. Global Tables can overwrite a
 *   region's own write in that region (a concurrent replicated write wins LWW there); a
 *   later write in the region then takes a larger clock, and `vv[region]` covers the lost
 *   write as if it had been seen. Losses on items with a false claim are told apart
 *   (`lostOnFalseClaims`), so that this cause is visible, not hidden.
 */
import type { Clock } from '../shared/clock/hlc';
import { isClock } from '../shared/clock/hlc';
import { canonicalJson, type AttributeMap } from '../shared/dynamodb/attribute-value';
import { classify, Verdict } from '../shared/detect/classify';
import { contextOf, decodeItem, describeKey } from '../shared/item/state';
import { sees, type CausalContext } from '../shared/clock/context';
import type { WriteEvent } from '../shared/laws/histories';
import { conflictId } from '../shared/merge/conflict-id';
import type { RuleSet } from '../shared/rules/types';
import type { Change } from '../shared/write/change';
import { findLosses, type Loss } from './losses';
import { WriteOrigin, type CapturedRecord } from './stream';

/** What the checker reads from a run. */
export interface CheckInput {
  readonly rules: RuleSet;
  readonly table: string;
  readonly regions: readonly string[];
  /** Per region, its items by `canonicalJson(key)`. */
  readonly finalItems: ReadonlyMap<string, ReadonlyMap<string, AttributeMap>>;
  /** Every record of every region's stream. */
  readonly records: readonly CapturedRecord[];
  /** The changes the clients asked for, by {@link clientWriteId} of the write that made them. */
  readonly clientChanges: ReadonlyMap<string, Change>;
  /** Conflict ids of the audit events on the central bus. */
  readonly auditedConflictIds: ReadonlySet<string>;
  /** The resolver's `resolveIn`, or `off` for plain Global Tables. */
  readonly resolveIn: 'any' | 'origin' | 'off';
  readonly quiesced: boolean;
}

/** What the checker found. */
export interface CheckResult {
  /** Client writes that landed (the oracle's input). */
  readonly writes: number;
  /** Local writes with a clock as `wid` that no client operation claims (e.g. another tool's). */
  readonly unattributedWrites: number;
  readonly converged: boolean;
  readonly divergentKeys: readonly string[];
  readonly lostUpdates: number;
  /** Lost writes per rule kind (or `existence`); a write lost on two attributes counts in both. */
  readonly lostByKind: Readonly<Record<string, number>>;
  readonly losses: readonly Loss[];
  /** Client writes whose version vector claims an earlier write of their region they did not hold. */
  readonly falseClaims: number;
  /** Lost updates on items that had a false claim (see the module notes). */
  readonly lostOnFalseClaims: number;
  /** Distinct conflicts (by conflict id). */
  readonly conflicts: number;
  readonly conflictRecords: number;
  /** Conflicts the resolver had to audit, and those with an audit event. */
  readonly conflictsToAudit: number;
  readonly auditedConflicts: number;
  /** 0–1; 1 when there was nothing to audit. */
  readonly auditCoverage: number;
  readonly resolutionWrites: number;
  readonly resolutionWritesPerConflict: number;
  readonly loop: boolean;
  /** Keys written in the last virtual second when the run did not quiesce. */
  readonly loopingKeys: readonly string[];
  readonly lastClientWriteAt: number | undefined;
  readonly lastChangeAt: number | undefined;
  /** Virtual ms from the last client write to the last change anywhere; null if not converged. */
  readonly convergenceMs: number | null;
}

const LOOP_WINDOW_MS = 1_000;

/**
 * Names a client write: its item and its dot. A dot alone is not enough, since two
 * writers of one region each have a clock and may issue the same dot to different items.
 *
 * @example
 * clientWriteId(canonicalJson(key), result.clock);
 */
export function clientWriteId(keyId: string, dot: Clock): string {
  return `${keyId}\n${dot}`;
}

function wid(image: AttributeMap | undefined, envelopeAttribute: string): string | undefined {
  const envelope = image?.[envelopeAttribute];
  const value = envelope !== undefined && 'M' in envelope ? envelope.M.wid : undefined;
  return value !== undefined && 'S' in value ? value.S : undefined;
}

/**
 * Checks a run.
 *
 * @example
 * const result = check({ rules, table, regions, finalItems, records, clientChanges, auditedConflictIds, resolveIn: 'any', quiesced: true });
 * result.lostUpdates; // 0 with Concord
 */
export function check(input: CheckInput): CheckResult {
  const { rules, table, regions, finalItems, records } = input;
  const envelope = rules.table.envelopeAttribute;

  const writesByKey = new Map<string, { key: AttributeMap; writes: WriteEvent[] }>();
  const falseClaims = new FalseClaims();
  let unattributedWrites = 0;
  let resolutionWrites = 0;
  let lastClientWriteAt: number | undefined;
  for (const captured of records) {
    if (captured.origin !== WriteOrigin.Local || captured.newImage === undefined) continue;
    const id = wid(captured.newImage, envelope);
    if (id === undefined) continue;
    if (!isClock(id)) {
      resolutionWrites += 1;
      continue;
    }
    const change = input.clientChanges.get(clientWriteId(captured.keyId, id));
    if (change === undefined) {
      unattributedWrites += 1;
      continue;
    }
    const seen = captured.oldImage === undefined ? NOTHING_SEEN : contextOf(decodeItem(captured.oldImage, rules.table, captured.key));
    const after = captured.newImage === undefined ? seen : contextOf(decodeItem(captured.newImage, rules.table, captured.key));
    falseClaims.observe(captured, id, seen, after);
    const entry = writesByKey.get(captured.keyId) ?? { key: captured.key, writes: [] };
    entry.writes.push({ dot: id, region: captured.region, seen, change });
    writesByKey.set(captured.keyId, entry);
    lastClientWriteAt = Math.max(lastClientWriteAt ?? captured.at, captured.at);
  }

  const keyIds = new Set<string>();
  for (const items of finalItems.values()) for (const keyId of items.keys()) keyIds.add(keyId);
  const divergentKeys = [...keyIds].filter((keyId) => new Set(regions.map((region) => canonicalJson(finalItems.get(region)?.get(keyId) ?? null))).size > 1).sort();

  const losses: Loss[] = [];
  const lostDots = new Set<Clock>();
  const lostOnFalseClaims = new Set<Clock>();
  const lostByKind: Record<string, Set<Clock>> = {};
  for (const { key, writes } of writesByKey.values()) {
    const seenLosses = new Set<string>();
    for (const region of regions) {
      for (const loss of findLosses(rules, key, writes, finalItems.get(region)?.get(canonicalJson(key)))) {
        const id = `${loss.attribute ?? ''}|${loss.reason}`;
        if (!seenLosses.has(id)) {
          seenLosses.add(id);
          losses.push(loss);
        }
        for (const dot of loss.lost) {
          lostDots.add(dot);
          if (falseClaims.keys.has(canonicalJson(key))) lostOnFalseClaims.add(dot);
          (lostByKind[loss.kind] ??= new Set()).add(dot);
        }
      }
    }
  }

  const conflicts = new Set<string>();
  const toAudit = new Set<string>();
  let conflictRecords = 0;
  for (const captured of records) {
    if (captured.oldImage === undefined || captured.newImage === undefined) continue;
    if (classify(captured.record, { envelopeAttribute: envelope }).verdict !== Verdict.Conflict) continue;
    conflictRecords += 1;
    const old = decodeItem(captured.oldImage, rules.table, captured.key);
    const id = conflictId(table, captured.key, old.vv, decodeItem(captured.newImage, rules.table, captured.key).vv);
    conflicts.add(id);
    if (input.resolveIn !== 'origin' || old.by === captured.region) toAudit.add(id);
  }
  const audited = [...toAudit].filter((id) => input.auditedConflictIds.has(id)).length;

  const lastChangeAt = records.reduce<number | undefined>((latest, captured) => Math.max(latest ?? captured.at, captured.at), undefined);
  const converged = divergentKeys.length === 0;
  const loopingKeys = input.quiesced || lastChangeAt === undefined ? [] : [...new Set(records.filter((captured) => captured.at > lastChangeAt - LOOP_WINDOW_MS).map((captured) => describeKey(captured.key)))].sort();
  return {
    writes: [...writesByKey.values()].reduce((sum, entry) => sum + entry.writes.length, 0),
    unattributedWrites,
    converged,
    divergentKeys: divergentKeys.map((keyId) => describeKey(JSON.parse(keyId) as AttributeMap)),
    lostUpdates: lostDots.size,
    lostByKind: Object.fromEntries(Object.entries(lostByKind).map(([kind, dots]) => [kind, dots.size])),
    losses,
    falseClaims: falseClaims.count,
    lostOnFalseClaims: lostOnFalseClaims.size,
    conflicts: conflicts.size,
    conflictRecords,
    conflictsToAudit: toAudit.size,
    auditedConflicts: audited,
    auditCoverage: toAudit.size === 0 ? 1 : audited / toAudit.size,
    resolutionWrites,
    resolutionWritesPerConflict: conflicts.size === 0 ? 0 : resolutionWrites / conflicts.size,
    loop: !input.quiesced,
    loopingKeys,
    lastClientWriteAt,
    lastChangeAt,
    convergenceMs: converged && lastClientWriteAt !== undefined && lastChangeAt !== undefined ? Math.max(0, lastChangeAt - lastClientWriteAt) : null,
  };
}

const NOTHING_SEEN: CausalContext = { vv: {}, gaps: {} };

/**
 * Finds client writes that claim an earlier write of their region without holding it:
 * the write's version has seen an earlier dot `d` of its region for the same item that
 * the version it was applied to had not seen. Records must come in stream order per
 * region.
 */
class FalseClaims {
  readonly keys = new Set<string>();
  count = 0;
  /** Per region and item, the dots of the client writes made there so far. */
  private readonly issued = new Map<string, Clock[]>();

  observe(captured: CapturedRecord, dot: Clock, before: CausalContext, after: CausalContext): void {
    const id = `${captured.region}\n${captured.keyId}`;
    const earlier = this.issued.get(id) ?? [];
    if (earlier.some((previous) => !sees(before, previous) && sees(after, previous))) {
      this.count += 1;
      this.keys.add(captured.keyId);
    }
    earlier.push(dot);
    this.issued.set(id, earlier);
  }
}
