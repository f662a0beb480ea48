/**
 * The checker: what a run's final state and history say, once the run has quiesced.
 * Every judgement about writes rests on the truth of lab/truth.ts (which client writes each
 * stored version really holds), never on Concord's metadata.
 *
 * - Convergence: every region holds the same items, byte for byte.
 * - Lost updates: client writes missing from the final items, and attributes whose value
 *   is not what the rules make of the writes (./losses.ts).
 * - False claims: stored versions whose causal context says they have seen a client write
 *   they do not hold (design §8, I1). Zero is the design's promise.
 * - Conflicts: stream records Concord's detection calls conflicts, by conflict id; audit
 *   coverage is the share of them with an audit event on the central bus (under
 *   `resolveIn: origin`, only those recorded in the old image's own region).
 * - Costs: resolution writes per conflict, write units per client write (every write of
 *   every region, replicated and refused ones included, as DynamoDB counts them), and the
 *   size of the envelope on the final items.
 * - A loop: the run did not quiesce before its deadline.
 */
import { sees } from '../shared/clock/context';
import { canonicalJson, type AttributeMap } from '../shared/dynamodb/attribute-value';
import { classify, Verdict } from '../shared/detect/classify';
import { decodeItem, describeKey } from '../shared/item/state';
import { conflictId } from '../shared/merge/conflict-id';
import { itemSizeBytes } from '../shared/resolver/item-size';
import type { RuleSet } from '../shared/rules/types';
import type { Change } from '../shared/write/change';
import { findLosses, type Loss } from './losses';
import type { CapturedRecord } from './stream';
import { trackTruth, type ClientWrite } from './truth';
import { writeUnits } from './write-units';

/** What the checker reads from a run. */
export interface CheckInput {
  readonly rules: RuleSet;
  readonly table: string;
  readonly regions: readonly string[];
  /** Per region, its items by `canonicalJson(key)`. */
  readonly finalItems: ReadonlyMap<string, ReadonlyMap<string, AttributeMap>>;
  /** Every record of every region's stream, in the order the writes happened. */
  readonly records: readonly CapturedRecord[];
  /** The change each client operation asked for, by operation id. */
  readonly operations: ReadonlyMap<string, Change>;
  /** Conflict ids of the audit events on the central bus. */
  readonly auditedConflictIds: ReadonlySet<string>;
  /** The resolver's `resolveIn`, or `off` for plain Global Tables. */
  readonly resolveIn: 'any' | 'origin' | 'off';
  readonly quiesced: boolean;
  /** Write units of conditional writes DynamoDB refused, over all regions. */
  readonly refusedWriteUnits?: number;
  /** Writes made visible because a metadata bound was reached (quarantined as too large). */
  readonly escalatedForBounds?: number;
}

