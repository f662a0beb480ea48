/**
 * Real AWS sample events written outside this project (../shared/fixtures): every
 * record is processed without failing its batch, and none is Concord's to change.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { startResolverHarness, type ResolverHarness } from '../helpers/resolver-harness';

const FIXTURES = join(__dirname, '..', '..', '..', 'shared', 'fixtures');

/** Every stream event of the fixtures (a file holds one event or a list of them), by file. */
function fixtureEvents(): [string, DynamoDBStreamEvent][] {
  return readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file) => {
      const parsed = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as unknown;
      const events = (Array.isArray(parsed) ? parsed : [parsed]) as Partial<DynamoDBStreamEvent>[];
      return events.filter((event): event is DynamoDBStreamEvent => Array.isArray(event.Records)).map((event, index): [string, DynamoDBStreamEvent] => [`${file}#${index}`, event]);
    });
}

let harness: ResolverHarness;

beforeEach(async () => {
  harness = await startResolverHarness();
});

afterEach(async () => {
  await harness.close();
});

describe('the shared AWS fixtures', () => {
  it('hold stream events to test with', () => {
    expect(fixtureEvents().length).toBeGreaterThanOrEqual(4);
  });

  it.each(fixtureEvents())('%s is processed without failing its batch and without a write', async (_name, event) => {
    // Act
    const response = await harness.invoke(event);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(harness.stack.dynamo.calls.total).toBe(0);
    expect(harness.quarantined()).toEqual([]);
  });
});
