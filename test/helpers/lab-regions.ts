/**
 * Lab regions for tests: real local endpoints on the example table's key schema, on one
 * virtual clock, with a plain SDK client each and a way to write at a virtual time.
 */
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import exampleRules from '../../rules/example';
import { Region } from '../../lab/region';
import { VirtualScheduler } from '../../lab/scheduler';
import type { CapturedRecord } from '../../lab/stream';

export const LAB_TEST_TABLE = 'concord-lab-test';

/** The partition key of a record's item. */
export function pkOf(record: Pick<CapturedRecord, 'key'>): string | undefined {
  const pk = record.key.pk;
  return pk !== undefined && 'S' in pk ? pk.S : undefined;
}
export const LAB_TEST_START = Date.UTC(2025, 0, 1);

/** Started regions and what tests do with them. */
export interface TestRegions {
  readonly scheduler: VirtualScheduler;
  readonly regions: Region[];
  readonly clients: DynamoDBClient[];
  /** Puts `{ pk, sk: 'A', n }` in region `index` at virtual ms `at` after the start. */
  putAt(index: number, at: number, pk: string, n: number): void;
  close(): Promise<void>;
}

/**
 * Starts regions named `names`.
 *
 * @example
 * const lab = await startTestRegions(['us-east-1', 'eu-west-1']);
 * lab.putAt(0, 10, 'K#1', 1);
 * await lab.scheduler.run();
 * await lab.close();
 */
export async function startTestRegions(names: readonly string[], shards = 1): Promise<TestRegions> {
  const scheduler = new VirtualScheduler(LAB_TEST_START);
  const regions: Region[] = [];
  for (const name of names) regions.push(await Region.start({ name, table: LAB_TEST_TABLE, settings: exampleRules.table, shards, now: () => scheduler.now }));
  const clients = regions.map((region) => region.dynamo.client({ maxAttempts: 1 }));
  return {
    scheduler,
    regions,
    clients,
    putAt(index, at, pk, n) {
      scheduler.at(LAB_TEST_START + at, async () => {
        await (clients[index] as DynamoDBClient).send(new PutItemCommand({ TableName: LAB_TEST_TABLE, Item: { pk: { S: pk }, sk: { S: 'A' }, n: { N: String(n) } } }));
      });
    },
    async close() {
      for (const region of regions) await region.close();
    },
  };
}