/** Percentiles of a size, in bytes. */
export interface SizeStats {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Write units per client write, by what spent them. */
export interface WriteUnitsByCause {
  readonly client: number;
  readonly replication: number;
  readonly resolver: number;
  readonly refused: number;
}

/** What the checker found. */
export interface CheckResult {
  /** Client writes that landed. */
  readonly writes: number;
  readonly converged: boolean;
  readonly divergentKeys: readonly string[];
  readonly lostUpdates: number;
  /** Lost writes per rule kind (or `existence`); a write lost on two attributes counts in both. */
  readonly lostByKind: Readonly<Record<string, number>>;
  readonly losses: readonly Loss[];
  /** Stored versions that claim a client write they do not hold. */
  readonly falseClaims: number;
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
  /** The resolution writes that only compacted metadata (the others merge conflicts). */
  readonly compactionWrites: number;
  /** DynamoDB write units per client write that landed. */
  readonly writeUnitsPerWrite: number;
  /** The same, by cause: the client writes themselves, replication, the resolver's writes, refused conditional writes. */
  readonly writeUnitsByCause: WriteUnitsByCause;
  /** Size of the `_cc` attribute over the final items (0 without envelopes). */
  readonly envelopeBytes: SizeStats;
  readonly escalatedForBounds: number;
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
 * Checks a run.
 *
 * @example
 * const result = check({ rules, table, regions, finalItems, records, operations, auditedConflictIds, resolveIn: 'any', quiesced: true });
 * result.lostUpdates; // 0 with Concord
 */
export function check(input: CheckInput): CheckResult {
  const { rules, table, regions, finalItems, records } = input;
  const truth = trackTruth(records, input.operations, rules, table);
  const writesByKey = new Map<string, ClientWrite[]>();
  for (const write of truth.writes) writesByKey.set(write.keyId, [...(writesByKey.get(write.keyId) ?? []), write]);

  const keyIds = new Set<string>();
  for (const items of finalItems.values()) for (const keyId of items.keys()) keyIds.add(keyId);
  const divergentKeys = [...keyIds].filter((keyId) => new Set(regions.map((region) => canonicalJson(finalItems.get(region)?.get(keyId) ?? null))).size > 1).sort();

  const losses: Loss[] = [];
  const lost = new Set<string>();
  const lostByKind: Record<string, Set<string>> = {};
  for (const writes of writesByKey.values()) {
    const { key, keyId } = writes[0] as ClientWrite;
    const seen = new Set<string>();
    for (const region of regions) {
      const past = truth.finalPast.get(region)?.get(keyId) ?? new Set<string>();
      for (const loss of findLosses(rules, key, writes, finalItems.get(region)?.get(keyId), past)) {
        const id = `${loss.attribute ?? ''}|${loss.reason}|${loss.lost.join(',')}`;
        if (!seen.has(id)) {
          seen.add(id);
          losses.push(loss);
        }
        for (const write of loss.lost) {
          lost.add(write);
          (lostByKind[loss.kind] ??= new Set()).add(write);
        }
      }
    }
  }

  let falseClaims = 0;
  for (const { record, past } of truth.versions) {
    const image = record.newImage as AttributeMap;
    if (!Object.hasOwn(image, rules.table.envelopeAttribute)) continue;
    const context = decodeItem(image, rules.table, record.key).context;
    for (const write of writesByKey.get(record.keyId) ?? []) if (!past.has(write.id) && sees(context, write.dot)) falseClaims += 1;
  }

  const perWrite = (units: number): number => (truth.writes.length === 0 ? 0 : units / truth.writes.length);
  const conflicts = new Set<string>();
  const toAudit = new Set<string>();
  let conflictRecords = 0;
  let resolutionWrites = 0;
  const spent = { client: 0, replication: 0, resolver: 0, refused: input.refusedWriteUnits ?? 0 };
  for (const captured of records) {
    const cause = captured.origin !== 'local' ? 'replication' : captured.operation === undefined ? 'resolver' : 'client';
    spent[cause] += writeUnits(captured.oldImage, captured.newImage);
    if (captured.origin === 'local' && captured.operation === undefined && captured.newImage !== undefined) resolutionWrites += 1;
    if (captured.oldImage === undefined || captured.newImage === undefined) continue;
    if (classify(captured.record, rules.table).verdict !== Verdict.Conflict) continue;
    conflictRecords += 1;
    const old = decodeItem(captured.oldImage, rules.table, captured.key);
    const id = conflictId(table, captured.key, old.context, decodeItem(captured.newImage, rules.table, captured.key).context);
    conflicts.add(id);
    if (input.resolveIn !== 'origin' || old.by === captured.region) toAudit.add(id);
  }
  const audited = [...toAudit].filter((id) => input.auditedConflictIds.has(id)).length;

  const lastClientWriteAt = truth.writes.reduce<number | undefined>((latest, write) => Math.max(latest ?? write.at, write.at), undefined);
  const lastChangeAt = records.reduce<number | undefined>((latest, captured) => Math.max(latest ?? captured.at, captured.at), undefined);
  const converged = divergentKeys.length === 0;
  const loopingKeys = input.quiesced || lastChangeAt === undefined ? [] : [...new Set(records.filter((captured) => captured.at > lastChangeAt - LOOP_WINDOW_MS).map((captured) => describeKey(captured.key)))].sort();
  return {
    writes: truth.writes.length,
    converged,
    divergentKeys: divergentKeys.map((keyId) => describeKey(JSON.parse(keyId) as AttributeMap)),
    lostUpdates: lost.size,
    lostByKind: Object.fromEntries(Object.entries(lostByKind).map(([kind, ids]) => [kind, ids.size])),
    losses,
    falseClaims,
    conflicts: conflicts.size,
    conflictRecords,
    conflictsToAudit: toAudit.size,
    auditedConflicts: audited,
    auditCoverage: toAudit.size === 0 ? 1 : audited / toAudit.size,
    resolutionWrites,
    resolutionWritesPerConflict: conflicts.size === 0 ? 0 : resolutionWrites / conflicts.size,
    compactionWrites: truth.compactions,
    writeUnitsPerWrite: perWrite(spent.client + spent.replication + spent.resolver + spent.refused),
    writeUnitsByCause: { client: perWrite(spent.client), replication: perWrite(spent.replication), resolver: perWrite(spent.resolver), refused: perWrite(spent.refused) },
    envelopeBytes: envelopeSizes(finalItems, rules.table.envelopeAttribute),
    escalatedForBounds: input.escalatedForBounds ?? 0,
    loop: !input.quiesced,
    loopingKeys,
    lastClientWriteAt,
    lastChangeAt,
    convergenceMs: converged && lastClientWriteAt !== undefined && lastChangeAt !== undefined ? Math.max(0, lastChangeAt - lastClientWriteAt) : null,
  };
}

/** The p50, p99 and largest size of the envelope attribute over every region's final items. */
function envelopeSizes(finalItems: ReadonlyMap<string, ReadonlyMap<string, AttributeMap>>, envelopeAttribute: string): SizeStats {
  const sizes: number[] = [];
  for (const items of finalItems.values()) {
    for (const item of items.values()) {
      const envelope = item[envelopeAttribute];
      sizes.push(envelope === undefined ? 0 : itemSizeBytes({ [envelopeAttribute]: envelope }));
    }
  }
  sizes.sort((a, b) => a - b);
  const at = (share: number): number => sizes[Math.min(sizes.length - 1, Math.ceil(share * sizes.length) - 1)] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sizes.at(-1) ?? 0 };
}
