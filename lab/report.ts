/**
 * The lab's HTML report: one self-contained page (inline CSS and SVG, no script, nothing
 * fetched) with both runs side by side: the summary, lost updates by rule kind,
 * convergence, writes and conflicts over time per region, each lost update, and the
 * details behind them. It fits a 1,400-pixel-wide window: long values wrap, every chart
 * has labelled axes and a one-sentence caption.
 *
 * To show a new number: a row of `ROWS` in summary.ts shows in the terminal and in the
 * summary here; a row of `DETAIL_ROWS` below shows in "Run details" only; a metric the
 * resolver emits shows in "Resolver metrics" by itself (explain it in `METRIC_MEANINGS`).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Loss } from './losses';
import type { MetricTotal } from './resolver';
import type { RunOutcome } from './run';
import { RunMode, type Scenario } from './scenario';
import { compare, comparisonCells, settingsText, verdict } from './summary';
import { escapeHtml, groupedBarChart, lineChart, type Series } from './svg';
import type { Timeline } from './timeline';

const REGION_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#17becf'];
const RUN_COLORS = { lww: '#c62828', concord: '#2e7d32' } as const;
const RUN_NAMES = { lww: 'Global Tables (LWW)', concord: 'Concord' } as const;
const MAX_LOSSES_LISTED = 100;
const TIME_AXIS = 'virtual time since the first write (s)';

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1360px;padding:0 1rem;color:#222}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
.lead{color:#555}.verdict{font-weight:600}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:1rem}
table{border-collapse:collapse;margin:.5rem 0;max-width:100%}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#f6f8fa}th .sub{font-weight:normal;padding-left:1.5em}code{font-size:12px;overflow-wrap:anywhere}
ul.pairs{list-style:none;margin:0;padding:0}.none{color:#777}.meaning{color:#555}
figure{margin:0}figcaption{color:#444;font-size:13px;margin:.3rem .2rem 0}
svg.chart{width:100%;height:auto;background:#fff;border:1px solid #eee;border-radius:4px}
svg text{font-size:11px;fill:#444}svg .title{font-size:13px;font-weight:600;fill:#222}svg .axis-label{font-size:11px;fill:#222}
svg .grid{stroke:#eee}svg .marker{stroke:#999;stroke-dasharray:4 3}svg .marker-label{fill:#777}svg .value{font-size:10px}
`;

/** What the report shows. */
export interface ReportInput {
  readonly scenario: Scenario;
  readonly lww: RunOutcome | undefined;
  readonly concord: RunOutcome;
}

/** A table cell's value: text, or counts by name (shown one per line; none when empty). */
type Cell = string | number | Readonly<Record<string, number>>;

/** One row of "Run details": a label and the value of a run. */
type DetailRow = readonly [label: string, value: (run: RunOutcome) => Cell];

const DETAIL_ROWS: readonly DetailRow[] = [
  ['stream records (all regions)', (o) => o.stats.records],
  ['replicated writes delivered', (o) => o.stats.replication.delivered],
  ['replicated writes dropped by LWW (no record)', (o) => o.stats.replication.droppedByLww],
  ['writes coalesced before replication', (o) => o.stats.replication.coalesced],
  ['deliveries held by a partition', (o) => o.stats.replication.heldByPartition],
  ['DynamoDB calls throttled', (o) => o.stats.throttledCalls],
  ['failed client operations, by error', (o) => o.stats.failuresByError],
  ['resolver invocations', (o) => o.stats.mapping.invocations],
  ['failed invocations (whole / partial)', (o) => `${o.stats.mapping.failedInvocations} / ${o.stats.mapping.partialFailures}`],
  ['bisections', (o) => o.stats.mapping.bisections],
  ['injected: crashes / duplicate batches / re-deliveries', (o) => `${o.stats.mapping.crashes} / ${o.stats.mapping.duplicates} / ${o.stats.mapping.redeliveries}`],
  ['audit entries failed (injected)', (o) => o.stats.failedAuditEntries],
  ['audit events on the central bus', (o) => o.stats.auditEvents],
  ['audit events, by type', (o) => o.stats.auditByType],
  ['conflicts to audit / audited', (o) => `${o.check.conflictsToAudit} / ${o.check.auditedConflicts}`],
  ['false claims (versions claiming a write they do not hold)', (o) => o.check.falseClaims],
  ['on-failure messages / quarantined records', (o) => `${o.stats.onFailureMessages} / ${o.stats.quarantined}`],
  ['virtual time / real time', (o) => `${(o.stats.virtualMs / 1000).toFixed(1)} s / ${(o.stats.realMs / 1000).toFixed(1)} s`],
];

