/**
 * Where a command reads its environment and writes its output: the process's, or a
 * test's. Results go to `stdout`; progress and remarks for a person go to `stderr`.
 */

/** A stream a command writes to. */
export interface OutputStream {
  write(text: string): unknown;
  /** True when a person is watching (a terminal): progress bars are drawn only then. */
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** What a command may touch of its process. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: NodeJS.ProcessEnv;
  /** The working directory: relative paths (rules modules, checkpoints, files) start here. */
  readonly cwd: string;
  /** Epoch ms. */
  readonly now: () => number;
}

/**
 * The running process's streams, environment and clock.
 *
 * @example
 * const code = await runCli(process.argv.slice(2), processIo());
 */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), now: Date.now };
}
