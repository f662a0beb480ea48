/**
 * The promise, property-tested on the model of shared/laws/world.ts: with several writer
 * instances per region, skewed clocks, late and redelivered resolver runs, replication by
 * last-writer-wins and hours passing, every version claims only the writes it holds, dots
 * are unique, and once quiet every region holds one item that holds every client write
 * and shows what the rules say. Judged by the truth the model tracks, never by `_cc`.
 */
import fc from 'fast-check';
import exampleRules from '../../rules/example';
import { historyArbitrary } from '../../shared/laws/histories';
import { describeStep, judge, World } from '../../shared/laws/world';
import { keyOf } from '../helpers/items';
import { propertySettings } from '../helpers/properties';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const WRITERS = 2;
// Within the documented bound (rules: maxClockOffsetMs, 500 ms): writer instances disagree.
const SKEWS = [0, -480, 310, 95, -20, 470];

describe.each(exampleRules.entities.map((entity) => [entity.name, entity] as const))('entity %s', (_name, entity) => {
  const prefix = entity.match !== undefined && 'prefix' in entity.match ? entity.match.prefix : 'X#';
  const key = keyOf(`${prefix}1`);

  it('loses no write, claims nothing it does not hold, and converges to what the rules say', () => {
    fc.assert(
      fc.property(historyArbitrary(entity, { regions: REGIONS.length, writersPerRegion: WRITERS, maxSteps: 80 }), (steps) => {
        // Act
        const world = new World({ rules: exampleRules, key, regions: REGIONS, writersPerRegion: WRITERS, skewsMs: SKEWS });
        for (const step of steps) world.step(step);
        const violations = judge(world, { rules: exampleRules, key });

        // Assess
        if (violations.length > 0) {
          throw new Error(`${violations.map((v) => `${v.invariant}: ${v.detail}`).join('\n')}\nhistory:\n${steps.map((s, i) => `  ${i + 1}. ${describeStep(s, REGIONS)}`).join('\n')}`);
        }
      }),
      propertySettings({ numRuns: 300 }),
    );
  });
});
