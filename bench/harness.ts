/**
 * A tiny benchmark harness: interleaved rounds of the measured function and its
 * baseline in one process, so a ratio is measured side by side on the same noisy
 * machine. Medians, not means.
 */
export interface Timing {
  /** Median nanoseconds per call. */
  readonly nsPerOp: number;
}

/** The median of samples (the upper one of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Times a synchronous function: `rounds` samples of `iterations` calls each. */
export function timeSync(fn: () => unknown, iterations: number, rounds = 15): Timing {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round += 1) samples.push(sampleSync(fn, iterations));
  return { nsPerOp: median(samples) };
}

function sampleSync(fn: () => unknown, iterations: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) fn();
  return Number(process.hrtime.bigint() - start) / iterations;
}

/**
 * Measures `subject ÷ baseline` with their samples interleaved, so drift in machine
 * load hits both alike.
 */
export function ratioSync(subject: () => unknown, baseline: () => unknown, iterations: number, rounds = 21): { ratio: number; subject: Timing; baseline: Timing } {
  for (let i = 0; i < iterations; i += 1) {
    subject();
    baseline();
  }
  const subjects: number[] = [];
  const baselines: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    subjects.push(sampleSync(subject, iterations));
    baselines.push(sampleSync(baseline, iterations));
  }
  const s = median(subjects);
  const b = median(baselines);
  return { ratio: s / b, subject: { nsPerOp: s }, baseline: { nsPerOp: b } };
}

/** Times an async function end to end, once. */
export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Runs a measurement `runs` times and keeps each figure's median over the runs, so one
 * noisy run does not decide; `spread` names figures whose lowest and highest values are
 * kept too, as `<name>Min` and `<name>Max`.
 *
 * @example
 * const figures = await medianOfRuns(5, () => ({ ratio: measureOnce() }), ['ratio']); // { ratio, ratioMin, ratioMax }
 */
export async function medianOfRuns<K extends string>(runs: number, run: () => Record<K, number> | Promise<Record<K, number>>, spread: readonly K[] = []): Promise<Record<string, number>> {
  const samples: Record<K, number>[] = [];
  for (let i = 0; i < runs; i += 1) samples.push(await run());
  const figures: Record<string, number> = {};
  for (const name of Object.keys(samples[0] ?? {}) as K[]) {
    const values = samples.map((sample) => sample[name]);
    figures[name] = median(values);
    if (spread.includes(name)) {
      figures[`${name}Min`] = Math.min(...values);
      figures[`${name}Max`] = Math.max(...values);
    }
  }
  return figures;
}
