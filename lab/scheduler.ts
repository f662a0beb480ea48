/**
 * The lab's virtual clock: a deterministic scheduler of timed events.
 *
 * Delays, batching windows, backoffs and call latencies are scheduled, never slept.
 * Real I/O (the HTTP calls to the regions' endpoints) still happens, so the order in
 * which concurrent promises settle must not reach the results. The rule that ensures
 * it: exactly one *turn* runs at a time. A turn is an event's action, or a stretch of a
 * task (a client's write, a handler invocation) from where it starts or wakes up to
 * where it sleeps on the virtual clock or ends; the scheduler awaits the turn, I/O
 * included, before it advances time. Tasks therefore interleave only at virtual sleeps,
 * in an order fixed by virtual time and scheduling order, and a seed reproduces a run.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ConcurrentTaskError, LabError } from './errors';
import { PriorityQueue, type Timed } from './priority-queue';

interface Entry extends Timed {
  /** Runs the turn; resolves when the turn is over. */
  readonly run: () => Promise<void> | void;
}

interface Task {
  readonly name: string;
}

/** Why {@link VirtualScheduler.run} returned. */
export const RunStop = {
  /** Nothing left to do: every task ended, no event pending. */
  Idle: 'idle',
  /** The next event was past the deadline. */
  Deadline: 'deadline',
} as const;
export type RunStop = (typeof RunStop)[keyof typeof RunStop];

/** Options of {@link VirtualScheduler.run}. */
export interface RunOptions {
  /** Stop before the first event due after this virtual time. */
  readonly deadline?: number;
  /** Called after each turn. */
  readonly onTurn?: (now: number) => void;
}

/**
 * A virtual clock with a queue of timed events and cooperative tasks.
 *
 * @example
 * const scheduler = new VirtualScheduler(Date.UTC(2025, 0, 1));
 * scheduler.spawn(0, 'writer', async () => {
 *   await client.send(command);   // real I/O, inside the turn
 *   await scheduler.sleep(250);   // yields: other events run first
 * });
 * await scheduler.run();          // 'idle'
 */
export class VirtualScheduler {
  private nowMs: number;
  private order = 0;
  private readonly queue = new PriorityQueue<Entry>();
  private readonly tasks = new AsyncLocalStorage<Task>();
  private turn: { readonly task: Task; readonly end: () => void } | undefined;
  private readonly failures: unknown[] = [];

  constructor(startMs: number) {
    this.nowMs = startMs;
  }

  /** The virtual time, in epoch milliseconds. */
  get now(): number {
    return this.nowMs;
  }

  /** Events and woken tasks waiting. */
  get pending(): number {
    return this.queue.size;
  }

  /** True inside a task's turn, where {@link VirtualScheduler.sleep} is allowed. */
  get inTask(): boolean {
    return this.tasks.getStore() !== undefined;
  }

  /**
   * Runs `action` at virtual time `at` (now, if `at` has passed). The action runs alone;
   * if it is async, time stands still until it settles. It must not sleep.
   *
   * @example
   * scheduler.at(scheduler.now + 120, () => replicate(write));
   */
  at(at: number, action: () => Promise<void> | void): void {
    this.queue.push({ at: Math.max(at, this.nowMs), order: (this.order += 1), run: action });
  }

  /**
   * Starts a task at virtual time `at`: an async function that may sleep on the
   * virtual clock. A task's rejection is kept and rethrown by {@link VirtualScheduler.run}.
   *
   * @example
   * scheduler.spawn(scheduler.now, 'invoke us-east-1/0', () => invokeBatch());
   */
  spawn(at: number, name: string, body: () => Promise<void>): void {
    const task: Task = { name };
    this.at(at, () =>
      this.takeTurn(task, () => {
        void this.tasks.run(task, () =>
          body().then(
            () => this.endTurn(task),
            (error: unknown) => {
              this.failures.push(error);
              this.endTurn(task);
            },
          ),
        );
      }),
    );
  }

  /**
   * Sleeps `ms` virtual milliseconds: the calling task gives its turn back and wakes up
   * when the clock reaches the time.
   *
   * @throws LabError outside a task
   * @throws ConcurrentTaskError (rejects) when the task does not hold the turn: it runs two branches at once
   * @example
   * await scheduler.sleep(backoffMs);
   */
  sleep(ms: number): Promise<void> {
    const task = this.tasks.getStore();
    if (task === undefined) throw new LabError('sleep() on the virtual clock outside a scheduled task');
    if (this.turn?.task !== task) return Promise.reject(new ConcurrentTaskError(task.name));
    return new Promise((resolve) => {
      this.at(this.nowMs + Math.max(0, ms), () => this.takeTurn(task, resolve));
      this.endTurn(task);
    });
  }

  /**
   * Runs turns in virtual time order until nothing is left or the deadline is reached.
   *
   * @throws the first error a task threw
   */
  async run(options: RunOptions = {}): Promise<RunStop> {
    for (;;) {
      const next = this.queue.peek();
      if (next === undefined) break;
      if (options.deadline !== undefined && next.at > options.deadline) return RunStop.Deadline;
      this.queue.pop();
      this.nowMs = Math.max(this.nowMs, next.at);
      await next.run();
      if (this.failures.length > 0) throw this.failures[0];
      options.onTurn?.(this.nowMs);
    }
    return RunStop.Idle;
  }

  private takeTurn(task: Task, start: () => void): Promise<void> {
    return new Promise((end) => {
      this.turn = { task, end };
      start();
    });
  }

  private endTurn(task: Task): void {
    const turn = this.turn;
    if (turn?.task !== task) throw new ConcurrentTaskError(task.name);
    this.turn = undefined;
    turn.end();
  }
}
