/**
 * `npm run explore`'s own logic, without exploring: its flag, the hard lab scenarios it
 * draws from a seed, how it reports a failed lab run or property test (check, seed,
 * replay command, what was lost or fast-check's counter-example), and its summary.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLabArgs } from '../../lab/args';
import type { Loss } from '../../lab/losses';
import type { RunSummary } from '../../lab/summary';
import { UsageError } from '../../local/local-command';
import exampleRules from '../../rules/example';
import { DEFAULT_MINUTES, parseExploreArgs } from '../../scripts/explore/args';
import { formatFinding, formatTally, type Finding } from '../../scripts/explore/findings';
import { crashFinding, drawLabRun, labFinding, labReplayCommand, type LabVerdictInput } from '../../scripts/explore/lab-runs';
import { findPropertySuites, propertyFindings, propertyReplayCommand, type JestReport } from '../../scripts/explore/property-runs';

const ROOT = join(__dirname, '..', '..');

/** A Concord run that kept every promise. */
const CLEAN: RunSummary = {
  operations: 200,
  writes: 200,
  failedOperations: 0,
  conflicts: 12,
  lostUpdates: 0,
  lostPercent: 0,
  lostByKind: {},
  falseClaims: 0,
  envelopeBytes: { p50: 200, p99: 600, max: 700 },
  writeUnitsPerWrite: 4,
  writeUnitsByCause: { client: 1, replication: 2, resolver: 0.5, refused: 0.5 },
  compactionWrites: 0,
  escalatedForBounds: 0,
  converged: true,
  divergentItems: 0,
  auditCoverage: 1,
  resolutionWrites: 14,
  resolutionWritesPerConflict: 1.17,
  loop: false,
  convergenceMs: 900,
  discardedRecords: 0,
  quarantined: 0,
  virtualMs: 60_000,
};

const LOSS: Loss = { key: 'CART#3/CART', attribute: 'items', kind: 'addWinsSet', reason: 'value', expected: '["fig","kiwi"]', actual: '["fig"]', lost: ['us-east-1:17'] };

const verdictOf = (summary: Partial<RunSummary>, losses: Loss[] = []): LabVerdictInput => ({ summary: { ...CLEAN, ...summary }, check: { losses, divergentKeys: [], loopingKeys: [] } });

describe('parseExploreArgs', () => {
  it(`runs ${DEFAULT_MINUTES} minutes by default`, () => {
    // Act
    const args = parseExploreArgs([]);

    // Assess
    expect(args).toEqual({ minutes: 5, help: false });
  });

  it('reads --minutes in both forms, decimals allowed', () => {
    // Act
    const minutes = [parseExploreArgs(['--minutes', '10']), parseExploreArgs(['--minutes=0.5'])].map((args) => args.minutes);

    // Assess
    expect(minutes).toEqual([10, 0.5]);
  });

  it.each([
    [['--minutes', '0'], '--minutes'],
    [['--minutes', '-1'], '--minutes'],
    [['--minutes', 'ten'], '--minutes'],
    [['--minutes', '1441'], '--minutes'],
    [['--minutes'], '--minutes'],
    [['--minutes', '1', '--minutes', '2'], '--minutes'],
    [['--seconds', '5'], '--seconds'],
    [['5'], '5'],
  ])('refuses %j, naming %s', (argv, flag) => {
    // Act
    const parse = (): unknown => parseExploreArgs(argv);

    // Assess
    expect(parse).toThrow(expect.objectContaining({ name: UsageError.name, flag }));
  });
});

