/**
 * `npm run explore [-- --minutes N]`: for N minutes (default 5), runs the property suites
 * with random seeds in a jest child process and, beside it on this process, lab scenarios
 * with random seeds and hard settings (Concord only). Prints every failure with its seed
 * and the command that replays it as it is found, then a summary; exits 1 if anything
 * failed. No new run starts after N minutes; the runs under way finish.
 */
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { quietLabEnvironment } from '../../lab/command';
import { UsageError } from '../../local/local-command';
import { EXPLORE_USAGE, parseExploreArgs } from './args';
import { formatFinding, formatTally, type Finding } from './findings';
import { crashFinding, drawLabRun, labFinding, runLab } from './lab-runs';
import { findPropertySuites, runPropertySuites } from './property-runs';

const ROOT = join(__dirname, '..', '..');

async function main(argv: readonly string[]): Promise<number> {
  let minutes: number;
  try {
    const args = parseExploreArgs(argv);
    if (args.help) {
      process.stdout.write(EXPLORE_USAGE);
      return 0;
    }
    minutes = args.minutes;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${EXPLORE_USAGE}`);
    return 2;
  }
  quietLabEnvironment(process.env);
  const started = Date.now();
  const deadline = started + minutes * 60_000;
  const clock = (): string => {
    const seconds = Math.floor((Date.now() - started) / 1000);
    return `[${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}]`;
  };
  const took = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;
  const findings: Finding[] = [];
  const report = (found: readonly Finding[]): void => {
    findings.push(...found);
    for (const finding of found) process.stdout.write(`\n${formatFinding(finding)}\n`);
  };

  const suites = findPropertySuites(ROOT);
  process.stdout.write(`Exploring for ${minutes} minute(s): property suites ${suites.join(', ')}; lab scenarios with Concord.\n`);

  const propertySeeds: number[] = [];
  let propertyTests = 0;
  const properties = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const seed = randomInt(2 ** 31);
      propertySeeds.push(seed);
      const since = Date.now();
      const run = await runPropertySuites(ROOT, suites, seed);
      propertyTests = Math.max(propertyTests, run.tests);
      process.stdout.write(`${clock()} properties #${propertySeeds.length} CONCORD_SEED=${seed}: ${run.findings.length === 0 ? 'ok' : `${run.findings.length} FAILED`}, ${run.tests} tests in ${took(since)}\n`);
      report(run.findings);
    }
  };

  const labSeeds: number[] = [];
  const lab = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const seed = randomInt(2 ** 32);
      labSeeds.push(seed);
      const argv = drawLabRun(seed);
      const since = Date.now();
      let finding: Finding | undefined;
      try {
        finding = labFinding(argv, seed, await runLab(argv));
      } catch (error) {
        finding = crashFinding(argv, seed, error);
      }
      process.stdout.write(`${clock()} lab #${labSeeds.length} ${finding === undefined ? 'ok' : 'FAILED'} in ${took(since)}: ${argv.join(' ')}\n`);
      report(finding === undefined ? [] : [finding]);
    }
  };

  await Promise.all([properties(), lab()]);
  process.stdout.write(`\n${formatTally({ minutes: Number(((Date.now() - started) / 60_000).toFixed(1)), labSeeds, propertySeeds, propertySuites: suites, propertyTests, findings })}`);
  return findings.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
