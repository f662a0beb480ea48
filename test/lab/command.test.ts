/**
 * `npm start`: flags and their errors, the side-by-side output, the JSON line and the
 * self-contained HTML report.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../local/local-command';
import { parseLabArgs } from '../../lab/args';
import { runLabCommand, USAGE_EXIT_CODE } from '../../lab/command';
import type { ComparisonSummary } from '../../lab/summary';
import { capture } from '../helpers/lab-io';

describe('parseLabArgs', () => {
  it('reads every flag, in both forms', () => {
    // Act
    const args = parseLabArgs(['--regions', '4', '--ops=500', '--seed', '9', '--delay', '50', '--faults', 'heavy', '--resolve-in', 'origin', '--keys', '3', '--hot', '0.5', '--no-baseline', '--json']);

    // Assess
    expect({ ...args.scenario, rules: undefined, mapping: undefined, clients: undefined, baseline: args.baseline, json: args.json }).toEqual(
      expect.objectContaining({ regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2'], operations: 500, seed: 9, delayMs: 50, faults: 'heavy', resolveIn: 'origin', keysPerWorkload: 3, hotness: 0.5, baseline: false, json: true }),
    );
  });

  it('takes a list of regions', () => {
    // Act
    const { scenario } = parseLabArgs(['--regions', 'eu-west-1,us-west-2']);

    // Assess
    expect(scenario.regions).toEqual(['eu-west-1', 'us-west-2']);
  });

  it.each([
    [['--ops', '0'], '--ops'],
    [['--ops', 'many'], '--ops'],
    [['--ops'], '--ops'],
    [['--regions', '1'], '--regions'],
    [['--regions', 'us-east-1,mars'], '--regions'],
    [['--faults', 'sometimes'], '--faults'],
    [['--resolve-in', 'everywhere'], '--resolve-in'],
    [['--hot', '2'], '--hot'],
    [['--json=yes'], '--json'],
    [['--seed', '1', '--seed', '2'], '--seed'],
    [['--verbose'], '--verbose'],
    [['extra'], 'extra'],
  ])('refuses %j, naming %s', (argv, flag) => {
    // Act
    const parse = (): unknown => parseLabArgs(argv);

    // Assess
    expect(parse).toThrow(expect.objectContaining({ name: UsageError.name, flag }));
  });
});

describe('runLabCommand', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'concord-lab-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says what was wrong with a flag and exits 2', async () => {
    // Prepare
    const { io, out, err } = capture();

    // Act
    const code = await runLabCommand(['--ops', '-3'], io);

    // Assess
    expect({ code, err: err().split('\n')[0], out: out() }).toEqual({ code: USAGE_EXIT_CODE, err: 'error: --ops: must be a whole number from 1 to 1000000, got "-3"', out: '' });
  });

  describe('a small comparison', () => {
    const reportPath = (): string => join(dir, 'report.html');
    let output: { code: number; out: string; err: string };

    // Prepare and Act: one small run of the command; the tests assess its output.
    beforeAll(async () => {
      const { io, out, err } = capture();
      const code = await runLabCommand(['--ops', '60', '--keys', '3', '--seed', '4', '--json', '--report', reportPath()], io);
      output = { code, out: out(), err: err() };
    });

    it('prints both runs side by side and ends with the JSON summary', () => {
      const lines = output.out.trimEnd().split('\n');
      const summary = JSON.parse(lines.at(-1) as string) as ComparisonSummary;
      expect({ code: output.code, header: lines[3]?.includes('Global Tables (LWW)') && lines[3]?.includes('Concord'), seed: summary.seed, ops: summary.ops, keys: Object.keys(summary.concord) }).toEqual({
        code: 0,
        header: true,
        seed: 4,
        ops: 60,
        keys: expect.arrayContaining(['lostUpdates', 'conflicts', 'converged', 'auditCoverage', 'resolutionWritesPerConflict', 'convergenceMs']),
      });
    });

    it('reports progress on stderr', () => {
      expect(output.err).toMatch(/100% concord/);
    });

    it('writes a self-contained HTML report with its charts and says where', () => {
      const html = readFileSync(reportPath(), 'utf8');
      expect({ said: output.out.includes(`Report: ${reportPath()}`), charts: (html.match(/<svg /g) ?? []).length >= 5, fetches: /(src|href)=|https?:\/\/(?!www\.w3\.org\/2000\/svg)|<script|@import|url\(/i.test(html) }).toEqual({ said: true, charts: true, fetches: false });
    });
  });
});
