/**
 * The command line of `npm run explore [-- --minutes N]`.
 */
import { UsageError } from '../../local/local-command';

/** What the command line asks for. */
export interface ExploreArgs {
  /** How long to keep starting new runs. */
  readonly minutes: number;
  readonly help: boolean;
}

export const DEFAULT_MINUTES = 5;
const MAX_MINUTES = 24 * 60;

export const EXPLORE_USAGE = `Usage: npm run explore [-- --minutes <n>]

For <n> minutes, runs the property tests with random seeds (CONCORD_EXPLORE=1) and lab
scenarios with random seeds and hard settings, and reports every failure with its seed
and the command that replays it. Exits 1 if anything failed.

  --minutes <n>   how long to keep starting runs, decimals allowed (default ${DEFAULT_MINUTES}, at most ${MAX_MINUTES});
                  the runs under way when it is over finish
  --help          show this text
`;

/**
 * Parses the flags.
 *
 * @throws UsageError naming the flag and the problem
 * @example
 * parseExploreArgs(['--minutes', '10']).minutes; // 10
 */
export function parseExploreArgs(argv: readonly string[]): ExploreArgs {
  let minutes: number | undefined;
  let help = false;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (name === '--help' && inline === undefined) {
      help = true;
      continue;
    }
    if (name !== '--minutes') throw new UsageError(name, name.startsWith('--') ? 'unknown flag (see --help)' : 'unexpected argument (flags start with --)');
    if (minutes !== undefined) throw new UsageError(name, 'is given twice');
    const text = inline ?? argv[(index += 1)] ?? '';
    const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
    if (!(value > 0 && value <= MAX_MINUTES)) throw new UsageError(name, `must be a number of minutes above 0 and at most ${MAX_MINUTES}, got ${JSON.stringify(text)}`);
    minutes = value;
  }
  return { minutes: minutes ?? DEFAULT_MINUTES, help };
}
