/**
 * A seed reproduces a run: with real HTTP calls to the regions' endpoints and every
 * fault on, the same seed gives the same summary and timeline, and another seed another.
 */
import { runScenario } from '../../lab/run';
import { RunMode, scenarioWith } from '../../lab/scenario';
import { summarize } from '../../lab/summary';

const scenario = (seed: number) => scenarioWith({ operations: 120, keysPerWorkload: 3, faults: 'heavy', seed });

async function fingerprint(seed: number): Promise<string> {
  const outcome = await runScenario(scenario(seed), RunMode.Concord);
  return JSON.stringify({ summary: summarize(outcome), timeline: outcome.timeline, stats: { ...outcome.stats, realMs: 0 } });
}

describe('a lab run', () => {
  it('is the same for the same seed', async () => {
    // Act
    const [first, second] = [await fingerprint(21), await fingerprint(21)];

    // Assess
    expect(second).toBe(first);
  });

  it('differs for another seed', async () => {
    // Act
    const [first, other] = [await fingerprint(21), await fingerprint(22)];

    // Assess
    expect(other).not.toBe(first);
  });
});