describe('drawLabRun', () => {
  it('draws the same flags from the same seed', () => {
    // Act
    const [first, again] = [drawLabRun(424242), drawLabRun(424242)];

    // Assess
    expect(again).toEqual(first);
  });

  it('draws other flags from another seed, ending with the seed itself', () => {
    // Act
    const [first, other] = [drawLabRun(1), drawLabRun(2)];

    // Assess
    expect({ differ: first.join(' ') !== other.join(' '), seeds: [first.slice(-2), other.slice(-2)] }).toEqual({ differ: true, seeds: [['--seed', '1'], ['--seed', '2']] });
  });

  it('draws command lines the lab accepts, within the hard ranges, partitions included', () => {
    // Prepare
    const seeds = Array.from({ length: 300 }, (_, index) => index * 7919);

    // Act
    const scenarios = seeds.map((seed) => parseLabArgs(drawLabRun(seed)).scenario);

    // Assess
    const outside = scenarios.filter(
      (s) =>
        s.regions.length < 2 ||
        s.regions.length > 5 ||
        s.writersPerRegion > 4 ||
        s.keysPerWorkload > 12 ||
        s.resolverLagMs[1] > 15_000 ||
        s.skewMs > exampleRules.table.maxClockOffsetMs ||
        !['on', 'heavy'].includes(s.faults) ||
        s.operations < 100 ||
        s.operations > 600 ||
        s.meanGapMs * s.operations < 2 * 60_000 - 1 ||
        s.meanGapMs * s.operations > 4 * 3_600_000 + 1 ||
        s.partitions.some((p) => p.lengthMs < 60_000 || p.lengthMs > 4 * 3_600_000),
    );
    expect({ outside: outside.length, withPartitions: scenarios.filter((s) => s.partitions.length > 0).length > 150, lagging: scenarios.filter((s) => s.resolverLagMs[1] > 0).length > 150 }).toEqual({
      outside: 0,
      withPartitions: true,
      lagging: true,
    });
  });
});

describe('labFinding', () => {
  it('finds nothing in a run that kept every promise', () => {
    // Act
    const finding = labFinding(['--seed', '3'], 3, verdictOf({}));

    // Assess
    expect(finding).toBeUndefined();
  });

  it('reports a lost update with its check, seed, replay command and what was lost', () => {
    // Prepare
    const argv = ['--regions', '3', '--partition', 'us-east-1/eu-west-1@5m+2h', '--seed', '77'];

    // Act
    const finding = labFinding(argv, 77, verdictOf({ lostUpdates: 1, lostByKind: { addWinsSet: 1 } }, [LOSS]));

    // Assess
    expect(finding).toEqual({
      source: 'lab',
      check: 'lostUpdates (1 lost update(s))',
      seed: 77,
      replay: 'npm start -- --regions 3 --partition us-east-1/eu-west-1@5m+2h --seed 77 --no-baseline',
      details: ['lost:', '    CART#3/CART items [addWinsSet, value]: the rules say ["fig","kiwi"], the regions show ["fig"]; writes lost: us-east-1:17'],
    });
  });

  it.each([
    [{ falseClaims: 2 }, 'falseClaims'],
    [{ converged: false, divergentItems: 1 }, 'converged'],
    [{ auditCoverage: 0.98 }, 'auditCoverage'],
    [{ loop: true }, 'loop'],
  ])('reports %j as a failure of %s', (summary, check) => {
    // Act
    const finding = labFinding(['--seed', '5'], 5, verdictOf(summary));

    // Assess
    expect(finding?.check.startsWith(`${check} (`)).toBe(true);
  });

  it('prints the failure with the replay command', () => {
    // Prepare
    const finding = labFinding(['--ops', '150', '--seed', '9'], 9, verdictOf({ lostUpdates: 1 }, [LOSS])) as Finding;

    // Act
    const text = formatFinding(finding);

    // Assess
    expect(text.split('\n').slice(0, 3)).toEqual(['FAILED lab: lostUpdates (1 lost update(s))', '  seed:   9', '  replay: npm start -- --ops 150 --seed 9 --no-baseline']);
  });

  it('reports a run that threw, with its replay command', () => {
    // Act
    const finding = crashFinding(['--seed', '4'], 4, new Error('boom'));

    // Assess
    expect({ check: finding.check, replay: finding.replay, first: finding.details[0] }).toEqual({ check: 'crashed', replay: labReplayCommand(['--seed', '4']), first: 'Error: boom' });
  });
});

