/**
 * `npm start`: parse the flags, run the scenario (plain Global Tables, then Concord),
 * print the comparison, write the HTML report. A function that tests call without
 * spawning a process; ./cli.ts only wires it to the process.
 */
import { UsageError } from '../local/local-command';
import { parseLabArgs, USAGE } from './args';
import { ProgressBar } from './progress';
import { writeReport } from './report';
import { runScenario, type RunOutcome, type RunProgress } from './run';
import { runScenarioInChild, runsInChild } from './run-child';
import { RunMode } from './scenario';
import { compare, formatComparison } from './summary';

/** Where the command writes. */
export interface CommandIo {
  readonly stdout: Pick<NodeJS.WriteStream, 'write'>;
  readonly stderr: Pick<NodeJS.WriteStream, 'write'> & { readonly isTTY?: boolean };
}

/**
 * Silences the resolver's Powertools logs and EMF metrics and the SDK's notices unless the
 * environment asks for them: the lab collects the metrics itself, and the terminal is for
 * the comparison.
 *
 * @example
 * quietLabEnvironment(process.env);
 */
export function quietLabEnvironment(env: NodeJS.ProcessEnv): void {
  env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  env.AWS_EC2_METADATA_DISABLED ??= 'true';
}

/** Exit code of a bad command line. */
export const USAGE_EXIT_CODE = 2;

/** How the command runs. */
export interface CommandOptions {
  /**
   * Run plain Global Tables in a child process while Concord runs here (two cores, about
   * half the time). Needs a loader for TypeScript in `execArgv`, as `tsx` gives.
   */
  readonly parallel?: boolean;
}

/**
 * Runs `npm start` with `argv` (the arguments after the script name) and returns the
 * exit code: 0, or 2 for a bad flag.
 *
 * @example
 * process.exitCode = await runLabCommand(process.argv.slice(2), process, { parallel: true });
 */
export async function runLabCommand(argv: readonly string[], io: CommandIo, options: CommandOptions = {}): Promise<number> {
  let args;
  try {
    args = parseLabArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`error: ${error.message}\n\n${USAGE}`);
    return USAGE_EXIT_CODE;
  }
  if (args.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const { scenario } = args;
  const bar = new ProgressBar(io.stderr);
  const onProgress = (progress: RunProgress): void => bar.update(progress);
  let lww: RunOutcome | undefined;
  let concord: RunOutcome;
  if (args.baseline && options.parallel === true && runsInChild(scenario)) {
    [lww, concord] = await Promise.all([runScenarioInChild(scenario, RunMode.Lww, onProgress), runScenario(scenario, RunMode.Concord, { onProgress })]);
  } else {
    lww = args.baseline ? await runScenario(scenario, RunMode.Lww, { onProgress }) : undefined;
    concord = await runScenario(scenario, RunMode.Concord, { onProgress });
  }
  bar.done();
  const summary = compare(scenario, lww, concord);
  const reportPath = writeReport(args.reportPath, { scenario, lww, concord });
  io.stdout.write(`${formatComparison(summary)}\nReport: ${reportPath}\n`);
  if (args.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
}