/** What each of the resolver's metrics counts (README, "Logs and metrics"). */
const METRIC_MEANINGS: Readonly<Record<string, string>> = {
  RecordsSeen: 'stream records the resolver read',
  Conflicts: 'records whose old image held writes the new one lacks',
  Resolved: 'conflicts merged and written back',
  Escalated: 'conflicts merged and written back that need a person (a manual attribute, a broken invariant)',
  Superseded: 'conflicts a later write had already settled: nothing written',
  Quarantined: 'records that can never succeed, sent to the quarantine queue',
  RecordsFailed: 'records reported failed to Lambda, to be retried',
  WriteRetries: 'write-backs tried again because the item changed meanwhile',
  UnversionedOverwrites: 'items overwritten by a client without Concord',
  HardDeletes: 'items deleted without a tombstone',
  Skipped: 'records with nothing to do (inserts, successors, TTL removals, items without Concord)',
  AuditEventsPublished: 'audit events put on the regional bus',
  AuditEventsFailed: 'audit events the bus refused after every retry',
  PutEventsCalls: 'EventBridge PutEvents calls (up to 10 events each)',
};

/** The resolver's one metric that is a duration per conflict, not a count. */
const RESOLUTION_LAG = 'ResolutionLagMs';

function cellHtml(value: Cell): string {
  if (typeof value !== 'object') return escapeHtml(String(value));
  const entries = Object.entries(value);
  if (entries.length === 0) return '<span class="none">none</span>';
  return `<ul class="pairs">${entries.map(([name, count]) => `<li>${escapeHtml(name)}: ${count}</li>`).join('')}</ul>`;
}

function tableHtml(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return `<table><tr>${head.map((cell) => `<th>${cell}</th>`).join('')}</tr>${rows.map(([label, ...cells]) => `<tr><th>${label}</th>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('')}</table>`;
}

/** The summary of summary.ts as a table; a label indented there (a rule kind under "lost updates") is indented here. */
function summaryTable(input: ReportInput): string {
  const [head, ...rows] = comparisonCells(compare(input.scenario, input.lww, input.concord));
  const label = (text: string): string => (text.startsWith(' ') ? `<span class="sub">${escapeHtml(text.trim())}</span>` : escapeHtml(text));
  return tableHtml((head ?? ['']).map(escapeHtml), rows.map(([first, ...cells]) => [label(first), ...cells.map(escapeHtml)]));
}

/** The x axis of a run's time charts: seconds since the first write, one label per bucket. */
function seconds(timeline: Timeline): string[] {
  return Array.from({ length: timeline.buckets }, (_, index) => ((index * timeline.bucketMs) / 1000).toFixed(timeline.bucketMs < 1000 ? 1 : 0));
}

function regionSeries(outcome: RunOutcome, regions: readonly string[], pick: 'clientWrites' | 'conflicts' | 'resolutionWrites'): Series[] {
  return regions.map((region, index) => ({ name: region, color: REGION_COLORS[index % REGION_COLORS.length] as string, values: outcome.timeline.regions[region]?.[pick] ?? [] }));
}

function lastWriteMarker(outcome: RunOutcome): { at: number; label: string } | undefined {
  const { lastClientWriteAt } = outcome.check;
  const { timeline } = outcome;
  if (lastClientWriteAt === undefined) return undefined;
  return { at: Math.min(timeline.buckets - 1, Math.floor((lastClientWriteAt - timeline.startMs) / timeline.bucketMs)), label: 'last client write' };
}

/** A chart and the one sentence that says what to read in it. */
function figure(chart: string, caption: string): string {
  return `<figure>${chart}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

function runCharts(outcome: RunOutcome, regions: readonly string[]): string {
  const name = RUN_NAMES[outcome.mode];
  const common = { xLabels: seconds(outcome.timeline), marker: lastWriteMarker(outcome), xLabel: TIME_AXIS };
  const perBucket = `per ${outcome.timeline.bucketMs} ms`;
  const charts = [
    figure(
      lineChart({ ...common, title: `${name}: client writes per region`, series: regionSeries(outcome, regions, 'clientWrites'), yLabel: `client writes ${perBucket}` }),
      'How many application writes landed in each region in each slice of time; after the dashed line (the last one) only replication and the resolver write.',
    ),
    figure(
      lineChart({ ...common, title: `${name}: conflicts per region (stream records)`, series: regionSeries(outcome, regions, 'conflicts'), yLabel: `conflicting records ${perBucket}` }),
      "How many times a region's stream showed an update overwritten by a concurrent one from another region; plain Global Tables leave each such update lost, Concord merges it back.",
    ),
  ];
  if (outcome.check.resolutionWrites > 0) {
    charts.push(
      figure(
        lineChart({ ...common, title: `${name}: resolution writes per region`, series: regionSeries(outcome, regions, 'resolutionWrites'), yLabel: `merged items written ${perBucket}` }),
        "How many merged items the resolver wrote back in each region; they follow the conflicts closely and stop soon after the last client write, once every region holds the merge.",
      ),
    );
  }
  return charts.join('\n');
}

