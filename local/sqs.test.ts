import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { startLocalSqs, type LocalSqs, type QueueMessage } from './sqs';
import { md5OfMessageAttributes } from './sqs-md5';

describe('startLocalSqs', () => {
  let sqs: LocalSqs;
  let client: SQSClient;
  const accepted: QueueMessage[] = [];
  let queueCount = 0;
  const newQueue = async (sqsClient: SQSClient = client): Promise<string> => {
    queueCount += 1;
    const { QueueUrl } = await sqsClient.send(new CreateQueueCommand({ QueueName: `queue-${queueCount}` }));
    return QueueUrl as string;
  };
  const receiveAll = (QueueUrl: string) => client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 })).then((output) => output.Messages ?? []);

  beforeAll(async () => {
    sqs = await startLocalSqs({ maxWaitMs: 300, onMessage: (message) => accepted.push(message) });
    client = sqs.client({ maxAttempts: 1 });
  });

  afterAll(async () => {
    await sqs.close();
  });

  it('creates a queue whose URL names the loopback port, the account and the queue', async () => {
    // Act
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'named-queue' }));

    // Assess
    expect(QueueUrl).toBe(`${sqs.endpoint}/000000000000/named-queue`);
  });

  it('sends, receives and deletes a message with the SDK checking the body MD5 both ways', async () => {
    // Prepare
    const QueueUrl = await newQueue();
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"reason":"malformed","note":"héllo ✓"}' }));

    // Act
    const [message] = await receiveAll(QueueUrl);
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message?.ReceiptHandle }));

    // Assess
    expect(message?.Body).toBe('{"reason":"malformed","note":"héllo ✓"}');
    expect(sqs.messages(`queue-${queueCount}`)).toEqual([]);
  });

  it('returns the MD5 of message attributes as SQS computes it', async () => {
    // Prepare
    const QueueUrl = await newQueue();
    const MessageAttributes = { kind: { DataType: 'String', StringValue: 'envelope' }, raw: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 254]) } };

    // Act
    const sent = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes }));

    // Assess
    expect(sent.MD5OfMessageAttributes).toBe(
      md5OfMessageAttributes({ kind: { DataType: 'String', StringValue: 'envelope' }, raw: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 254]).toString('base64') } }),
    );
  });

  it('returns requested message attributes and their MD5 on receive', async () => {
    // Prepare
    const QueueUrl = await newQueue();
    const sent = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: { kind: { DataType: 'String', StringValue: 'envelope' } } }));

    // Act
    const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'] }));

    // Assess
    expect(Messages?.[0]?.MessageAttributes).toEqual({ kind: { DataType: 'String', StringValue: 'envelope' } });
    expect(Messages?.[0]?.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
  });

  it('hides a received message for its visibility timeout', async () => {
    // Prepare
    const QueueUrl = await newQueue();
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'once' }));
    await receiveAll(QueueUrl);

    // Act
    const again = await receiveAll(QueueUrl);

    // Assess
    expect(again).toEqual([]);
  });

  it('shows a received message again once its visibility is changed to 0', async () => {
    // Prepare
    const QueueUrl = await newQueue();
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'peeked' }));
    const [message] = await receiveAll(QueueUrl);

    // Act
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: message?.ReceiptHandle, VisibilityTimeout: 0 }));

    // Assess
    expect((await receiveAll(QueueUrl)).map((again) => again.Body)).toEqual(['peeked']);
  });

  it('changes the visibility of a batch, and refuses a message that is not in flight', async () => {
    // Prepare
    const QueueUrl = await newQueue();
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a' }));
    const [message] = await receiveAll(QueueUrl);
    const Entries = [{ Id: 'first', ReceiptHandle: message?.ReceiptHandle, VisibilityTimeout: 0 }];

    // Act
    const first = await client.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries }));
    const second = await client.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries }));

    // Assess
    expect({ first: first.Successful?.map((entry) => entry.Id), second: second.Failed?.map((entry) => entry.Code) }).toEqual({ first: ['first'], second: ['AWS.SimpleQueueService.MessageNotInflight'] });
  });

  it('sends a batch, reporting each entry as successful or failed', async () => {
    // Prepare
    const QueueUrl = await newQueue();

    // Act
    const output = await client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'first' }, { Id: 'b', MessageBody: '' }, { Id: 'c', MessageBody: 'third' }] }));

    // Assess
    expect(output.Successful?.map((entry) => entry.Id)).toEqual(['a', 'c']);
    expect(output.Failed).toEqual([expect.objectContaining({ Id: 'b', SenderFault: true, Code: 'MissingParameter' })]);
    expect((await receiveAll(QueueUrl)).map((message) => message.Body)).toEqual(['first', 'third']);
  });

  it('refuses a batch of 11 entries', async () => {
    // Prepare
    const QueueUrl = await newQueue();

    // Act
    const sent = client.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 11 }, (_, n) => ({ Id: `m${n}`, MessageBody: 'x' })) }));

    // Assess
    await expect(sent).rejects.toMatchObject({ name: 'TooManyEntriesInBatchRequest' });
  });

  it('deletes a batch of received messages', async () => {
    // Prepare
    const QueueUrl = await newQueue();
    await client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: '1' }, { Id: 'b', MessageBody: '2' }] }));
    const received = await receiveAll(QueueUrl);

    // Act
    const output = await client.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: received.map((message, n) => ({ Id: `d${n}`, ReceiptHandle: message.ReceiptHandle })) }));

    // Assess
    expect(output.Successful).toHaveLength(2);
    expect(sqs.messages(`queue-${queueCount}`)).toEqual([]);
  });

  it('counts visible and in-flight messages in the queue attributes', async () => {
    // Prepare
    const QueueUrl = await newQueue();
    await client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: '1' }, { Id: 'b', MessageBody: '2' }, { Id: 'c', MessageBody: '3' }] }));
    await client.send(new ReceiveMessageCommand({ QueueUrl }));

    // Act
    const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'QueueArn'] }));

    // Assess
    expect(Attributes).toEqual({ ApproximateNumberOfMessages: '2', ApproximateNumberOfMessagesNotVisible: '1', QueueArn: `arn:aws:sqs:us-east-1:000000000000:queue-${queueCount}` });
  });

  it('purges every message of a queue', async () => {
    // Prepare
    const QueueUrl = await newQueue();
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'gone' }));

    // Act
    await client.send(new PurgeQueueCommand({ QueueUrl }));

    // Assess
    expect(await receiveAll(QueueUrl)).toEqual([]);
  });

  it('answers QueueDoesNotExist for an unknown queue', async () => {
    // Act
    const sent = client.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' }));

    // Assess
    await expect(sent).rejects.toBeInstanceOf(QueueDoesNotExist);
  });

  it('refuses a receipt handle it never issued', async () => {
    // Prepare
    const QueueUrl = await newQueue();

    // Act
    const sent = client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'not-a-handle' }));

    // Assess
    await expect(sent).rejects.toMatchObject({ name: 'ReceiptHandleIsInvalid' });
  });

  it('keeps queues per region: a queue of the same name in another region is another queue', async () => {
    // Prepare
    const euClient = sqs.client({ region: 'eu-west-1', maxAttempts: 1 });
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'regional' }));
    await euClient.send(new CreateQueueCommand({ QueueName: 'regional' }));
    await euClient.send(new SendMessageCommand({ QueueUrl, MessageBody: 'for eu-west-1' }));

    // Act
    const inUsEast = await receiveAll(QueueUrl as string);

    // Assess
    expect(inUsEast).toEqual([]);
    expect(sqs.messages('regional', 'eu-west-1').map((message) => message.body)).toEqual(['for eu-west-1']);
  });

  it('wakes a long poll when a message arrives during the wait', async () => {
    // Prepare
    const QueueUrl = await newQueue();
    const polled = client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));

    // Act
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'late' }));

    // Assess
    expect((await polled).Messages?.map((message) => message.Body)).toEqual(['late']);
  });

  it('caps a long poll at maxWaitMs and answers no messages', async () => {
    // Prepare
    const QueueUrl = await newQueue();

    // Act
    const output = await client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));

    // Assess
    expect(output.Messages ?? []).toEqual([]);
  });

  it('reports every accepted message to onMessage', async () => {
    // Prepare
    const QueueUrl = await newQueue();
    accepted.length = 0;

    // Act
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'observed' }));

    // Assess
    expect(accepted.map((message) => [message.queue.name, message.body])).toEqual([[`queue-${queueCount}`, 'observed']]);
  });
});
