/**
 * The command line of `npm start` (lab/cli.ts): flags in `--name value` or `--name=value`
 * form, each checked, with an error that names the flag and what was wrong.
 */
import { ResolveIn } from '../shared/resolver';
import { UsageError } from '../local/local-command';
import { FAULT_LEVELS, type FaultLevel } from './faults';
import { DEFAULT_SCENARIO, type PartitionSpec, type Scenario } from './scenario';
import { formatSpan, parseSpan, SPAN_UNITS } from './span';

const MAX_WRITERS = 64;
const MAX_SKEW_MS = 3_600_000;
/** A lag near the run's settle limit (10 virtual minutes) would read as a loop. */
const MAX_RESOLVER_LAG_MS = 60_000;
/** DynamoDB Streams keep records 24 hours: the longest span the lab lets a run or a partition take. */
const MAX_SPAN_MS = 24 * 3_600_000;

/** Regions `--regions <n>` picks from, in order. */
export const KNOWN_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2', 'eu-central-1', 'ap-northeast-1', 'sa-east-1', 'ca-central-1'] as const;

/** What the command line asks for. */
export interface LabArgs {
  readonly scenario: Scenario;
  /** Also run plain Global Tables (resolver off) for comparison. */
  readonly baseline: boolean;
  /** End with a JSON summary line. */
  readonly json: boolean;
  /** Where the HTML report goes. */
  readonly reportPath: string;
  readonly help: boolean;
}

export const USAGE = `Usage: npm start -- [flags]

Runs the same seeded workload on an emulated multi-region global table twice, plain
Global Tables (last writer wins) and Concord, and compares what each lost.

  --regions <n|list>     regions: a count (2-${KNOWN_REGIONS.length}) or a comma-separated list (default 3)
  --ops <n>              client operations (default ${DEFAULT_SCENARIO.operations})
  --seed <n>             seed of the workload, delays and faults (default ${DEFAULT_SCENARIO.seed})
  --delay <ms>           mean replication delay between regions (default ${DEFAULT_SCENARIO.delayMs})
  --faults <level>       ${FAULT_LEVELS.join(' | ')} (default ${DEFAULT_SCENARIO.faults})
  --resolve-in <where>   any | origin: which regions resolve a conflict (default ${DEFAULT_SCENARIO.resolveIn})
  --keys <n>             distinct items per workload; fewer means hotter keys (default ${DEFAULT_SCENARIO.keysPerWorkload})
  --hot <0-1>            how much operations crowd on the first keys (default ${DEFAULT_SCENARIO.hotness})
  --writers <n>          writer instances per region, each with its own clock (1-${MAX_WRITERS}, default ${DEFAULT_SCENARIO.writersPerRegion})
  --skew <ms>            largest clock error of a writer instance, either way (0-${MAX_SKEW_MS}; default
                         ${DEFAULT_SCENARIO.skewMs}: the rules' documented bound, maxClockOffsetMs)
  --resolver-lag <ms|min-max>
                         extra delay before a region's resolver receives each stream batch, fixed or
                         drawn per batch from min-max (0-${MAX_RESOLVER_LAG_MS}, default 0)
  --duration <n>s|m|h    virtual time the operations are spread over, decimals allowed (1.5h);
                         up to 24h (default ${DEFAULT_SCENARIO.meanGapMs} ms per operation)
  --partition <a>/<b>@<start>+<length>
                         cut the link between regions a and b at <start> for <length> (times as
                         90s, 30m, 3h, 500ms; up to 24h each); may be given several times
  --report <path>        where to write the HTML report (default lab-report.html)
  --no-baseline          run Concord only
  --json                 print a JSON summary as the last line
  --help                 show this text
`;

