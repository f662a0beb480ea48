/**
 * A `CliIo` for running commands in the test process: output collected, environment and
 * clock given.
 */
import type { CliIo } from '../../cli/io';

/** A CliIo whose streams keep what was written. */
export interface CollectingIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

/**
 * An IO with an empty environment (unless given), a fixed clock and collected output.
 *
 * @example
 * const io = collectingIo();
 * await runCli(['inspect', '--help'], io);
 * io.out(); // the help
 */
export function collectingIo(env: NodeJS.ProcessEnv = {}, now = 1_732_851_200_000): CollectingIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout: { write: (text: string) => stdout.push(text) },
    stderr: { write: (text: string) => stderr.push(text) },
    env,
    cwd: process.cwd(),
    now: () => now,
    out: () => stdout.join(''),
    err: () => stderr.join(''),
  };
}
