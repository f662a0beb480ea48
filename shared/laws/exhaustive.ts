/**
 * Exhaustive small scope: every history up to a bound, breadth first, through the model
 * of world.ts (the real `applyWrite`, `classify`, merge and compaction), histories that
 * reach the same state merged, each distinct state judged by the truth the model tracks.
 * Random search misses rare interleavings; this does not, within its bound.
 */
import { createHash } from 'node:crypto';
import type { AttributeMap } from '../dynamodb/attribute-value';
import type { RuleSet } from '../rules/types';
import type { Change } from '../write/change';
import { judge, judgeClaims, World, type Step, type Violation } from './world';

/** The scope of an exhaustive check. */
export interface Scope {
  readonly rules: RuleSet;
  readonly key: AttributeMap;
  readonly regions: readonly string[];
  readonly writersPerRegion: number;
  readonly skewsMs?: readonly number[];
  /** The client writes the history may make: which writer (region, writer index) makes which change. */
  readonly writes: readonly { readonly region: number; readonly writer: number; readonly change: Change }[];
  /** Events per history at most. */
  readonly depth: number;
  /** Include a step in which this much time passes (lets floors rise). */
  readonly waitMs?: number;
  /** Include redeliveries of a resolver's last record. */
  readonly redeliveries?: boolean;
  /** Virtual ms every event takes (the model's default: 7). */
  readonly stepMs?: number;
  /** Foldable epochs that make a resolver compact (1: at every chance). */
  readonly compactAt?: number;
  /** Stop after this many ms (real time), reporting the depth fully checked. */
  readonly budgetMs?: number;
}

/** What an exhaustive check covered and found. */
export interface ExhaustiveReport {
  /** Every history of this many events or fewer was checked. */
  readonly depthReached: number;
  /** Distinct states (after merging histories that reach the same state). */
  readonly statesChecked: number;
  /** Histories built (before merging). */
  readonly historiesBuilt: number;
  /** The first history that broke a promise, with what it broke. */
  readonly failure?: { readonly history: readonly Step[]; readonly violations: readonly Violation[] };
}

/** Every event of the scope's alphabet. */
export function alphabet(scope: Scope): Step[] {
  const regions = scope.regions.map((_, i) => i);
  const steps: Step[] = [];
  for (const { region, writer, change } of scope.writes) steps.push({ kind: 'write', region, writer, change });
  for (const region of regions) {
    for (const to of regions) if (to !== region) steps.push({ kind: 'deliver', from: region, to });
    steps.push({ kind: 'resolve', region });
    if (scope.redeliveries === true) steps.push({ kind: 'redeliver', region });
  }
  if (scope.waitMs !== undefined) steps.push({ kind: 'wait', ms: scope.waitMs });
  return steps;
}

interface Node {
  readonly history: readonly Step[];
  readonly world: World;
}

/**
 * Checks every history of the scope up to its depth (or its time budget).
 *
 * @example
 * const report = checkExhaustively({ rules, key, regions: ['us', 'eu'], writersPerRegion: 2, changes, depth: 6 });
 * report.failure; // undefined when no history breaks a promise
 */
export function checkExhaustively(scope: Scope): ExhaustiveReport {
  const started = Date.now();
  const steps = alphabet(scope);
  const root = new World({ rules: scope.rules, key: scope.key, regions: scope.regions, writersPerRegion: scope.writersPerRegion, skewsMs: scope.skewsMs, compactAt: scope.compactAt, stepMs: scope.stepMs, seed: 'exhaustive' });
  const seen = new Set<string>([digest(root.fingerprint())]);
  let frontier: Node[] = [{ history: [], world: root }];
  let historiesBuilt = 0;
  let depthReached = 0;
  for (let depth = 1; depth <= scope.depth; depth += 1) {
    const next: Node[] = [];
    for (const node of frontier) {
      // Events that would do nothing (nothing to deliver or resolve) lead back to this state.
      for (const step of node.world.enabled(steps)) {
        if (scope.budgetMs !== undefined && Date.now() - started > scope.budgetMs) return { depthReached, statesChecked: seen.size, historiesBuilt };
        const history = [...node.history, step];
        const world = node.world.fork();
        world.step(step);
        historiesBuilt += 1;
        const fingerprint = digest(world.fingerprint());
        if (seen.has(fingerprint)) continue;
        seen.add(fingerprint);
        // Claims at every state; the end of the story (quiet down, then no write lost, one
        // item, the rules' values) at the bound, where every shorter story has an extension.
        const violations = depth === scope.depth ? judge(world.fork(), scope) : judgeClaims(world, scope);
        if (violations.length > 0) return { depthReached, statesChecked: seen.size, historiesBuilt, failure: { history, violations } };
        if (depth < scope.depth) next.push({ history, world });
      }
    }
    depthReached = depth;
    frontier = next;
  }
  return { depthReached, statesChecked: seen.size, historiesBuilt };
}

/** States are many: keep a digest of each fingerprint, not the fingerprint. */
function digest(fingerprint: string): string {
  return createHash('sha1').update(fingerprint).digest('base64');
}
