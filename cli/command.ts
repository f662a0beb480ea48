/**
 * What a `concord` command is: its command line, its help, and its run, which returns
 * a result as data (printed as JSON with `--json`) and as text for a person.
 */
import type { CommandLineSpec } from './args';
import type { ExitCode } from './exit-code';
import type { Session } from './session';

/** What a command produced. */
export interface CommandResult {
  readonly exitCode: ExitCode;
  /** The JSON document printed with `--json`. */
  readonly data: unknown;
  /** What a person reads. */
  readonly text: string;
}

/** One command (or subcommand, named `quarantine list`). */
export interface Command extends CommandLineSpec {
  readonly name: string;
  /** One line, for `concord --help`. */
  readonly summary: string;
  /** What follows the name in the usage line, e.g. `<key> [options]`. */
  readonly usage: string;
  /** What the command does, for its `--help`. */
  readonly description: string;
  run(session: Session): Promise<CommandResult>;
}
