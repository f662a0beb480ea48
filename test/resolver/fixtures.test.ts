/**
 * The sample events of test/fixtures/ (recorded from DynamoDB Local, or written from
 * AWS's documentation): every record is processed without failing its batch, and none
 * is Concord's to change.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { streamEventFixtures } from '../helpers/fixtures';
import { startResolverHarness, type ResolverHarness } from '../helpers/resolver-harness';

/** Every stream event of the fixtures, named by file and position. */
function fixtureEvents(): [string, DynamoDBStreamEvent][] {
  return streamEventFixtures().flatMap(([file, events]) => events.map((event, index): [string, DynamoDBStreamEvent] => [`${file}#${index}`, event]));
}

let harness: ResolverHarness;

beforeEach(async () => {
  harness = await startResolverHarness();
});

afterEach(async () => {
  await harness.close();
});

describe('the fixtures', () => {
  it('hold records of every event name, TTL deletions among them', () => {
    // Act
    const records = fixtureEvents().flatMap(([, event]) => event.Records);

    // Assess
    expect({ names: [...new Set(records.map((record) => record.eventName))].sort(), ttl: records.some((record) => record.userIdentity !== undefined) }).toEqual({ names: ['INSERT', 'MODIFY', 'REMOVE'], ttl: true });
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
