/**
 * Named regressions of issue 8, on the model of shared/laws/world.ts (the real
 * `applyWrite`, `classify`, merge and compaction; the truth tracked outside Concord):
 *
 * - case 1: counter increments lost when a branch slot was folded (a hot counter, three
 *   regions, a lagging resolver);
 * - case 2: gaps forgotten by time (a write merged back in its region, then a 3-hour
 *   partition during which the other region writes on);
 * - case 3: two writer instances of one region, clocks tens of milliseconds apart,
 *   issuing the same dot;
 * - case 8: metadata that never shrinks (600 writes from 3 regions on an item with a
 *   counter and a 100-element set).
 *
 * Cases 4 to 7 have theirs where their code is: test/writer/concurrency.test.ts and
 * shared/clock/hlc.test.ts (4), test/core/built-in-names.test.ts (5),
 * test/core/numbers.test.ts (6), shared/laws/check-laws.test.ts (7).
 */
import exampleRules from '../../rules/example';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import { itemSizeBytes } from '../../shared/resolver/item-size';
import { describeStep, judge, World, type Step } from '../../shared/laws/world';
import { defineRules } from '../../shared/rules/define-rules';
import type { RuleSet } from '../../shared/rules/types';
import type { Change } from '../../shared/write/change';
import { seededRandom as random } from '../../local/random';
import { keyOf } from '../helpers/items';

const STOCK = keyOf('STOCK#1', 'STOCK');
const CART = keyOf('CART#1', 'CART');
const HOUR = 3_600_000;

/** Runs `steps` on a fresh world and judges it; the violations come with the history that made them. */
function verdictOf(world: World, steps: readonly Step[], key: AttributeMap, rules: RuleSet = exampleRules): string[] {
  for (const step of steps) world.step(step);
  const violations = judge(world, { rules, key });
  return violations.length === 0 ? [] : [...violations.map((v) => `${v.invariant}: ${v.detail}`), `after ${steps.length} steps, e.g. ${steps.slice(0, 12).map((s) => describeStep(s, world.regions)).join('; ')}`];
}

const write = (region: number, writer: number, change: Change): Step => ({ kind: 'write', region, writer, change });
const deliver = (from: number, to: number): Step => ({ kind: 'deliver', from, to });
const resolve = (region: number): Step => ({ kind: 'resolve', region });
const wait = (ms: number): Step => ({ kind: 'wait', ms });
const increment = (delta: number): Change => ({ type: 'update', increment: { onHand: delta } });

describe('regression (issue 8, case 1): a hot counter with a lagging resolver', () => {
  it('keeps every increment of 3 regions writing 6–7 times a second, replication 50–150 ms, resolvers 5–10 s late', () => {
    // Prepare: 600 increments; deliveries every 50–150 ms; each resolver catches up every 5–10 s
    const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
    const draw = random(1);
    const steps: Step[] = [];
    const resolverDueAt = regions.map(() => 5_000 + draw() * 5_000);
    let now = 0;
    for (let i = 0; i < 600; i += 1) {
      const region = Math.floor(draw() * 3);
      steps.push(write(region, Math.floor(draw() * 2), increment(draw() < 0.8 ? 1 : -1)), wait(40));
      now += 50;
      if (draw() < 0.6) steps.push(deliver(region, (region + 1 + Math.floor(draw() * 2)) % 3));
      for (const [r, due] of resolverDueAt.entries()) {
        if (now < due) continue;
        for (let k = 0; k < 40; k += 1) steps.push(resolve(r));
        resolverDueAt[r] = now + 5_000 + draw() * 5_000;
      }
    }
    const world = new World({ rules: exampleRules, key: STOCK, regions, writersPerRegion: 2, skewsMs: [0, -30, 120, -200, 450, -480] });

    // Act
    const verdict = verdictOf(world, steps, STOCK);

    // Assess
    expect(verdict).toEqual([]);
  });
});