function lossTable(outcome: RunOutcome): string {
  const losses: readonly Loss[] = outcome.check.losses;
  if (losses.length === 0) return `<p>${RUN_NAMES[outcome.mode]}: no lost update.</p>`;
  const rows = losses
    .slice(0, MAX_LOSSES_LISTED)
    .map((loss) => `<tr><td><code>${escapeHtml(loss.key)}</code></td><td>${escapeHtml(loss.attribute ?? '(the item)')}</td><td>${escapeHtml(loss.kind)}</td><td><code>${escapeHtml(loss.expected)}</code></td><td><code>${escapeHtml(loss.actual)}</code></td><td>${loss.lost.map((dot) => `<code>${escapeHtml(dot)}</code>`).join('<br>')}</td></tr>`)
    .join('');
  const more = losses.length > MAX_LOSSES_LISTED ? `<p>… and ${losses.length - MAX_LOSSES_LISTED} more.</p>` : '';
  return `<h3>${RUN_NAMES[outcome.mode]}: ${outcome.check.lostUpdates} lost update(s)</h3><table><tr><th>item</th><th>attribute</th><th>rule</th><th>the rules say</th><th>the regions show</th><th>writes lost (dots)</th></tr>${rows}</table>${more}`;
}

function detailTable(runs: readonly RunOutcome[]): string {
  return tableHtml(
    ['', ...runs.map((run) => RUN_NAMES[run.mode])],
    DETAIL_ROWS.map(([label, value]) => [escapeHtml(label), ...runs.map((run) => cellHtml(value(run)))]),
  );
}

/** A metric's value: the count, or for the resolution lag its mean and maximum. */
function metricValue(name: string, metric: MetricTotal): string {
  if (name !== RESOLUTION_LAG) return String(metric.total);
  return `mean ${Math.round(metric.total / metric.samples)} ms, max ${Math.round(metric.max)} ms, over ${metric.samples} conflicts`;
}

function metricsTable(concord: RunOutcome): string {
  const metrics = Object.entries(concord.stats.resolverMetrics);
  if (metrics.length === 0) return '<p class="none">The resolver reported no metric.</p>';
  const meaning = (name: string): string =>
    name === RESOLUTION_LAG
      ? "time from a conflicting record's creation to the end of its resolution, in virtual time; AWS stamps a record's creation in whole seconds, so up to a second of it is that rounding"
      : (METRIC_MEANINGS[name] ?? '');
  return tableHtml(
    ['metric', 'Concord', 'what it counts'],
    metrics.map(([name, metric]) => [escapeHtml(name), escapeHtml(metricValue(name, metric)), `<span class="meaning">${escapeHtml(meaning(name))}</span>`]),
  );
}

function faultList(outcome: RunOutcome, startMs: number): string {
  const { faults } = outcome;
  const partitions = faults.partitions.map((p) => `<li>${escapeHtml(`${p.a} ⟷ ${p.b}`)} cut from ${((p.from - startMs) / 1000).toFixed(1)} s to ${((p.until - startMs) / 1000).toFixed(1)} s</li>`).join('');
  return `<ul><li>level <b>${faults.level}</b>: ${(faults.throttleFraction * 100).toFixed(0)}% of DynamoDB calls throttled, ${(faults.putEventsFailureFraction * 100).toFixed(0)}% of audit entries failed, per invocation ${(faults.mapping.crash * 100).toFixed(0)}% crash mid-batch, ${(faults.mapping.duplicate * 100).toFixed(0)}% duplicated, ${(faults.mapping.redeliver * 100).toFixed(0)}% re-delivered; writers' clocks skewed by up to ±${faults.clockSkewMs} ms</li>${partitions}</ul>`;
}

