/**
 * The `concord` CLI as its users run it: a real process (bin/concord.js, through tsx),
 * with the environment a test gives it (the local stack's exports), its output and exit
 * status collected.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The repository's `concord` executable. */
export const CONCORD_BIN = join(__dirname, '..', '..', 'bin', 'concord.js');

/** What one run of the CLI did. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runConcord}. */
export interface CliRunOptions {
  /** Variables on top of the test process's own (which carry test/helpers/env.ts's quiet defaults). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

/** Variables a developer's shell may hold that would point the CLI elsewhere: a run starts without them. */
const SHELL_SETTINGS = /^(CONCORD_|AWS_ENDPOINT_URL)/;

/**
 * Runs `concord <args>` to its end.
 *
 * @example
 * const { code, stdout } = await runConcord(['inspect', 'CART#1', 'CART', '--json'], { env: stack.env });
 */
export function runConcord(args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !SHELL_SETTINGS.test(name)) env[name] = value;
  for (const [name, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[name] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CONCORD_BIN, ...args], { env, cwd: options.cwd ?? join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() });
    });
  });
}

/**
 * The JSON document a `--json` run printed.
 *
 * @throws Error with the run's output when stdout is not one JSON document
 */
export function jsonOf<T = Record<string, unknown>>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`concord printed no JSON (exit ${run.code}):\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  }
}