describe('property runs', () => {
  it('finds the property suites: soundness, the merge laws and the law checker', () => {
    // Act
    const suites = findPropertySuites(ROOT);

    // Assess
    expect(suites).toEqual(expect.arrayContaining(['test/core/soundness.test.ts', 'shared/merge/laws.test.ts', 'shared/laws/check-laws.test.ts']));
  });

  it('replays one property test by its exact name, with the seed of the run', () => {
    // Act
    const command = propertyReplayCommand('test/core/soundness.test.ts', "entity cart loses no write (it's 1)", 42);

    // Assess
    expect(command).toBe("CONCORD_EXPLORE=1 CONCORD_SEED=42 npx jest test/core/soundness.test.ts -t '^entity cart loses no write \\(it'\\''s 1\\)$'");
  });

  it("reports a failed property test with fast-check's counter-example and no stack trace", () => {
    // Prepare
    const message = 'Error: Property failed after 3 tests\n{ seed: 42, path: "2:0", endOnFailure: true }\nCounterexample: [[{"region":0}]]\nShrunk 5 time(s)\n    at fc.assert (node_modules/fast-check/x.js:1:1)';
    const report: JestReport = {
      numTotalTests: 2,
      testResults: [
        {
          name: join(ROOT, 'test/core/soundness.test.ts'),
          status: 'failed',
          message: '',
          assertionResults: [
            { fullName: 'entity cart loses no write', status: 'failed', failureMessages: [message] },
            { fullName: 'entity user loses no write', status: 'passed', failureMessages: [] },
          ],
        },
      ],
    };

    // Act
    const findings = propertyFindings(report, ROOT, 42);

    // Assess
    expect(findings).toEqual([
      {
        source: 'property',
        check: 'test/core/soundness.test.ts: entity cart loses no write',
        seed: 42,
        replay: "CONCORD_EXPLORE=1 CONCORD_SEED=42 npx jest test/core/soundness.test.ts -t '^entity cart loses no write$'",
        details: ['Error: Property failed after 3 tests', '{ seed: 42, path: "2:0", endOnFailure: true }', 'Counterexample: [[{"region":0}]]', 'Shrunk 5 time(s)'],
      },
    ]);
  });

  it("says when a failed suite does not read CONCORD_SEED, so fast-check's own seed replays it", () => {
    // Prepare: a suite that gives fast-check no seed of ours
    const folder = mkdtempSync(join(tmpdir(), 'concord-explore-'));
    const suite = join(folder, 'unseeded.test.ts');
    writeFileSync(suite, "fc.assert(fc.property(fc.nat(), (n) => n >= 0));\n");
    const report: JestReport = {
      numTotalTests: 1,
      testResults: [{ name: suite, status: 'failed', message: '', assertionResults: [{ fullName: 'unseeded property', status: 'failed', failureMessages: ['Error: Property failed'] }] }],
    };

    // Act
    const [finding] = propertyFindings(report, folder, 42);
    rmSync(folder, { recursive: true, force: true });

    // Assess
    expect(finding?.details[0]).toMatch(/^note: this suite does not read CONCORD_SEED/);
  });

  it('finds every property suite of the repository reading its seed from propertySettings (npm test is deterministic)', () => {
    // Act
    const unseeded = findPropertySuites(ROOT).filter((file) => !readFileSync(join(ROOT, file), 'utf8').includes('propertySettings('));

    // Assess
    expect(unseeded).toEqual([]);
  });
});

describe('formatTally', () => {
  const tally = { minutes: 10, labSeeds: [11, 12], propertySeeds: [21], propertySuites: ['test/core/soundness.test.ts'], propertyTests: 4 };

  it('says what ran with which seeds, and that nothing failed', () => {
    // Act
    const text = formatTally({ ...tally, findings: [] });

    // Assess
    expect({ lab: text.includes('2 lab run(s)'), labSeeds: text.includes('seeds: 11, 12'), properties: text.includes('1 property run(s): 4 tests in test/core/soundness.test.ts'), propertySeeds: text.includes('(CONCORD_SEED): 21'), end: text.endsWith('No failure.\n') }).toEqual({
      lab: true,
      labSeeds: true,
      properties: true,
      propertySeeds: true,
      end: true,
    });
  });

  it('lists the replay command of every failure', () => {
    // Prepare
    const finding = labFinding(['--seed', '12'], 12, verdictOf({ loop: true })) as Finding;

    // Act
    const text = formatTally({ ...tally, findings: [finding] });

    // Assess
    expect(text).toContain('1 failure(s), each printed above; to replay:\n  lab loop (items kept being rewritten (loop)), seed 12:\n    npm start -- --seed 12 --no-baseline\n');
  });
});
