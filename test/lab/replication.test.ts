/**
 * Global Tables replication as the lab emulates it: item-level last writer wins on the
 * replication timestamp, the loser dropped without a record, a causally later write
 * always winning, coalescing, and partitions that hold writes until they heal.
 */
import { Draw } from '../../lab/draw';
import { Network, type Partition } from '../../lab/network';
import { Replication } from '../../lab/replication';
import { canonicalJson } from '../../shared/dynamodb/attribute-value';
import { keyOf } from '../helpers/items';
import { LAB_TEST_START, pkOf, startTestRegions, type TestRegions } from '../helpers/lab-regions';

const US = 'us-east-1';
const EU = 'eu-west-1';
const DELAY_MS = 100;

describe('Replication', () => {
  let lab: TestRegions;
  afterEach(() => lab.close());

  async function start(partitions: readonly Partition[] = []): Promise<Replication> {
    lab = await startTestRegions([US, EU]);
    return new Replication(lab.regions, lab.scheduler, new Network({ regions: [US, EU], delayMs: DELAY_MS, partitions }, new Draw(1, 'network')));
  }

  const valuesOf = async (pk: string): Promise<(string | undefined)[]> => {
    const values: (string | undefined)[] = [];
    for (const region of lab.regions) {
      const n = (await region.scan()).get(canonicalJson(keyOf(pk)))?.n;
      values.push(n !== undefined && 'N' in n ? n.N : undefined);
    }
    return values;
  };
  const eventsIn = (index: number, pk: string): string[] => (lab.regions[index]?.stream.records() ?? []).filter((r) => pkOf(r) === pk).map((r) => `${r.origin} ${r.record.eventName}`);

  it('settles concurrent writes on the later one everywhere and drops the loser without a record', async () => {
    // Prepare
    const replication = await start();
    lab.putAt(0, 0, 'K#1', 1);
    lab.putAt(1, 5, 'K#1', 2);

    // Act
    await lab.scheduler.run();

    // Assess
    expect({ values: await valuesOf('K#1'), inEu: eventsIn(1, 'K#1'), dropped: replication.stats.droppedByLww }).toEqual({ values: ['2', '2'], inEu: ['local INSERT'], dropped: 1 });
  });

  it('lets a write made after another one arrived (a causally later write) win everywhere', async () => {
    // Prepare: EU writes long after US's write has reached it
    const replication = await start();
    lab.putAt(0, 0, 'K#2', 1);
    lab.putAt(1, 10 * DELAY_MS, 'K#2', 2);

    // Act
    await lab.scheduler.run();

    // Assess
    expect({ values: await valuesOf('K#2'), dropped: replication.stats.droppedByLww }).toEqual({ values: ['2', '2'], dropped: 0 });
  });

  it('coalesces pending writes of an item into the latest', async () => {
    // Prepare
    const replication = await start();
    lab.putAt(0, 0, 'K#3', 1);
    lab.putAt(0, 1, 'K#3', 2);

    // Act
    await lab.scheduler.run();

    // Assess
    expect({ values: await valuesOf('K#3'), inEu: eventsIn(1, 'K#3'), coalesced: replication.stats.coalesced }).toEqual({ values: ['2', '2'], inEu: ['replica INSERT'], coalesced: 1 });
  });

  it('holds a partitioned pair\'s writes until the partition heals', async () => {
    // Prepare
    const healsAt = LAB_TEST_START + 50 * DELAY_MS;
    const replication = await start([{ a: US, b: EU, from: LAB_TEST_START, until: healsAt }]);
    lab.putAt(0, 0, 'K#4', 1);

    // Act
    await lab.scheduler.run();

    // Assess
    const arrival = lab.regions[1]?.stream.records().find((r) => pkOf(r) === 'K#4')?.at ?? 0;
    expect({ afterHeal: arrival >= healsAt, held: replication.stats.heldByPartition }).toEqual({ afterHeal: true, held: 1 });
  });
});
