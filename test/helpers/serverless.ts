/**
 * Runs the real `serverless` command (osls) as a newcomer would, offline, and reports
 * how it ended: exit code, output, and whether it had to be killed for hanging.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { offlineEnvironment } from './cloudformation';
import { withServerlessLock } from './serverless-lock';

const ROOT = join(__dirname, '..', '..');
const SERVERLESS = join(ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');

/** How a command ended. */
export interface CommandResult {
  /** Exit code; null when it was killed. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when it was still running after the timeout and had to be killed. */
  readonly hung: boolean;
}

/**
 * Runs `serverless <args>` in the project with the offline environment plus `env`,
 * killing it (and what it started) after `timeoutMs`; one at a time per checkout.
 *
 * @example
 * const { code, stdout } = await runServerless(['invoke', 'local', '-f', 'resolver', '-p', 'events/skip-successor.json'], localStack.env);
 */
export function runServerless(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CommandResult> {
  return withServerlessLock(() => run(args, env, timeoutMs));
}

function run(args: readonly string[], env: Record<string, string>, timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that a hang is ended with everything it started.
    const child = spawn(process.execPath, [SERVERLESS, ...args], { cwd: ROOT, env: { ...offlineEnvironment(), ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      hung = true;
      process.kill(-(child.pid as number), 'SIGKILL');
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, hung });
    });
  });
}
