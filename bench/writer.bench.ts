/**
 * The writer library's cost: DynamoDB calls per update and per increment on an
 * existing item without contention (goal 1), and the time of 1,000 updates through
 * the library over 1,000 plain UpdateItems of the same change on the same local
 * endpoint, interleaved in chunks so both share the machine's noise (goal ≤ 1.5). The
 * overhead is measured in RUNS runs of those 1,000 + 1,000 writes; the figures are the
 * medians over the runs, `writerOverheadMin`/`…Max` their spread.
 */
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from '../local/client-config';
import { medianOfRuns, timeAsync } from './harness';
import { startWriterBed, type ExampleTable } from '../test/helpers/writer-table';

const ROUND_TRIP_WRITES = 50;
const OVERHEAD_WRITES = 1_000;
const CHUNK = 50;
const WARM_UP = 100;
/** Runs of the overhead measurement; its figures are the medians over the runs. */
const RUNS = 5;

/** Mean DynamoDB calls per write, counted by the endpoint. */
async function callsPerWrite(calls: { reset(): void; readonly total: number }, write: (i: number) => Promise<unknown>): Promise<number> {
  calls.reset();
  for (let i = 0; i < ROUND_TRIP_WRITES; i += 1) await write(i);
  return calls.total / ROUND_TRIP_WRITES;
}

/** Runs `count` writes one after the other. */
async function sequence(count: number, from: number, write: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = from; i < from + count; i += 1) await write(i);
}

export default {
  title: 'writer library (dynalite on loopback)',
  goals: { writerRoundTrips: { atLeast: 1, atMost: 1 }, writerOverhead: { atMost: 1.5 } },
  async run() {
    const bed = await startWriterBed('concord-bench');
    // Timing goes straight to dynalite: the counting proxy's hop would pad both sides alike.
    const raw = new DynamoDBClient({ ...localClientConfig(bed.dynamo.rawEndpoint, 'us-east-1'), maxAttempts: 1 });
    try {
      const counted = bed.writer();
      const cart = { pk: 'CART#bench', sk: 'CART' };
      const stock = { pk: 'STOCK#bench', sk: 'STOCK' };
      await counted.put(cart, { coupon: 'START' });
      await counted.increment(stock, 'onHand', 1);
      const update = await callsPerWrite(bed.dynamo.calls, (i) => counted.update(cart, { set: { coupon: `C${i}` } }));
      const increment = await callsPerWrite(bed.dynamo.calls, () => counted.increment(stock, 'onHand', 1));

      const timed: ExampleTable = bed.writer({ client: raw });
      // The same change to the same item, without what Concord adds.
      const plainKey = { pk: { S: cart.pk }, sk: { S: cart.sk } };
      const viaLibrary = (i: number): Promise<unknown> => timed.update(cart, { set: { coupon: `C${i}` } });
      const plain = (i: number): Promise<unknown> =>
        raw.send(
          new UpdateItemCommand({
            TableName: bed.tableName,
            Key: plainKey,
            UpdateExpression: 'SET #coupon = :coupon',
            ExpressionAttributeNames: { '#coupon': 'coupon' },
            ExpressionAttributeValues: { ':coupon': { S: `C${i}` } },
          }),
        );
      await sequence(WARM_UP, 0, viaLibrary);
      await sequence(WARM_UP, 0, plain);
      const overhead = await medianOfRuns(
        RUNS,
        async () => {
          let libraryMs = 0;
          let plainMs = 0;
          for (let from = 0; from < OVERHEAD_WRITES; from += CHUNK) {
            libraryMs += await timeAsync(() => sequence(CHUNK, from, viaLibrary));
            plainMs += await timeAsync(() => sequence(CHUNK, from, plain));
          }
          return { writerOverhead: libraryMs / plainMs, writerUpdateMs: libraryMs / OVERHEAD_WRITES, plainUpdateItemMs: plainMs / OVERHEAD_WRITES };
        },
        ['writerOverhead'],
      );
      return {
        writerRoundTripsUpdate: update,
        writerRoundTripsIncrement: increment,
        writerRoundTrips: Math.max(update, increment),
        ...overhead,
        writerRuns: RUNS,
      };
    } finally {
      raw.destroy();
      await bed.close();
    }
  },
};
