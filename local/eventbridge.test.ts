import { CreateEventBusCommand, ListEventBusesCommand, ListRulesCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { startLocalEventBridge, type LocalEventBridge, type ReceivedEvent } from './eventbridge';
import { PUT_EVENTS_MAX_BYTES } from './put-events';

const BUS = 'concord-audit-test';
const entry = (n: number, overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  EventBusName: BUS,
  Source: 'concord',
  DetailType: 'ConflictResolved',
  Detail: JSON.stringify({ n }),
  ...overrides,
});
/** An entry whose AWS-counted size is exactly `bytes`: Source 7 + DetailType 3 + Detail `{"p":"…"}` (8 + the padding). */
const entryOfSize = (bytes: number, overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry =>
  entry(0, { DetailType: 'Big', Detail: JSON.stringify({ p: 'x'.repeat(bytes - 7 - 3 - 8) }), ...overrides });

describe('startLocalEventBridge', () => {
  let bridge: LocalEventBridge;
  let strict: LocalEventBridge;
  let client: EventBridgeClient;
  let euClient: EventBridgeClient;
  const observed: ReceivedEvent[] = [];

  beforeAll(async () => {
    bridge = await startLocalEventBridge({ onEvent: (received) => observed.push(received) });
    strict = await startLocalEventBridge({ missingBus: 'fail' });
    client = bridge.client({ maxAttempts: 1 });
    euClient = bridge.client({ region: 'eu-west-1', maxAttempts: 1 });
    bridge.createBus(BUS);
    bridge.createBus(BUS, 'eu-west-1');
  });

  afterAll(async () => {
    await bridge.close();
    await strict.close();
  });

  beforeEach(() => {
    bridge.clearEvents();
    bridge.faults.clear();
    observed.length = 0;
  });

  it('accepts valid entries, returning an EventId for each and recording the events', async () => {
    // Act
    const output = await client.send(new PutEventsCommand({ Entries: [entry(1), entry(2)] }));

    // Assess
    expect(output.FailedEntryCount).toBe(0);
    expect(output.Entries?.map((result) => result.EventId)).toEqual(bridge.events({ name: BUS }).map(({ event }) => event.id));
    expect(bridge.events({ name: BUS }).map(({ event }) => event.detail)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('records the region, time, source, detail-type and parsed detail of an event', async () => {
    // Prepare
    const time = new Date('2024-05-06T07:08:09Z');

    // Act
    await euClient.send(new PutEventsCommand({ Entries: [entry(7, { Time: time, Resources: ['arn:aws:dynamodb:eu-west-1:000000000000:table/t'] })] }));

    // Assess
    expect(bridge.events({ name: BUS, region: 'eu-west-1' })[0]?.event).toMatchObject({
      region: 'eu-west-1',
      time: '2024-05-06T07:08:09Z',
      source: 'concord',
      'detail-type': 'ConflictResolved',
      detail: { n: 7 },
      resources: ['arn:aws:dynamodb:eu-west-1:000000000000:table/t'],
    });
  });

  it('calls onEvent for each event a bus receives', async () => {
    // Act
    await client.send(new PutEventsCommand({ Entries: [entry(1)] }));

    // Assess
    expect(observed.map(({ bus }) => bus)).toEqual([{ region: 'us-east-1', name: BUS }]);
  });

  it('refuses 11 entries with a ValidationException for the whole call', async () => {
    // Act
    const sent = client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, (_, n) => entry(n)) }));

    // Assess
    await expect(sent).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect(bridge.events()).toEqual([]);
  });

  it('accepts entries that total exactly 256 KB', async () => {
    // Act
    const output = await client.send(new PutEventsCommand({ Entries: [entryOfSize(PUT_EVENTS_MAX_BYTES - 100), entryOfSize(100)] }));

    // Assess
    expect(output.FailedEntryCount).toBe(0);
  });

  it('refuses entries over 256 KB in all with a ValidationException', async () => {
    // Act
    const sent = client.send(new PutEventsCommand({ Entries: [entryOfSize(PUT_EVENTS_MAX_BYTES - 100), entryOfSize(101)] }));

    // Assess
    await expect(sent).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
  });

  it('counts 14 bytes for an entry Time', async () => {
    // Act
    const sent = client.send(new PutEventsCommand({ Entries: [entryOfSize(PUT_EVENTS_MAX_BYTES, { Time: new Date() })] }));

    // Assess
    await expect(sent).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('fails a bad entry with InvalidArgument while the others succeed, in request order', async () => {
    // Act
    const output = await client.send(new PutEventsCommand({ Entries: [entry(1), entry(2, { Source: undefined }), entry(3)] }));

    // Assess
    expect(output.FailedEntryCount).toBe(1);
    expect(output.Entries?.map((result) => result.ErrorCode ?? 'ok')).toEqual(['ok', 'InvalidArgument', 'ok']);
    expect(output.Entries?.[1]?.ErrorMessage).toMatch(/Source/);
    expect(bridge.events({ name: BUS }).map(({ event }) => event.detail)).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it('fails a DetailType over 128 characters with InvalidArgument', async () => {
    // Act
    const output = await client.send(new PutEventsCommand({ Entries: [entry(1, { DetailType: 'D'.repeat(129) })] }));

    // Assess
    expect(output.Entries?.[0]?.ErrorCode).toBe('InvalidArgument');
  });

  it('fails a Detail that is not a JSON object with MalformedDetail', async () => {
    // Act
    const output = await client.send(new PutEventsCommand({ Entries: [entry(1, { Detail: '[1,2]' }), entry(2, { Detail: '{not json' })] }));

    // Assess
    expect(output.Entries?.map((result) => result.ErrorCode)).toEqual(['MalformedDetail', 'MalformedDetail']);
    expect(output.FailedEntryCount).toBe(2);
  });

  it('fails the next N entries with an injected ThrottlingException', async () => {
    // Prepare
    bridge.faults.failNext({ count: 2 });

    // Act
    const output = await client.send(new PutEventsCommand({ Entries: [entry(1), entry(2), entry(3)] }));

    // Assess
    expect(output.Entries?.map((result) => result.ErrorCode ?? 'ok')).toEqual(['ThrottlingException', 'ThrottlingException', 'ok']);
    expect(output.FailedEntryCount).toBe(2);
  });

  it('fails a fraction of entries with an injected InternalFailure', async () => {
    // Prepare
    bridge.faults.failFraction({ fraction: 1, seed: 3, error: 'InternalFailure' });

    // Act
    const output = await client.send(new PutEventsCommand({ Entries: [entry(1), entry(2)] }));

    // Assess
    expect(output.Entries?.map((result) => result.ErrorCode)).toEqual(['InternalFailure', 'InternalFailure']);
    expect(bridge.events()).toEqual([]);
  });

  it('accepts an event for a missing bus and drops it, as AWS does', async () => {
    // Act
    const output = await client.send(new PutEventsCommand({ Entries: [entry(1, { EventBusName: 'no-such-bus' })] }));

    // Assess
    expect(output.Entries?.[0]?.EventId).toEqual(expect.any(String));
    expect(bridge.dropped.list().map(({ bus }) => bus)).toEqual([{ region: 'us-east-1', name: 'no-such-bus' }]);
  });

  it('fails an entry for a missing bus when started with missingBus "fail"', async () => {
    // Act
    const output = await strict.client({ maxAttempts: 1 }).send(new PutEventsCommand({ Entries: [entry(1, { EventBusName: 'no-such-bus' })] }));

    // Assess
    expect(output.Entries?.[0]?.ErrorCode).toBe('ResourceNotFoundException');
  });

  it('forwards events matching a rule from a regional bus to a central bus in another region', async () => {
    // Prepare
    await client.send(new CreateEventBusCommand({ Name: 'central-fwd' }));
    await euClient.send(new CreateEventBusCommand({ Name: 'regional-fwd' }));
    await euClient.send(new PutRuleCommand({ Name: 'to-central', EventBusName: 'regional-fwd', EventPattern: JSON.stringify({ source: ['concord'] }) }));
    await euClient.send(new PutTargetsCommand({ Rule: 'to-central', EventBusName: 'regional-fwd', Targets: [{ Id: 'central', Arn: bridge.busArn('central-fwd', 'us-east-1') }] }));

    // Act
    await euClient.send(new PutEventsCommand({ Entries: [entry(1, { EventBusName: 'regional-fwd' }), entry(2, { EventBusName: 'regional-fwd', Source: 'other' })] }));

    // Assess
    const [forwarded] = await bridge.waitForEvents(1, { name: 'central-fwd', region: 'us-east-1' });
    expect(forwarded?.event).toMatchObject({ source: 'concord', region: 'eu-west-1', detail: { n: 1 } });
    expect(bridge.events({ name: 'central-fwd', region: 'us-east-1' })).toHaveLength(1);
  });

  it('forwards only events matching nested detail values and prefixes', async () => {
    // Prepare
    bridge.createBus('pattern-source');
    bridge.createBus('pattern-sink');
    bridge.putRule({
      name: 'nested',
      bus: 'pattern-source',
      pattern: { 'detail-type': ['ConflictResolved'], detail: { entity: ['order'], outcome: [{ prefix: 'resolved' }] } },
      targets: [bridge.busArn('pattern-sink')],
    });
    const detail = (entity: string, outcome: string) => entry(0, { EventBusName: 'pattern-source', Detail: JSON.stringify({ entity, outcome }) });

    // Act
    await client.send(new PutEventsCommand({ Entries: [detail('order', 'resolved-merge'), detail('cart', 'resolved'), detail('order', 'escalated')] }));

    // Assess
    expect(bridge.events({ name: 'pattern-sink' }).map(({ event }) => event.detail)).toEqual([{ entity: 'order', outcome: 'resolved-merge' }]);
  });

  it('refuses a pattern operator outside the local subset with a ValidationException', async () => {
    // Act
    const sent = client.send(new PutRuleCommand({ Name: 'numeric', EventBusName: BUS, EventPattern: JSON.stringify({ detail: { qty: [{ numeric: ['>', 0] }] } }) }));

    // Assess
    await expect(sent).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('detail.qty') });
  });

  it('refuses a malformed pattern with InvalidEventPatternException', async () => {
    // Act
    const sent = client.send(new PutRuleCommand({ Name: 'malformed', EventBusName: BUS, EventPattern: JSON.stringify({ source: 'concord' }) }));

    // Assess
    await expect(sent).rejects.toMatchObject({ name: 'InvalidEventPatternException' });
  });

  it('refuses a target that is not an event bus', async () => {
    // Prepare
    await client.send(new PutRuleCommand({ Name: 'to-queue', EventBusName: BUS, EventPattern: JSON.stringify({ source: ['concord'] }) }));

    // Act
    const sent = client.send(new PutTargetsCommand({ Rule: 'to-queue', EventBusName: BUS, Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }] }));

    // Assess
    await expect(sent).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('only event bus targets') });
  });

  it('keeps buses per region: the same name in two regions, each listed in its own', async () => {
    // Prepare
    await client.send(new CreateEventBusCommand({ Name: 'same-name' }));
    await euClient.send(new CreateEventBusCommand({ Name: 'same-name' }));

    // Act
    const { EventBuses } = await euClient.send(new ListEventBusesCommand({ NamePrefix: 'same' }));

    // Assess
    expect(EventBuses?.map((bus) => bus.Arn)).toEqual([bridge.busArn('same-name', 'eu-west-1')]);
  });

  it('refuses to create a bus that exists', async () => {
    // Act
    const sent = client.send(new CreateEventBusCommand({ Name: BUS }));

    // Assess
    await expect(sent).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
  });

  it('answers an unsupported operation with UnknownOperationException', async () => {
    // Act
    const sent = client.send(new ListRulesCommand({ EventBusName: BUS }));

    // Assess
    await expect(sent).rejects.toMatchObject({ name: 'UnknownOperationException', message: expect.stringContaining('ListRules') });
  });
});
