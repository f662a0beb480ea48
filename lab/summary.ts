/**
 * The summary of a comparison: per run the numbers `npm start` prints side by side and
 * in its JSON line. Everything in a summary follows from the scenario and its seed (real
 * time is kept apart), so the same seed gives the same summary.
 */
import type { SizeStats, WriteUnitsByCause } from './checker';
import type { RunOutcome } from './run';
import type { PartitionSpec, Scenario } from './scenario';
import { formatSpan } from './span';

/** One run's numbers. */
export interface RunSummary {
  readonly operations: number;
  /** Client writes that landed. */
  readonly writes: number;
  readonly failedOperations: number;
  readonly conflicts: number;
  readonly lostUpdates: number;
  /** Lost updates as a percentage of the writes that landed. */
  readonly lostPercent: number;
  readonly lostByKind: Readonly<Record<string, number>>;
  /** Stored versions whose causal context claims a client write they do not hold (see lab/checker.ts). */
  readonly falseClaims: number;
  /** Size of the `_cc` attribute over the final items, in bytes (0 without envelopes). */
  readonly envelopeBytes: SizeStats;
  /** DynamoDB write units per client write: every region's writes, replicated, resolving and refused ones included. */
  readonly writeUnitsPerWrite: number;
  /** The same by cause: client writes, replication, the resolver's writes, refused conditional writes. */
  readonly writeUnitsByCause: WriteUnitsByCause;
  /** Resolution writes that only compacted metadata. */
  readonly compactionWrites: number;
  /** Writes made visible because a metadata bound was reached (quarantined as too large). */
  readonly escalatedForBounds: number;
  readonly converged: boolean;
  readonly divergentItems: number;
  /** 0–1. */
  readonly auditCoverage: number;
  readonly resolutionWrites: number;
  readonly resolutionWritesPerConflict: number;
  readonly loop: boolean;
  /** Virtual ms from the last client write to convergence; null when the regions did not converge. */
  readonly convergenceMs: number | null;
  readonly discardedRecords: number;
  readonly quarantined: number;
  readonly virtualMs: number;
}