const VALUE_FLAGS = ['--regions', '--ops', '--seed', '--delay', '--faults', '--resolve-in', '--keys', '--hot', '--writers', '--skew', '--resolver-lag', '--duration', '--partition', '--report'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];
/** The one flag that may be given more than once. */
const REPEATABLE: readonly ValueFlag[] = ['--partition'];
const SWITCHES = ['--no-baseline', '--json', '--help'] as const;

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new UsageError(flag, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

function decimal(flag: string, text: string, min: number, max: number): number {
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw new UsageError(flag, `must be a number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

function regionsOf(text: string): string[] {
  if (/^\d+$/.test(text)) return KNOWN_REGIONS.slice(0, wholeNumber('--regions', text, 2, KNOWN_REGIONS.length));
  const regions = text.split(',').map((region) => region.trim());
  const bad = regions.find((region) => !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region));
  if (bad !== undefined) throw new UsageError('--regions', `${JSON.stringify(bad)} is not a region name such as us-east-1`);
  if (new Set(regions).size !== regions.length) throw new UsageError('--regions', 'lists a region twice');
  if (regions.length < 2) throw new UsageError('--regions', 'needs at least 2 regions');
  return regions;
}

/** A span with its unit (one of `units`), in whole ms, from `min` to `max`; `what` names it in errors. */
function span(flag: string, what: string, text: string, units: readonly string[], [min, max]: readonly [number, number]): number {
  const ms = parseSpan(text, units);
  const subject = what === '' ? '' : `${what} `;
  if (Number.isNaN(ms)) throw new UsageError(flag, `${subject}must be a time such as ${units.map((unit) => `5${unit}`).join(', ')}, got ${JSON.stringify(text)}`);
  if (ms < min || ms > max) throw new UsageError(flag, `${subject}must be from ${formatSpan(min)} to ${formatSpan(max)}, got ${JSON.stringify(text)}`);
  return ms;
}

/** `--resolver-lag`: `<ms>` (always that lag) or `<min>-<max>` (drawn per batch). */
function lagOf(text: string): readonly [number, number] {
  const flag = '--resolver-lag';
  if (!/^\d+(-\d+)?$/.test(text)) throw new UsageError(flag, `must be <ms> or <min>-<max> in whole ms, got ${JSON.stringify(text)}`);
  const [min, max] = text.split('-').map((bound) => wholeNumber(flag, bound, 0, MAX_RESOLVER_LAG_MS)) as [number, number?];
  if (max !== undefined && min > max) throw new UsageError(flag, `min ${min} is above max ${max}`);
  return [min, max ?? min];
}

/** `--partition <a>/<b>@<start>+<length>`, both regions among the run's. */
function partitionOf(text: string, regions: readonly string[]): PartitionSpec {
  const flag = '--partition';
  const match = /^([^/@+]+)\/([^/@+]+)@([^/@+]+)\+([^/@+]+)$/.exec(text);
  if (match === null) throw new UsageError(flag, `must be <regionA>/<regionB>@<start>+<length> (e.g. us-east-1/eu-west-1@30m+3h), got ${JSON.stringify(text)}`);
  const [, a, b, start, length] = match as unknown as [string, string, string, string, string];
  for (const region of [a, b]) {
    if (!regions.includes(region)) throw new UsageError(flag, `${JSON.stringify(region)} is not one of the run's regions (${regions.join(', ')})`);
  }
  if (a === b) throw new UsageError(flag, `cuts ${a} off from itself: name two different regions`);
  return { a, b, startMs: span(flag, 'the start', start, SPAN_UNITS, [0, MAX_SPAN_MS]), lengthMs: span(flag, 'the length', length, SPAN_UNITS, [1, MAX_SPAN_MS]) };
}

/** `--duration`: the mean gap between operations that spreads `operations` over it. */
function meanGapOf(text: string, operations: number): number {
  const durationMs = span('--duration', '', text, ['s', 'm', 'h'], [1_000, MAX_SPAN_MS]);
  if (durationMs < operations) throw new UsageError('--duration', `${text} puts ${operations} operations less than 1 ms apart; give at least ${Math.ceil(operations / 1000)}s or fewer --ops`);
  return durationMs / operations;
}

function choice<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(flag, `must be one of ${choices.join(', ')}, got ${JSON.stringify(text)}`);
  return text as T;
}

/**
 * Parses the flags.
 *
 * @throws UsageError naming the flag and the problem
 * @example
 * parseLabArgs(['--ops', '10000', '--faults=heavy']).scenario.operations; // 10000
 */
export function parseLabArgs(argv: readonly string[]): LabArgs {
  const values = new Map<ValueFlag, string[]>();
  const switches = new Set<string>();
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if ((SWITCHES as readonly string[]).includes(name)) {
      if (inline !== undefined) throw new UsageError(name, 'takes no value');
      switches.add(name);
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(name)) throw new UsageError(name, name.startsWith('--') ? 'unknown flag (see --help)' : 'unexpected argument (flags start with --)');
    const value = inline ?? argv[(index += 1)];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) throw new UsageError(name, 'needs a value');
    const given = values.get(name as ValueFlag) ?? [];
    if (given.length > 0 && !REPEATABLE.includes(name as ValueFlag)) throw new UsageError(name, 'is given twice');
    values.set(name as ValueFlag, [...given, value]);
  }
  const read = <T>(flag: ValueFlag, parse: (text: string) => T, fallback: T): T => {
    const text = values.get(flag)?.[0];
    return text === undefined ? fallback : parse(text);
  };
  const defaults = DEFAULT_SCENARIO;
  const regions = read('--regions', regionsOf, defaults.regions);
  const operations = read('--ops', (text) => wholeNumber('--ops', text, 1, 1_000_000), defaults.operations);
  const scenario: Scenario = {
    ...defaults,
    regions,
    operations,
    seed: read('--seed', (text) => wholeNumber('--seed', text, 0, 2 ** 32 - 1), defaults.seed),
    delayMs: read('--delay', (text) => decimal('--delay', text, 1, 600_000), defaults.delayMs),
    faults: read('--faults', (text) => choice<FaultLevel>('--faults', text, FAULT_LEVELS), defaults.faults),
    resolveIn: read('--resolve-in', (text) => choice('--resolve-in', text, Object.values(ResolveIn)), defaults.resolveIn),
    keysPerWorkload: read('--keys', (text) => wholeNumber('--keys', text, 1, 100_000), defaults.keysPerWorkload),
    hotness: read('--hot', (text) => decimal('--hot', text, 0, 1), defaults.hotness),
    writersPerRegion: read('--writers', (text) => wholeNumber('--writers', text, 1, MAX_WRITERS), defaults.writersPerRegion),
    skewMs: read('--skew', (text) => wholeNumber('--skew', text, 0, MAX_SKEW_MS), defaults.skewMs),
    resolverLagMs: read('--resolver-lag', lagOf, defaults.resolverLagMs),
    meanGapMs: read('--duration', (text) => meanGapOf(text, operations), defaults.meanGapMs),
    partitions: (values.get('--partition') ?? []).map((text) => partitionOf(text, regions)),
  };
  return {
    scenario,
    baseline: !switches.has('--no-baseline'),
    json: switches.has('--json'),
    reportPath: read('--report', (text) => text, 'lab-report.html'),
    help: switches.has('--help'),
  };
}