function overviewCharts(runs: readonly RunOutcome[], concord: RunOutcome): string {
  const kinds = [...new Set(runs.flatMap((run) => Object.keys(run.check.lostByKind)))].sort();
  const lost = groupedBarChart({
    title: 'Lost updates by rule kind',
    categories: kinds,
    series: runs.map((run) => ({ name: RUN_NAMES[run.mode], color: RUN_COLORS[run.mode], values: kinds.map((kind) => run.check.lostByKind[kind] ?? 0) })),
    xLabel: 'merge rule of the attribute (existence: the item itself)',
    yLabel: 'lost updates (count)',
  });
  const convergence = lineChart({
    title: 'Items that differ between regions (convergence)',
    series: runs.map((run) => ({ name: RUN_NAMES[run.mode], color: RUN_COLORS[run.mode], values: run.timeline.divergentItems, dashed: run.mode === RunMode.Concord })),
    xLabels: seconds(concord.timeline),
    marker: lastWriteMarker(concord),
    xLabel: TIME_AXIS,
    yLabel: 'items not the same everywhere',
  });
  return [
    figure(lost, "How many client updates each system lost, by the merge rule of what they wrote: the red bars are what last-writer-wins silently drops, and Concord's bars should all be 0."),
    figure(
      convergence,
      'How many items were not yet identical in every region: both systems rise while writes replicate and must fall to 0 after the last client write, so lines lying on top of each other (Concord dashed) mean Concord converges as fast as plain Global Tables — what differs is what the regions agree on, as the lost updates show.',
    ),
  ].join('\n');
}

/**
 * Renders the report.
 *
 * @example
 * const html = renderReport({ scenario, lww, concord });
 */
export function renderReport(input: ReportInput): string {
  const { scenario, lww, concord } = input;
  const runs = [lww, concord].filter((run): run is RunOutcome => run !== undefined);
  const startMs = concord.timeline.startMs;
  const summary = compare(scenario, lww, concord);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Concord lab report: seed ${scenario.seed}</title><style>${STYLE}</style></head>
<body>
<h1>Concord lab report</h1>
<p class="lead">The same seeded workload (seed ${scenario.seed}, ${scenario.operations} operations, faults ${escapeHtml(scenario.faults)}) on an emulated ${scenario.regions.length}-region global table (${escapeHtml(scenario.regions.join(', '))}), run ${lww === undefined ? 'with Concord only' : 'twice: plain Global Tables (the resolver off) and Concord'}. Everything ran on a virtual clock; the numbers below follow from the seed.</p>
<p class="lead">Settings: ${escapeHtml(settingsText(summary))}.</p>
${summaryTable(input)}
<p class="verdict">${escapeHtml(verdict(summary.concord))}</p>
<h2>How to read this report</h2>
<ul>
<li><b>Lost updates</b>: client writes whose effect is missing from the final item, judged per rule by an oracle of every client write (counter sums, add-wins membership, the causally last value, status precedence, union of tags, siblings kept for manual attributes). A write is counted when an attribute it wrote ends up other than the rules say and the final version never saw it.</li>
<li><b>Conflicts</b>: stream records whose old image held writes the new image lacks (what Concord's detection classifies as a conflict), counted once per conflict id. Plain Global Tables drop the loser silently; Concord resolves and audits each.</li>
<li><b>Audit coverage</b>: the share of those conflicts with an audit event, by conflict id, on the central bus.</li>
<li><b>Resolution writes per conflict</b>: the resolver's writes (items whose <code>_cc.wid</code> is a conflict id) divided by the conflicts; above 1 when several regions resolve the same loss, below 1 when a later write already settled a conflict.</li>
<li><b>Resolution lag</b> (<code>${RESOLUTION_LAG}</code> under "Resolver metrics"): how long a conflict waited, from its stream record's creation to its merged item being written; it includes the replication delay that made the conflict visible and the batching of the stream.</li>
<li><b>False claims</b>: client writes whose causal context claims an earlier write of their own region that the item did not hold. Global Tables can overwrite a region's write in that very region (a concurrent write from elsewhere wins there); Concord then records the range the next write there cannot vouch for as a gap. That is sound while writers' clocks agree to within half the fastest replication delay and the item keeps its gaps; a false claim means the clocks broke that assumption, or (with no resolver merging lost writes back, as on plain Global Tables) an item collected more gaps than it keeps. The lost updates on such items are counted apart.</li>
<li><b>Converged</b>: every region holds the same bytes for every item once nothing is left to do; <b>loop</b>: the run never got there (some item kept being rewritten).</li>
</ul>
<h2>Faults</h2>${faultList(concord, startMs)}
<h2>Lost updates and convergence</h2>
<div class="grid2">${overviewCharts(runs, concord)}</div>
<h2>Writes and conflicts over time</h2>
<div class="grid2">${runs.map((run) => runCharts(run, scenario.regions)).join('\n')}</div>
<h2>Lost updates, one by one</h2>
${runs.map(lossTable).join('\n')}
<h2>Run details</h2>
${detailTable(runs)}
<h2>Resolver metrics</h2>
${metricsTable(concord)}
</body></html>
`;
}

/**
 * Writes the report and returns its absolute path.
 *
 * @example
 * const path = writeReport('lab-report.html', { scenario, lww, concord });
 */
export function writeReport(path: string, input: ReportInput): string {
  const absolute = resolve(path);
  writeFileSync(absolute, renderReport(input));
  return absolute;
}
