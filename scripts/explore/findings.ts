/**
 * What the explorer found and how it says it: each failure with the check that failed,
 * its seed and the command that replays it; at the end, what ran and with which seeds.
 */
import { HARD_SETTINGS } from './lab-runs';

/** One failure. */
export interface Finding {
  /** A lab scenario, or a property test. */
  readonly source: 'lab' | 'property';
  /** Which check failed: the lab's broken promises (lostUpdates, falseClaims, converged, auditCoverage, loop) or `crashed`; a property test's name. */
  readonly check: string;
  readonly seed: number;
  /** The command line that replays it. */
  readonly replay: string;
  /** What was found, a line each: what was lost, fast-check's shrunk counter-example. */
  readonly details: readonly string[];
}

/** What the explorer did. */
export interface Tally {
  readonly minutes: number;
  readonly labSeeds: readonly number[];
  readonly propertySeeds: readonly number[];
  /** The property suites each property run ran, and the tests in them. */
  readonly propertySuites: readonly string[];
  readonly propertyTests: number;
  readonly findings: readonly Finding[];
}

/**
 * A failure as the explorer prints it.
 *
 * @example
 * process.stdout.write(formatFinding(finding));
 * // FAILED lab: lostUpdates (2 lost update(s))
 * //   seed:   1234
 * //   replay: npm start -- --regions 3 ... --seed 1234 --no-baseline
 * //   ...
 */
export function formatFinding(finding: Finding): string {
  const details = finding.details.map((line) => `  ${line}`).join('\n');
  return `FAILED ${finding.source}: ${finding.check}\n  seed:   ${finding.seed}\n  replay: ${finding.replay}\n${details}${details === '' ? '' : '\n'}`;
}

/**
 * The closing summary: runs done, of what, the seeds tried, and the failures' replay
 * commands again.
 *
 * @example
 * process.stdout.write(formatTally(tally));
 */
export function formatTally(tally: Tally): string {
  const { labSeeds, propertySeeds, findings } = tally;
  const lines = [
    `Explored for ${tally.minutes} minute(s):`,
    `  ${labSeeds.length} lab run(s): Concord on random scenarios (${HARD_SETTINGS})`,
    `    seeds: ${labSeeds.join(', ') || 'none'}`,
    `  ${propertySeeds.length} property run(s): ${tally.propertyTests} tests in ${tally.propertySuites.join(', ')} with CONCORD_EXPLORE=1`,
    `    seeds (CONCORD_SEED): ${propertySeeds.join(', ') || 'none'}`,
  ];
  if (findings.length === 0) return `${lines.join('\n')}\nNo failure.\n`;
  const replays = findings.map((finding) => `  ${finding.source} ${finding.check}, seed ${finding.seed}:\n    ${finding.replay}`);
  return `${lines.join('\n')}\n${findings.length} failure(s), each printed above; to replay:\n${replays.join('\n')}\n`;
}
