/**
 * `concord inspect` after a lab run shows the state the lab's checker reports: through
 * the public lab API (`runScenario` on a small `scenarioWith`), inspect's view of every
 * final item is compared with what the run reports about it: the replicas inspect calls
 * identical are exactly those the checker found converged; the value inspect shows for
 * an attribute the checker found lost is the one the checker says the item shows; and
 * the envelope sizes inspect reports give the checker's envelope statistics.
 * The run's final items (`RunOutcome.finalItems`) are what inspect reads.
 */
import exampleRules from '../../rules/example';
import { runScenario, type RunOutcome } from '../../lab/run';
import { RunMode, scenarioWith } from '../../lab/scenario';
import { LossReason } from '../../lab/losses';
import { describeKey, keyOf } from '../../shared/item/state';
import { canonicalJson, type AttributeMap, type AttributeValue } from '../../shared/dynamodb/attribute-value';
import { toPlain } from '../../shared/resolver/audit/plain';
import { viewItem, type ItemView } from '../../cli/operations/inspect/item-view';
import { compareReplicas } from '../../cli/operations/inspect/replicas';

/** Region → `canonicalJson(key)` → image: what a run leaves in each region. */
type FinalItems = ReadonlyMap<string, ReadonlyMap<string, AttributeMap>>;

/** One final item (or its absence) in one region, as inspect shows it. */
interface Inspected {
  readonly region: string;
  readonly keyId: string;
  /** The key as the checker names it in its losses. */
  readonly described: string;
  readonly image: AttributeMap | undefined;
  readonly view: ItemView;
}

const SMALL = { operations: 150, keysPerWorkload: 3, faults: 'off', seed: 5 } as const;
const NOW = Date.UTC(2025, 0, 2);


/** Inspect's view of every key of the run in every region. */
function inspectAll(items: FinalItems): Inspected[] {
  const keys = new Map<string, AttributeMap>();
  for (const byKey of items.values()) for (const [keyId, image] of byKey) keys.set(keyId, keyOf(image, exampleRules.table));
  return [...keys].flatMap(([keyId, key]) =>
    [...items].map(([region, byKey]) => {
      const image = byKey.get(keyId);
      return { region, keyId, described: describeKey(key), image, view: viewItem(image, exampleRules, { key, now: NOW, region }) };
    }),
  );
}

describe.each([RunMode.Concord, RunMode.Lww])('concord inspect on the final items of a %s run', (mode) => {
  let outcome: RunOutcome;

  // Prepare and Act: one small run; the tests compare its report with inspect's views.
  beforeAll(async () => {
    outcome = await runScenario(scenarioWith(SMALL), mode);
  });

  it('calls identical exactly the replicas the checker found converged', () => {
    // Prepare
    const byKey = new Map<string, Inspected[]>();
    for (const item of inspectAll(outcome.finalItems)) byKey.set(item.keyId, [...(byKey.get(item.keyId) ?? []), item]);

    // Act
    const different = [...byKey].filter(([, replicas]) => !compareReplicas(replicas).identical).map(([keyId]) => keyId);

    // Assess
    expect(different.sort()).toEqual([...outcome.check.divergentKeys].sort());
  });

  it('shows, for every attribute the checker found lost, the value the checker says the item shows', () => {
    // Prepare
    const inspected = inspectAll(outcome.finalItems);
    const shows = (described: string, attribute: string, actual: AttributeValue | null): boolean =>
      inspected.some((item) => item.described === described && canonicalJson(item.view.values[attribute] ?? null) === canonicalJson(actual === null ? null : toPlain(actual)));

    // Act
    const unlike = outcome.check.losses.filter((loss) => loss.reason === LossReason.Value && loss.attribute !== undefined && !shows(loss.key, loss.attribute, JSON.parse(loss.actual) as AttributeValue | null));

    // Assess
    expect(unlike).toEqual([]);
  });

  it("gives the checker's largest envelope from the sizes it shows", () => {
    // Prepare
    const reported = (outcome.check as { readonly envelopeBytes?: { readonly max: number } }).envelopeBytes;
    if (reported === undefined) throw new Error("lab/checker.ts: CheckResult does not report envelopeBytes yet; this test needs it");

    // Act
    const largest = Math.max(0, ...inspectAll(outcome.finalItems).map((item) => item.view.size?.envelopeBytes ?? 0));

    // Assess
    expect(largest).toBe(reported.max);
  });
});
