/**
 * Convergence: random histories of writes in three regions, every version delivered to
 * every replica in a random order with duplicates and stale re-deliveries. Afterwards
 * every replica holds the same bytes, and an oracle of every write finds nothing lost.
 */
import fc from 'fast-check';
import exampleRules from '../../rules/example';
import { DEFAULT_REGIONS, historyArbitrary, replay, stateBytes, type Step } from '../../shared/laws/histories';
import { merge, visibleOf } from '../../shared/merge/merge';
import { entityFor } from '../../shared/rules/define-rules';
import { expectedItem, showAttributes } from '../../lab/oracle';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';

const RUNS = 400;
const KEYS = ['CART#1', 'STOCK#1', 'ORDER#1', 'USER#1', 'NOTE#1'];

/** Delivers every written version (some twice, in a random order) to every replica. */
function deliverAll(replicas: (AttributeMap | undefined)[], written: readonly AttributeMap[], order: readonly number[]): AttributeMap[] {
  const table = 'concord-convergence';
  return replicas.map((start) => {
    let held = start;
    for (const index of order) {
      const version = written[index % written.length] as AttributeMap;
      held = held === undefined ? version : merge(held, version, exampleRules, { table }).item;
    }
    return held as AttributeMap;
  });
}

describe.each(KEYS)('convergence of %s under the example rules', (pk) => {
  const key = { pk: { S: pk }, sk: { S: 'A' } };
  const entity = entityFor(exampleRules, key);
  const histories = historyArbitrary(entity, DEFAULT_REGIONS.length, 14).filter((steps) => steps.some((step) => step.kind === 'write'));
  const deliveries = (steps: Step[]) => fc.array(fc.nat(), { minLength: steps.length * 2, maxLength: steps.length * 3 });
  const scenario = histories.chain((steps) => fc.tuple(fc.constant(steps), deliveries(steps)));

  it('leaves every replica with the same bytes', () => {
    fc.assert(
      fc.property(scenario, ([steps, order]) => {
        const { replicas, written } = replay(exampleRules, key, steps);
        const final = deliverAll([...replicas], written, [...order, ...written.map((_, i) => i)]);
        expect(new Set(final.map((image) => stateBytes(image))).size).toBe(1);
      }),
      { numRuns: RUNS },
    );
  });

  it('loses no write: the replicas show what the oracle of every write expects', () => {
    fc.assert(
      fc.property(scenario, ([steps, order]) => {
        const { replicas, written, writes } = replay(exampleRules, key, steps);
        const [final] = deliverAll([...replicas], written, [...order, ...written.map((_, i) => i)]);
        const expected = expectedItem(exampleRules, key, writes);
        expect(showAttributes(visibleOf(final as AttributeMap, exampleRules))).toBe(showAttributes(expected.attributes));
      }),
      { numRuns: RUNS },
    );
  });
});
