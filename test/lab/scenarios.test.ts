/**
 * The lab's proof, on a small seeded scenario of each workload with faults on: plain
 * Global Tables lose updates (so the checker can fail), and Concord converges, audits
 * every conflict, does not loop, and loses nothing. Real endpoints, real resolver.
 */
import { runScenario, type RunOutcome } from '../../lab/run';
import { RunMode, scenarioWith } from '../../lab/scenario';
import { WORKLOADS, type Workload } from '../../lab/workload';
import { ResolveIn } from '../../shared/resolver';

const SMALL = { operations: 150, keysPerWorkload: 4, faults: 'on', seed: 11 } as const;
const outcomes = new Map<Workload, { lww: RunOutcome; concord: RunOutcome }>();

// Prepare and Act: each scenario runs once in each mode; the tests below assess the outcomes.
beforeAll(async () => {
  for (const workload of WORKLOADS) {
    const scenario = scenarioWith({ ...SMALL, workloads: [workload] });
    outcomes.set(workload, { lww: await runScenario(scenario, RunMode.Lww), concord: await runScenario(scenario, RunMode.Concord) });
  }
});

describe.each(WORKLOADS)('the %s workload with faults on', (workload) => {
  const runs = (): { lww: RunOutcome; concord: RunOutcome } => outcomes.get(workload) as { lww: RunOutcome; concord: RunOutcome };

  it('loses updates on plain Global Tables', () => {
    expect(runs().lww.check.lostUpdates).toBeGreaterThan(0);
  });

  it('converges with Concord: every region holds the same bytes', () => {
    expect(runs().concord.check.divergentKeys).toEqual([]);
  });

  it('audits every conflict with Concord', () => {
    const { check } = runs().concord;
    expect({ conflicts: check.conflicts > 0, coverage: check.auditCoverage }).toEqual({ conflicts: true, coverage: 1 });
  });

  it('quiesces with Concord: no item keeps being rewritten', () => {
    expect(runs().concord.check.loop).toBe(false);
  });

  it('loses no update with Concord', () => {
    expect(runs().concord.check.losses).toEqual([]);
  });
});

describe('Concord on every workload', () => {
  it('makes no write that claims a write of its region it never held', () => {
    const claims = WORKLOADS.map((workload) => outcomes.get(workload)?.concord.check.falseClaims);
    expect(claims).toEqual(WORKLOADS.map(() => 0));
  });
});

describe('Concord resolving only in the region that wrote the overwritten version (resolveIn: origin)', () => {
  let outcome: RunOutcome;

  // Prepare and Act: every workload at once, faults on.
  beforeAll(async () => {
    outcome = await runScenario(scenarioWith({ ...SMALL, resolveIn: ResolveIn.Origin }), RunMode.Concord);
  });

  it('loses no update: the origin of every overwritten version sees the overwrite in its own stream', () => {
    expect(outcome.check.losses).toEqual([]);
  });

  it('converges and audits every conflict', () => {
    expect({ divergent: outcome.check.divergentKeys, coverage: outcome.check.auditCoverage }).toEqual({ divergent: [], coverage: 1 });
  });
});
