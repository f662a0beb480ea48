/**
 * The flags for writers, clocks, a lagging resolver, duration and partitions on small
 * real runs: the JSON line echoes them beside the checker's costs (envelope sizes, write
 * units, false claims, escalations), the terminal and the report show them, and each
 * flag changes the run as it says (a partition cuts its link, a lag delays resolutions,
 * a duration spreads the operations).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLabArgs } from '../../lab/args';
import { runLabCommand } from '../../lab/command';
import { runScenario, type RunOutcome } from '../../lab/run';
import { LAB_EPOCH_MS, RunMode } from '../../lab/scenario';
import type { ComparisonSummary } from '../../lab/summary';
import { capture } from '../helpers/lab-io';

const concordRun = (argv: string[]): Promise<RunOutcome> => runScenario(parseLabArgs(argv).scenario, RunMode.Concord);

describe('npm start with the new flags and --json', () => {
  let dir: string;
  let output: { code: number; out: string; summary: ComparisonSummary; html: string };

  // Prepare and Act: one small comparison with every new flag; the tests assess its outputs.
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'concord-lab-flags-'));
    const report = join(dir, 'report.html');
    const { io, out } = capture();
    const argv = ['--ops', '150', '--keys', '3', '--seed', '3', '--writers', '3', '--skew', '200', '--resolver-lag', '100-900', '--duration', '90s', '--partition', 'us-east-1/eu-west-1@10s+20s', '--json', '--report', report];
    const code = await runLabCommand(argv, io);
    const lines = out().trimEnd().split('\n');
    output = { code, out: out(), summary: JSON.parse(lines.at(-1) as string) as ComparisonSummary, html: readFileSync(report, 'utf8') };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('echoes the settings in the JSON line', () => {
    const { writers, skewMs, resolverLagMs, durationMs, partitions } = output.summary;
    expect({ code: output.code, writers, skewMs, resolverLagMs, durationMs, partitions }).toEqual({
      code: 0,
      writers: 3,
      skewMs: 200,
      resolverLagMs: [100, 900],
      durationMs: 90_000,
      partitions: [{ a: 'us-east-1', b: 'eu-west-1', startMs: 10_000, lengthMs: 20_000 }],
    });
  });

  it('reports envelope sizes: none on plain Global Tables, ordered percentiles on Concord', () => {
    const { lww, concord } = output.summary;
    const { p50, p99, max } = concord.envelopeBytes;
    expect({ lww: lww?.envelopeBytes, concordOrdered: p50 > 0 && p50 <= p99 && p99 <= max }).toEqual({ lww: { p50: 0, p99: 0, max: 0 }, concordOrdered: true });
  });

  it('reports write units per client write: at least one, and more with Concord than without', () => {
    const lww = output.summary.lww?.writeUnitsPerWrite ?? 0;
    const concord = output.summary.concord.writeUnitsPerWrite;
    expect({ lwwAtLeastOne: lww >= 1, concordMore: concord > lww }).toEqual({ lwwAtLeastOne: true, concordMore: true });
  });

  it('reports false claims for both runs and escalations for metadata bounds, none with Concord', () => {
    const { lww, concord } = output.summary;
    expect({ lwwFalseClaims: typeof lww?.falseClaims, lwwEscalated: lww?.escalatedForBounds, concordFalseClaims: concord.falseClaims, concordEscalated: concord.escalatedForBounds }).toEqual({
      lwwFalseClaims: 'number',
      lwwEscalated: 0,
      concordFalseClaims: 0,
      concordEscalated: 0,
    });
  });

  it('shows the settings and the cost rows in the terminal table', () => {
    const settings = '3 writers per region, clocks off by up to ±200 ms, resolver lag 100-900 ms, operations over 1.5m (virtual), partitions: us-east-1/eu-west-1 cut at 10s for 20s';
    const rows = ['write units per client write', 'envelope bytes (p50 / p99 / max)', 'versions claiming a write they lack', 'escalated for metadata bounds'];
    expect({ settings: output.out.split('\n')[1], rows: rows.filter((row) => output.out.includes(`\n${row} `)) }).toEqual({ settings, rows });
  });

  it('shows the settings in the report header and the cost rows in its summary', () => {
    const rows = ['write units per client write', 'envelope bytes (p50 / p99 / max)', 'escalated for metadata bounds'];
    expect({ header: output.html.includes('<p class="lead">Settings: 3 writers per region, clocks off by up to ±200 ms, resolver lag 100-900 ms'), rows: rows.filter((row) => output.html.includes(`<tr><th>${row}</th>`)) }).toEqual({ header: true, rows });
  });
});

describe('--partition and --duration on a run', () => {
  const healsAt = LAB_EPOCH_MS + 2 * 3_600_000;
  let outcome: RunOutcome;

  // Prepare and Act: two regions, no other fault, operations over 10 minutes, the link cut from the start for 2 hours.
  beforeAll(async () => {
    outcome = await concordRun(['--regions', '2', '--faults', 'off', '--ops', '150', '--keys', '3', '--seed', '6', '--duration', '10m', '--partition', 'us-east-1/eu-west-1@0+2h']);
  });

  it('keeps the two regions apart until the link heals: items differ at the end of every slice of time before it', () => {
    const { bucketMs, divergentItems } = outcome.timeline;
    const beforeHeal = divergentItems.slice(0, Math.floor((healsAt - LAB_EPOCH_MS) / bucketMs));
    expect({ slices: beforeHeal.length > 10, alike: beforeHeal.filter((count) => count === 0).length, held: outcome.stats.replication.heldByPartition > 0 }).toEqual({ slices: true, alike: 0, held: true });
  });

  it('converges after the link heals, hours after the last operation, without reading as a loop', () => {
    const { converged, loop, lastChangeAt } = outcome.check;
    expect({ converged, loop, afterHeal: (lastChangeAt ?? 0) >= healsAt, lost: outcome.check.lostUpdates }).toEqual({ converged: true, loop: false, afterHeal: true, lost: 0 });
  });

  it('spreads the operations over the duration', () => {
    const lastWriteMs = (outcome.check.lastClientWriteAt ?? 0) - LAB_EPOCH_MS;
    expect(lastWriteMs / 600_000).toBeGreaterThan(0.75);
    expect(lastWriteMs / 600_000).toBeLessThan(1.25);
  });
});

describe('--resolver-lag on a run', () => {
  const resolutionLag = (outcome: RunOutcome): { mean: number; max: number } => {
    const metric = outcome.stats.resolverMetrics.ResolutionLagMs;
    return metric === undefined || metric.samples === 0 ? { mean: NaN, max: NaN } : { mean: metric.total / metric.samples, max: metric.max };
  };

  // A batch's first record waits the whole lag; records arriving meanwhile join its batch and wait less.
  it('delays resolutions by the lag: the longest wait is at least the lag, the mean more than half of it longer than without', async () => {
    // Prepare
    const argv = ['--regions', '2', '--faults', 'off', '--ops', '150', '--keys', '3', '--seed', '2'];

    // Act
    const [lagged, prompt] = [resolutionLag(await concordRun([...argv, '--resolver-lag', '4000'])), resolutionLag(await concordRun(argv))];

    // Assess
    expect({ longest: lagged.max >= 4000, meanLater: lagged.mean - prompt.mean > 2000, promptLongest: prompt.max < 4000 }).toEqual({ longest: true, meanLater: true, promptLongest: true });
  });
});
