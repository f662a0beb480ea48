/**
 * Progress bars for long work, drawn on stderr and only for a person: never when stderr
 * is not a terminal, and never with `--json` (the caller decides). A bar redraws at most
 * ten times a second and clears its line when done, so results on stdout stay clean.
 */
import type { OutputStream } from './io';

/** Progress of one piece of work. */
export interface Progress {
  /** Counts `count` more units done. */
  advance(count?: number): void;
  /** Sets (or corrects) how many units there are. */
  setTotal(total: number): void;
  /** Clears the bar. */
  done(): void;
}

/** Options of {@link progressBar}. */
export interface ProgressOptions {
  /** False draws nothing (not a terminal, or `--json`). */
  readonly enabled: boolean;
  /** Units to do, when known: the bar shows a share and the time left. */
  readonly total?: number;
  /** The unit's name, plural (`items`). */
  readonly unit?: string;
  readonly now?: () => number;
}

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

const SILENT: Progress = { advance: () => undefined, setTotal: () => undefined, done: () => undefined };

/**
 * A progress bar on `stream`.
 *
 * @example
 * const progress = progressBar(io.stderr, 'adopting', { enabled: io.stderr.isTTY === true && !json, unit: 'items' });
 * progress.advance(100);
 * progress.done();
 */
export function progressBar(stream: OutputStream, label: string, options: ProgressOptions): Progress {
  if (!options.enabled) return SILENT;
  const now = options.now ?? Date.now;
  const started = now();
  let total = options.total;
  let done = 0;
  let drawnAt = 0;
  const draw = (force: boolean): void => {
    const at = now();
    if (!force && at - drawnAt < REDRAW_MS) return;
    drawnAt = at;
    stream.write(`\r\x1b[2K${describeProgress(label, done, total, at - started, options.unit ?? 'done')}`);
  };
  return {
    advance(count = 1) {
      done += count;
      draw(false);
    },
    setTotal(value) {
      total = value;
      draw(true);
    },
    done() {
      stream.write('\r\x1b[2K');
    },
  };
}

/**
 * One line of progress: a bar and a share when the total is known, the count, the rate
 * and the time left.
 *
 * @example
 * describeProgress('adopting', 450, 1000, 3000, 'items'); // 'adopting [##########..............]  45% 450/1000 items · 150/s · 4s left'
 */
export function describeProgress(label: string, done: number, total: number | undefined, elapsedMs: number, unit: string): string {
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const rateText = `${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/s`;
  if (total === undefined || total <= 0) return `${label} ${done} ${unit} · ${rateText}`;
  const share = Math.min(1, done / total);
  const filled = Math.round(share * BAR_WIDTH);
  const left = rate > 0 ? `${Math.ceil((total - done) / rate)}s left` : '…';
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}% ${done}/${total} ${unit} · ${rateText} · ${left}`;
}