/** A comparison's result, as the JSON line prints it. */
export interface ComparisonSummary {
  readonly seed: number;
  readonly ops: number;
  readonly regions: readonly string[];
  readonly faults: string;
  /** Writer instances per region. */
  readonly writers: number;
  /** The largest clock error of a writer instance, ms. */
  readonly skewMs: number;
  /** [min, max] extra delay before a resolver receives a stream batch, ms. */
  readonly resolverLagMs: readonly [number, number];
  /** Virtual time the operations are spread over (operations × mean gap), ms. */
  readonly durationMs: number;
  /** Links cut by `--partition` (the fault level's own partitions are in the report). */
  readonly partitions: readonly PartitionSpec[];
  readonly lww: RunSummary | null;
  readonly concord: RunSummary;
  /** Real ms each run took (not part of what a seed reproduces). */
  readonly realMs: { readonly lww: number | null; readonly concord: number };
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/**
 * The summary of one run.
 *
 * @example
 * summarize(outcome).lostUpdates; // 0 for Concord
 */
export function summarize(outcome: RunOutcome): RunSummary {
  const { check, stats } = outcome;
  return {
    operations: stats.operations,
    writes: check.writes,
    failedOperations: stats.failedOperations,
    conflicts: check.conflicts,
    lostUpdates: check.lostUpdates,
    lostPercent: check.writes === 0 ? 0 : round((100 * check.lostUpdates) / check.writes, 3),
    lostByKind: Object.fromEntries(Object.entries(check.lostByKind).sort(([a], [b]) => a.localeCompare(b))),
    falseClaims: check.falseClaims,
    envelopeBytes: check.envelopeBytes,
    writeUnitsPerWrite: round(check.writeUnitsPerWrite, 3),
    writeUnitsByCause: { client: round(check.writeUnitsByCause.client, 3), replication: round(check.writeUnitsByCause.replication, 3), resolver: round(check.writeUnitsByCause.resolver, 3), refused: round(check.writeUnitsByCause.refused, 3) },
    compactionWrites: check.compactionWrites,
    escalatedForBounds: check.escalatedForBounds,
    converged: check.converged,
    divergentItems: check.divergentKeys.length,
    auditCoverage: round(check.auditCoverage, 4),
    resolutionWrites: check.resolutionWrites,
    resolutionWritesPerConflict: round(check.resolutionWritesPerConflict, 3),
    loop: check.loop,
    convergenceMs: check.convergenceMs,
    discardedRecords: stats.mapping.discardedRecords,
    quarantined: stats.quarantined,
    virtualMs: stats.virtualMs,
  };
}

/**
 * The summary of a comparison.
 *
 * @example
 * const summary = compare(scenario, lwwOutcome, concordOutcome);
 * console.log(JSON.stringify(summary));
 */
export function compare(scenario: Scenario, lww: RunOutcome | undefined, concord: RunOutcome): ComparisonSummary {
  return {
    seed: scenario.seed,
    ops: scenario.operations,
    regions: scenario.regions,
    faults: scenario.faults,
    writers: scenario.writersPerRegion,
    skewMs: scenario.skewMs,
    resolverLagMs: scenario.resolverLagMs,
    durationMs: Math.round(scenario.operations * scenario.meanGapMs),
    partitions: scenario.partitions,
    lww: lww === undefined ? null : summarize(lww),
    concord: summarize(concord),
    realMs: { lww: lww?.stats.realMs ?? null, concord: concord.stats.realMs },
  };
}

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');
const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

/**
 * The rows of the side-by-side table, in the terminal and in the report: a label and how
 * to show a run's value. A row added here shows in both.
 */
const ROWS: readonly (readonly [string, (run: RunSummary) => string])[] = [
  ['operations (landed / failed)', (run) => `${run.writes} / ${run.failedOperations}`],
  ['conflicts', (run) => String(run.conflicts)],
  ['lost updates', (run) => `${run.lostUpdates} (${run.lostPercent.toFixed(2)}%)`],
  ['regions converged', (run) => (run.converged ? 'yes' : `no (${run.divergentItems} items differ)`)],
  ['audit coverage', (run) => percent(run.auditCoverage)],
  ['resolution writes per conflict (compactions)', (run) => `${run.resolutionWritesPerConflict.toFixed(2)} (${run.compactionWrites})`],
  ['rewritten after quiescence (loop)', (run) => yesNo(run.loop)],
  ['last write -> converged', (run) => (run.convergenceMs === null ? 'not converged' : `${run.convergenceMs} ms (virtual)`)],
  ['records discarded / quarantined', (run) => `${run.discardedRecords} / ${run.quarantined}`],
  ['write units per client write', (run) => run.writeUnitsPerWrite.toFixed(2)],
  ['  client / replication / resolver / refused', (run) => [run.writeUnitsByCause.client, run.writeUnitsByCause.replication, run.writeUnitsByCause.resolver, run.writeUnitsByCause.refused].map((units) => units.toFixed(2)).join(' / ')],
  ['envelope bytes (p50 / p99 / max)', (run) => `${run.envelopeBytes.p50} / ${run.envelopeBytes.p99} / ${run.envelopeBytes.max}`],
  ['versions claiming a write they lack', (run) => String(run.falseClaims)],
  ['escalated for metadata bounds', (run) => String(run.escalatedForBounds)],
];

/** A table of cells: the head row, then the body. */
export type Cells = [string, ...string[]][];

/**
 * The side-by-side table as cells: a head row naming the runs, a row per summary row
 * (the lost updates by rule kind under "lost updates"), and the real time.
 *
 * @example
 * comparisonCells(summary)[0]; // ['', 'Global Tables (LWW)', 'Concord']
 */
export function comparisonCells(summary: ComparisonSummary): Cells {
  const runs: [string, RunSummary | null][] = [
    ['Global Tables (LWW)', summary.lww],
    ['Concord', summary.concord],
  ];
  const shown = runs.filter((run): run is [string, RunSummary] => run[1] !== null);
  const kinds = [...new Set(shown.flatMap(([, run]) => Object.keys(run.lostByKind)))].sort();
  const rows: Cells = [['', ...shown.map(([name]) => name)]];
  for (const [label, show] of ROWS) {
    rows.push([label, ...shown.map(([, run]) => show(run))]);
    if (label === 'lost updates') for (const kind of kinds) rows.push([`  ${kind}`, ...shown.map(([, run]) => String(run.lostByKind[kind] ?? 0))]);
  }
  const realMs = [summary.realMs.lww, summary.realMs.concord].filter((ms): ms is number => ms !== null);
  rows.push(['real time', ...realMs.slice(-shown.length).map((ms) => `${(ms / 1000).toFixed(1)} s`)]);
  return rows;
}

/**
 * The side-by-side table `npm start` prints.
 *
 * @example
 * process.stdout.write(formatComparison(summary));
 */
export function formatComparison(summary: ComparisonSummary): string {
  const rows = comparisonCells(summary);
  const columns = Math.max(...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const lines = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] as number)).join('   ').trimEnd());
  const header = `Concord lab: seed ${summary.seed}, ${summary.ops} operations, ${summary.regions.length} regions (${summary.regions.join(', ')}), faults ${summary.faults}`;
  return `${header}\n${settingsText(summary)}\n\n${lines.join('\n')}\n\n${verdict(summary.concord)}\n`;
}

