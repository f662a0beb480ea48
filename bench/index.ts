/**
 * `npm run bench [-- --json] [-- --only name,...]`: runs every benchmark module and
 * prints its figures, each figure that has a goal beside it; with `--json` the last line
 * is one JSON object of all of them, and under `goals` each goal with its figure's value
 * and whether it is met.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type BenchFigures = Record<string, number | string | boolean>;

/** A figure's goal: a bound it must reach. */
export interface Goal {
  readonly atLeast?: number;
  readonly atMost?: number;
}

interface BenchModule {
  readonly title: string;
  /** Goals of some of the figures, printed beside them. */
  readonly goals?: Readonly<Record<string, Goal>>;
  run(): Promise<BenchFigures>;
}

/** A goal, its figure's value and whether the value meets it, as `--json` reports them. */
interface GoalReport extends Goal {
  readonly value: number;
  readonly met: boolean;
}

function meets(goal: Goal, value: number): boolean {
  return (goal.atLeast === undefined || value >= goal.atLeast) && (goal.atMost === undefined || value <= goal.atMost);
}

/** `goal ≥ 2000, met`, `goal ≤ 0.2, NOT met` or `goal = 1, met`. */
function goalText(goal: Goal, value: number): string {
  const bound = goal.atLeast !== undefined && goal.atLeast === goal.atMost ? `= ${goal.atLeast}` : [goal.atLeast === undefined ? '' : `≥ ${goal.atLeast}`, goal.atMost === undefined ? '' : `≤ ${goal.atMost}`].filter(Boolean).join(', ');
  return `goal ${bound}, ${meets(goal, value) ? 'met' : 'NOT met'}`;
}

function parseArgs(argv: string[]): { json: boolean; only?: Set<string> } {
  const args = { json: false } as { json: boolean; only?: Set<string> };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--json') args.json = true;
    else if (arg === '--only') args.only = new Set((argv[++i] ?? '').split(',').filter(Boolean));
    else throw new Error(`unknown flag ${arg} (expected --json or --only name,...)`);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // The SDK warns about Node 20 on every client; benchmarks print figures, not that.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const files = readdirSync(__dirname)
    .filter((file) => file.endsWith('.bench.ts'))
    .sort();
  const figures: BenchFigures = {};
  const goals: Record<string, GoalReport> = {};
  for (const file of files) {
    const name = file.replace(/\.bench\.ts$/, '');
    if (args.only && !args.only.has(name)) continue;
    const module = (await import(pathToFileURL(join(__dirname, file)).href)) as BenchModule & { default?: BenchModule };
    const bench = module.default ?? module;
    process.stdout.write(`\n## ${bench.title}\n`);
    const result = await bench.run();
    for (const [key, goal] of Object.entries(bench.goals ?? {})) {
      const value = result[key];
      if (typeof value !== 'number') throw new Error(`${name}: the goal of ${key} has no figure`);
      goals[key] = { ...goal, value, met: meets(goal, value) };
    }
    for (const [key, value] of Object.entries(result)) {
      const goal = bench.goals?.[key];
      const shown = typeof value === 'number' ? round(value) : String(value);
      process.stdout.write(`  ${key.padEnd(28)} ${goal === undefined || typeof value !== 'number' ? shown : `${shown.padEnd(10)} (${goalText(goal, value)})`}\n`);
    }
    Object.assign(figures, result);
  }
  if (args.json) process.stdout.write(`${JSON.stringify({ ...figures, goals })}\n`);
}

function round(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
