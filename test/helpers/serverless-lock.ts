/**
 * One `serverless` command at a time per checkout, across jest workers: each keeps its
 * state in the service's `.serverless/` and builds in `.esbuild/`, so two at once in
 * different test files would overwrite each other's files.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = join(__dirname, '..', '..');
const LOCK = join(tmpdir(), `concord-serverless-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`);
const POLL_MS = 100;

/** True while the process that took the lock is alive. */
function holderAlive(): boolean {
  try {
    process.kill(Number(readFileSync(join(LOCK, 'pid'), 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `work` holding the checkout's serverless lock (taken over from a process that
 * died holding it).
 *
 * @example
 * const template = await withServerlessLock(() => packageOnce());
 */
export async function withServerlessLock<T>(work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      break;
    } catch {
      if (!holderAlive()) rmSync(LOCK, { recursive: true, force: true });
      else await sleep(POLL_MS);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