/**
 * The settings of a run beyond its seed, operations, regions and faults, in one line.
 *
 * @example
 * settingsText(summary); // '2 writers per region, clocks off by up to ±500 ms, resolver lag 0 ms, operations over 30s (virtual), no partition asked for'
 */
export function settingsText(summary: Pick<ComparisonSummary, 'writers' | 'skewMs' | 'resolverLagMs' | 'durationMs' | 'partitions'>): string {
  const [minLag, maxLag] = summary.resolverLagMs;
  const partitions = summary.partitions.map(({ a, b, startMs, lengthMs }) => `${a}/${b} cut at ${formatSpan(startMs)} for ${formatSpan(lengthMs)}`);
  return [
    `${summary.writers} writer${summary.writers === 1 ? '' : 's'} per region`,
    `clocks off by up to ±${summary.skewMs} ms`,
    `resolver lag ${minLag === maxLag ? minLag : `${minLag}-${maxLag}`} ms`,
    `operations over ${formatSpan(summary.durationMs)} (virtual)`,
    partitions.length === 0 ? 'no partition asked for' : `partitions: ${partitions.join('; ')}`,
  ].join(', ');
}

/**
 * One sentence on Concord's run: nothing lost and converged, or what went wrong.
 *
 * @example
 * verdict(summary.concord); // 'Concord: nothing lost, every region converged, every conflict audited.'
 */
export function verdict(concord: RunSummary): string {
  const problems = concordProblems(concord).map((problem) => problem.text);
  return problems.length === 0 ? 'Concord: nothing lost, every region converged, every conflict audited.' : `Concord: ${problems.join(', ')}; see the report for each one.`;
}

/** A promise of Concord's that a run broke: which check, and what it found. */
export interface Problem {
  readonly check: 'lostUpdates' | 'falseClaims' | 'converged' | 'auditCoverage' | 'loop';
  readonly text: string;
}

/**
 * What went wrong in a Concord run: lost updates, false claims, regions that differ,
 * conflicts not audited, a loop. Empty when it kept every promise.
 *
 * @example
 * concordProblems(summary.concord); // [{ check: 'lostUpdates', text: '2 lost update(s)' }]
 */
export function concordProblems(concord: RunSummary): Problem[] {
  const problems: (Problem | undefined)[] = [
    concord.lostUpdates > 0 ? { check: 'lostUpdates', text: `${concord.lostUpdates} lost update(s)` } : undefined,
    concord.falseClaims > 0 ? { check: 'falseClaims', text: `${concord.falseClaims} version(s) claiming a write they do not hold` } : undefined,
    concord.converged ? undefined : { check: 'converged', text: `${concord.divergentItems} item(s) differ between regions` },
    concord.auditCoverage < 1 ? { check: 'auditCoverage', text: `audit coverage ${percent(concord.auditCoverage)}` } : undefined,
    concord.loop ? { check: 'loop', text: 'items kept being rewritten (loop)' } : undefined,
  ];
  return problems.filter((problem): problem is Problem => problem !== undefined);
}
