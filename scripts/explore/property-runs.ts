/**
 * The explorer's property runs: jest on the property suites with random seeds
 * (CONCORD_EXPLORE=1, more runs each; CONCORD_SEED the seed this run drew, so that it is
 * known and can be replayed), its report read from jest's JSON, each failed test a
 * finding with fast-check's shrunk counter-example as jest printed it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Finding } from './findings';

/** What marks a suite as property-based: it runs fast-check, directly or through the law checker. */
const PROPERTY_MARKERS = ['propertySettings(', 'fc.assert(', 'fc.check(', 'checkRuleLaws('];
/** How a suite reads the explorer's seed (test/helpers/properties.ts). */
const READS_SEED = 'propertySettings(';
/** Folders holding the test suites jest runs (jest.config.js `roots`). */
const TEST_ROOTS = ['shared', 'functions', 'rules', 'lab', 'local', 'cli', 'test'];

/**
 * The property suites under `root`, relative to it, sorted: the `*.test.ts` files of
 * jest's roots (not the engine suites) that run fast-check.
 *
 * @example
 * findPropertySuites(process.cwd()); // ['shared/laws/check-laws.test.ts', 'shared/merge/laws.test.ts', 'test/core/soundness.test.ts']
 */
export function findPropertySuites(root: string): string[] {
  const suites: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') visit(path);
      else if (entry.isFile() && entry.name.endsWith('.test.ts') && !entry.name.endsWith('.engine.test.ts')) {
        const source = readFileSync(path, 'utf8');
        if (PROPERTY_MARKERS.some((marker) => source.includes(marker))) suites.push(relative(root, path));
      }
    }
  };
  for (const dir of TEST_ROOTS) visit(join(root, dir));
  return suites.sort();
}

/** The parts of jest's `--json` report the explorer reads. */
export interface JestReport {
  readonly numTotalTests: number;
  readonly testResults: readonly {
    readonly name: string;
    readonly status: string;
    readonly message: string;
    readonly assertionResults: readonly { readonly fullName: string; readonly status: string; readonly failureMessages: readonly string[] }[];
  }[];
}

/** What one property run did. */
export interface PropertyRun {
  readonly seed: number;
  readonly tests: number;
  readonly findings: readonly Finding[];
}

/** `text` quoted for a POSIX shell. */
function shellQuote(text: string): string {
  return /^[\w./=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `text` as a regular expression matching only itself (jest's `-t` takes a pattern). */
function exactPattern(text: string): string {
  return `^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

/**
 * The command that replays one property test with the seed of the run that failed.
 *
 * @example
 * propertyReplayCommand('test/core/soundness.test.ts', 'entity cart loses no write', 42);
 * // "CONCORD_EXPLORE=1 CONCORD_SEED=42 npx jest test/core/soundness.test.ts -t '^entity cart loses no write$'"
 */
export function propertyReplayCommand(file: string, testName: string, seed: number): string {
  return `CONCORD_EXPLORE=1 CONCORD_SEED=${seed} npx jest ${shellQuote(file)} -t ${shellQuote(exactPattern(testName))}`;
}

/** A failure message without its stack trace: fast-check's report (seed, counter-example, shrinks, the error). */
function withoutStack(message: string): string[] {
  return message.split('\n').filter((line) => !/^\s+at /.test(line) && line.trim() !== '');
}

/**
 * The failures of a property run's report: one per failed test, and one per suite that
 * failed to run at all.
 *
 * @example
 * const findings = propertyFindings(JSON.parse(readFileSync(out, 'utf8')), root, seed);
 */
export function propertyFindings(report: JestReport, root: string, seed: number): Finding[] {
  const findings: Finding[] = [];
  for (const suite of report.testResults) {
    const file = relative(root, suite.name);
    const readsSeed = readFileSync(suite.name, 'utf8').includes(READS_SEED);
    const note = readsSeed
      ? []
      : ['note: this suite does not read CONCORD_SEED (it gives fast-check its own seed); replay with the seed and path fast-check printed below, passed to its fc.assert'];
    const failed = suite.assertionResults.filter((test) => test.status === 'failed');
    for (const test of failed) {
      findings.push({ source: 'property', check: `${file}: ${test.fullName}`, seed, replay: propertyReplayCommand(file, test.fullName, seed), details: [...note, ...test.failureMessages.flatMap(withoutStack)] });
    }
    if (suite.status === 'failed' && failed.length === 0) {
      findings.push({ source: 'property', check: `${file}: the suite did not run`, seed, replay: `CONCORD_EXPLORE=1 CONCORD_SEED=${seed} npx jest ${shellQuote(file)}`, details: withoutStack(suite.message) });
    }
  }
  return findings;
}

/**
 * Runs jest on `suites` (relative to `root`) with CONCORD_EXPLORE=1 and CONCORD_SEED=`seed`.
 *
 * @example
 * const run = await runPropertySuites(root, findPropertySuites(root), 42);
 */
export async function runPropertySuites(root: string, suites: readonly string[], seed: number): Promise<PropertyRun> {
  const dir = mkdtempSync(join(tmpdir(), 'concord-explore-'));
  const output = join(dir, 'jest.json');
  try {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), ...suites, '--ci', '--json', `--outputFile=${output}`], {
        cwd: root,
        env: { ...process.env, CONCORD_EXPLORE: '1', CONCORD_SEED: String(seed) },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let text = '';
      child.stderr.on('data', (chunk: Buffer) => {
        text = (text + chunk.toString()).slice(-20_000);
      });
      child.on('error', reject);
      child.on('close', (exit) => resolve({ code: exit, stderr: text }));
    });
    let report: JestReport;
    try {
      report = JSON.parse(readFileSync(output, 'utf8')) as JestReport;
    } catch {
      const finding: Finding = { source: 'property', check: `jest exited ${code} without a report`, seed, replay: `CONCORD_EXPLORE=1 CONCORD_SEED=${seed} npx jest ${suites.join(' ')}`, details: stderr.split('\n').slice(-20) };
      return { seed, tests: 0, findings: [finding] };
    }
    return { seed, tests: report.numTotalTests, findings: propertyFindings(report, root, seed) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
