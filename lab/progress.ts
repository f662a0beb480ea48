/**
 * The progress of `npm start` on stderr: one line redrawn in place on a terminal with a
 * bar per run (the runs may go on side by side), plain lines at every quarter of each
 * run otherwise (a log file or CI keeps a readable trace).
 */
import type { RunProgress } from './run';

const WIDTH = 20;
const STEPS = 4;

/** Writes the progress of the lab's runs to a stream. */
export class ProgressBar {
  private readonly runs = new Map<string, RunProgress>();
  private readonly steps = new Map<string, number>();

  constructor(private readonly stream: Pick<NodeJS.WriteStream, 'write'> & { readonly isTTY?: boolean }) {}

  /**
   * Shows where a run is.
   *
   * @example
   * const bar = new ProgressBar(process.stderr);
   * await runScenario(scenario, mode, { onProgress: (p) => bar.update(p) });
   * bar.done();
   */
  update(progress: RunProgress): void {
    this.runs.set(progress.mode, progress);
    if (this.stream.isTTY === true) {
      this.stream.write(`\r${[...this.runs.values()].map(bar).join('  ')}\u001b[K`);
      return;
    }
    const step = Math.floor(share(progress) * STEPS);
    if (step > (this.steps.get(progress.mode) ?? -1)) {
      this.steps.set(progress.mode, step);
      this.stream.write(`${String(step * (100 / STEPS)).padStart(3)}% ${label(progress)}\n`);
    }
  }

  /** Ends the progress line. */
  done(): void {
    if (this.stream.isTTY === true && this.runs.size > 0) this.stream.write('\n');
    this.runs.clear();
    this.steps.clear();
  }
}

function share(progress: RunProgress): number {
  return progress.operations === 0 ? 1 : progress.done / progress.operations;
}

function label(progress: RunProgress): string {
  const phase = progress.done < progress.operations ? 'writing' : 'settling';
  return `${progress.mode} ${phase} ${progress.done}/${progress.operations} ops, virtual ${(progress.elapsedMs / 1000).toFixed(1)} s`;
}

function bar(progress: RunProgress): string {
  const filled = Math.round(share(progress) * WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.floor(share(progress) * 100)).padStart(3)}% ${label(progress)}`;
}
