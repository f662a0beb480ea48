import { CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, FilterLogEventsCommand, PutLogEventsCommand, ResourceNotFoundException, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { startLocalCloudWatchLogs, type LocalCloudWatchLogs } from './cloudwatch-logs';

describe('startLocalCloudWatchLogs', () => {
  let logs: LocalCloudWatchLogs;
  let client: CloudWatchLogsClient;
  let groups = 0;
  const newGroup = (): string => {
    groups += 1;
    const name = `/aws/events/test-${groups}`;
    logs.createLogGroup(name);
    return name;
  };
  const event = (detailType: string, n: number): string => JSON.stringify({ 'detail-type': detailType, detail: { n } });

  beforeAll(async () => {
    logs = await startLocalCloudWatchLogs();
    client = logs.client({ maxAttempts: 1 });
  });

  afterAll(async () => {
    await logs.close();
  });

  it('keeps the events PutLogEvents sends to a stream of a group created through the API', async () => {
    // Prepare
    await client.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/api' }));
    await client.send(new CreateLogStreamCommand({ logGroupName: '/aws/events/api', logStreamName: 'one' }));

    // Act
    await client.send(new PutLogEventsCommand({ logGroupName: '/aws/events/api', logStreamName: 'one', logEvents: [{ timestamp: 1_000, message: 'hello' }] }));

    // Assess
    const { logGroups } = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/events/api' }));
    expect({ groups: logGroups?.map((group) => group.logGroupName), events: logs.events('/aws/events/api').map((e) => [e.logStreamName, e.timestamp, e.message]) }).toEqual({
      groups: ['/aws/events/api'],
      events: [['one', 1_000, 'hello']],
    });
  });

  it('filters events by time window and by a JSON equality pattern, oldest first', async () => {
    // Prepare
    const group = newGroup();
    logs.append(group, event('ConflictEscalated', 3), { timestamp: 3_000 });
    logs.append(group, event('ConflictResolved', 1), { timestamp: 1_000 });
    logs.append(group, event('ConflictEscalated', 2), { timestamp: 2_000 });
    logs.append(group, event('ConflictEscalated', 9), { timestamp: 9_000 });

    // Act
    const { events } = await client.send(new FilterLogEventsCommand({ logGroupName: group, startTime: 1_000, endTime: 5_000, filterPattern: '{ $.detail-type = "ConflictEscalated" }' }));

    // Assess
    expect(events?.map((e) => JSON.parse(e.message as string).detail.n)).toEqual([2, 3]);
  });

  it('pages with nextToken', async () => {
    // Prepare
    const group = newGroup();
    for (let n = 0; n < 5; n += 1) logs.append(group, event('ConflictResolved', n), { timestamp: 1_000 + n });

    // Act
    const first = await client.send(new FilterLogEventsCommand({ logGroupName: group, limit: 3 }));
    const second = await client.send(new FilterLogEventsCommand({ logGroupName: group, limit: 3, nextToken: first.nextToken }));

    // Assess
    expect({ first: first.events?.length, second: second.events?.length, end: second.nextToken }).toEqual({ first: 3, second: 2, end: undefined });
  });

  it('answers ResourceNotFoundException for a group that does not exist', async () => {
    // Act
    const failure = client.send(new FilterLogEventsCommand({ logGroupName: '/aws/events/none' }));

    // Assess
    await expect(failure).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses a filter pattern it does not support rather than ignore it', async () => {
    // Prepare
    const group = newGroup();

    // Act
    const failure = client.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '[ip, user]' }));

    // Assess
    await expect(failure).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});