describe('regression (issue 8, case 2): a write merged back in its region, then a 3-hour partition', () => {
  it('keeps the merged-back write and every write of the partition once it heals', () => {
    // Prepare: US and EU write concurrently; EU's version overwrites US's in US, where the resolver
    // merges US's write back at once; then the link is cut for 3 hours while both regions write on.
    const steps: Step[] = [write(0, 0, increment(10)), deliver(0, 1), write(0, 0, increment(1)), write(1, 0, increment(2)), deliver(1, 0), resolve(0), resolve(0)];
    for (let hour = 0; hour < 6; hour += 1) steps.push(wait(HOUR / 2), write(1, hour % 2, increment(3)), write(0, hour % 2, increment(5)), resolve(0), resolve(1));
    steps.push(deliver(0, 1), deliver(1, 0));
    const world = new World({ rules: exampleRules, key: STOCK, regions: ['us-east-1', 'eu-west-1'], writersPerRegion: 2, skewsMs: [0, 250, -250, 0] });

    // Act
    const verdict = verdictOf(world, steps, STOCK);

    // Assess
    expect(verdict).toEqual([]);
  });
});

describe('regression (issue 8, case 3): two writer instances of one region, clocks tens of milliseconds apart', () => {
  it('never issue the same dot, and neither write vanishes', () => {
    // Prepare: the two writers of us-east-1 take turns on one item, the second 30 ms behind, 10 ms apart
    const steps: Step[] = [];
    for (let i = 0; i < 40; i += 1) steps.push(write(0, i % 2, { type: 'update', addToSet: { items: [`item-${i}`] } }), wait(3));
    const world = new World({ rules: exampleRules, key: CART, regions: ['us-east-1', 'eu-west-1'], writersPerRegion: 2, skewsMs: [0, -30, 0, 0], stepMs: 7 });

    // Act
    const verdict = verdictOf(world, steps, CART);

    // Assess
    expect(verdict).toEqual([]);
  });
});

describe('regression (issue 8, case 8): metadata that never shrank', () => {
  /** Baskets: a counter and an add-wins set, as the item had. */
  const rules = defineRules({ entities: { basket: { match: { prefix: 'BASKET#' }, attributes: { items: 'addWinsSet', count: 'counter', coupon: 'lww' } } } });
  const BASKET = keyOf('BASKET#1', 'BASKET');

  /** `writes` writes from 3 regions on a basket that starts with 100 items: adds, removes, counts, coupons; replication and resolvers on time. */
  function busyBasket(writes: number): { world: World; steps: Step[] } {
    const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
    const draw = random(8);
    const steps: Step[] = [write(0, 0, { type: 'put', item: { items: { SS: Array.from({ length: 100 }, (_, i) => `item-${i}`) }, count: { N: '100' } } }), deliver(0, 1), deliver(0, 2)];
    for (let i = 0; i < writes; i += 1) {
      const region = Math.floor(draw() * 3);
      const element = `item-${Math.floor(draw() * 100)}`;
      const roll = draw();
      const change: Change =
        roll < 0.15 ? { type: 'update', set: { coupon: { S: `C${i}` } } } : roll < 0.5 ? { type: 'update', removeFromSet: { items: [element] }, increment: { count: -1 } } : { type: 'update', addToSet: { items: [element] }, increment: { count: 1 } };
      steps.push(write(region, Math.floor(draw() * 2), change), wait(150));
      for (let to = 0; to < 3; to += 1) if (to !== region) steps.push(deliver(region, to));
      for (let r = 0; r < 3; r += 1) steps.push(resolve(r), resolve(r));
    }
    return { world: new World({ rules, key: BASKET, regions, writersPerRegion: 2, skewsMs: [0, 100, -100, 200, -200, 300] }), steps };
  }

  /** The largest envelope of any version stored while `writes` writes happen and quiet down. */
  function largestEnvelope(writes: number): number {
    const { world, steps } = busyBasket(writes);
    for (const step of steps) world.step(step);
    world.quiesce();
    return Math.max(...world.versions.map((version) => (version.image === undefined ? 0 : itemSizeBytes({ _cc: version.image._cc as AttributeMap[string] }))));
  }

  it('loses nothing in 600 writes', () => {
    // Prepare
    const { world, steps } = busyBasket(600);

    // Act
    const verdict = verdictOf(world, steps, BASKET, rules);

    // Assess
    expect(verdict).toEqual([]);
  });

  it('never carries more than 6 KB of metadata in 600 writes (the issue measured 14 KB): about 45 bytes per element\'s add, and a few epochs', () => {
    // Act
    const bytes = largestEnvelope(600);

    // Assess
    expect(bytes).toBeLessThan(6_144);
  });

  it('does not grow with the number of writes: the largest envelope of 1,200 writes is no larger than that of 300', () => {
    // Act
    const [fewer, more] = [largestEnvelope(300), largestEnvelope(1_200)];

    // Assess
    expect(more).toBeLessThanOrEqual(fewer);
  });
});
