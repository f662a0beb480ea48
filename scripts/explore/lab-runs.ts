/**
 * The explorer's lab runs: a hard scenario drawn from a seed, written as the flags of
 * `npm start` (so the replay command is the very scenario that ran), run with Concord
 * only, and judged by the promises the lab checks.
 */
import { KNOWN_REGIONS, parseLabArgs } from '../../lab/args';
import type { CheckResult } from '../../lab/checker';
import { Draw } from '../../lab/draw';
import { runScenario } from '../../lab/run';
import { RunMode } from '../../lab/scenario';
import { concordProblems, summarize, type RunSummary } from '../../lab/summary';
import exampleRules from '../../rules/example';
import type { Finding } from './findings';

/** What {@link drawLabRun} draws, in words. */
export const HARD_SETTINGS = '2-5 regions, 1-4 writers, 1-12 keys, resolver lag up to 15 s, clock skew up to the bound, operations over 2 min-4 h, up to 3 partitions of 1 min-4 h, faults on/heavy, 100-600 operations';

/** How much of each kind of detail a finding lists. */
const MAX_LISTED = 10;

/** A whole number of minutes, log-uniform in [min, max]: as many short spans as long ones. */
function minutes(draw: Draw, min: number, max: number): number {
  return Math.round(Math.exp(draw.between(Math.log(min), Math.log(max))));
}

/**
 * The flags of a hard lab scenario drawn from `seed` (also the scenario's own seed):
 * 2-5 regions, 1-4 writers per region, 1-12 keys, a resolver lag up to 15 s (none, fixed
 * or a range), writers' clocks off by up to the rules' bound, operations over minutes to
 * hours, up to three partitions of minutes to hours, faults on or heavy, and few enough
 * operations that a run takes seconds.
 *
 * @example
 * drawLabRun(7); // ['--regions', '4', '--writers', '1', ..., '--seed', '7']
 */
export function drawLabRun(seed: number): string[] {
  const draw = new Draw(seed, 'explore');
  const regions = KNOWN_REGIONS.slice(0, draw.int(2, 5));
  const bound = exampleRules.table.maxClockOffsetMs;
  const skew = draw.chance(0.4) ? bound : draw.int(0, bound);
  const lagKind = draw.next();
  const lagMin = draw.int(0, 15_000);
  const lag = lagKind < 0.25 ? '0' : lagKind < 0.5 ? String(lagMin) : `${lagMin}-${draw.int(lagMin, 15_000)}`;
  const durationMinutes = minutes(draw, 2, 240);
  const partitions = Array.from({ length: draw.int(0, 3) }, () => {
    const a = draw.pick(regions);
    const b = draw.pick(regions.filter((region) => region !== a));
    return ['--partition', `${a}/${b}@${draw.int(0, durationMinutes)}m+${minutes(draw, 1, 240)}m`];
  });
  return [
    ['--regions', String(regions.length)],
    ['--writers', String(draw.int(1, 4))],
    ['--keys', String(draw.int(1, 12))],
    ['--faults', draw.pick(['on', 'heavy'])],
    ['--skew', String(skew)],
    ['--resolver-lag', lag],
    ['--duration', `${durationMinutes}m`],
    ...partitions,
    ['--ops', String(draw.int(100, 600))],
    ['--seed', String(seed)],
  ].flat();
}

/**
 * The command that replays a lab run.
 *
 * @example
 * labReplayCommand(['--ops', '100', '--seed', '7']); // 'npm start -- --ops 100 --seed 7 --no-baseline'
 */
export function labReplayCommand(argv: readonly string[]): string {
  return `npm start -- ${[...argv, '--no-baseline'].join(' ')}`;
}

/** What the explorer judges of a Concord run. */
export interface LabVerdictInput {
  readonly summary: RunSummary;
  readonly check: Pick<CheckResult, 'losses' | 'divergentKeys' | 'loopingKeys'>;
}

/**
 * Runs the scenario of `argv` with Concord.
 *
 * @example
 * const outcome = await runLab(drawLabRun(7));
 */
export async function runLab(argv: readonly string[]): Promise<LabVerdictInput> {
  const outcome = await runScenario(parseLabArgs(argv).scenario, RunMode.Concord);
  return { summary: summarize(outcome), check: outcome.check };
}

/** At most {@link MAX_LISTED} lines, and how many more there were. */
function listed(title: string, lines: readonly string[]): string[] {
  if (lines.length === 0) return [];
  const more = lines.length > MAX_LISTED ? [`    ... and ${lines.length - MAX_LISTED} more`] : [];
  return [`${title}:`, ...lines.slice(0, MAX_LISTED).map((line) => `    ${line}`), ...more];
}

/**
 * The failure of a lab run, or undefined when Concord kept every promise: nothing lost,
 * no false claim, converged, every conflict audited, no loop.
 *
 * @example
 * const finding = labFinding(argv, seed, await runLab(argv));
 */
export function labFinding(argv: readonly string[], seed: number, outcome: LabVerdictInput): Finding | undefined {
  const problems = concordProblems(outcome.summary);
  if (problems.length === 0) return undefined;
  const { losses, divergentKeys, loopingKeys } = outcome.check;
  const lost = losses.map((loss) => `${loss.key} ${loss.attribute ?? '(the item)'} [${loss.kind}, ${loss.reason}]: the rules say ${loss.expected}, the regions show ${loss.actual}; writes lost: ${loss.lost.join(', ')}`);
  return {
    source: 'lab',
    check: problems.map((problem) => `${problem.check} (${problem.text})`).join('; '),
    seed,
    replay: labReplayCommand(argv),
    details: [...listed('lost', lost), ...listed('items that differ between regions', divergentKeys), ...listed('items still rewritten at the deadline', loopingKeys)],
  };
}

/**
 * The failure of a lab run that threw.
 *
 * @example
 * const finding = crashFinding(argv, seed, error);
 */
export function crashFinding(argv: readonly string[], seed: number, error: unknown): Finding {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { source: 'lab', check: 'crashed', seed, replay: labReplayCommand(argv), details: text.split('\n').slice(0, MAX_LISTED) };
}
