/**
 * Reading a whole SQS queue without losing a message: every message is received with a
 * visibility timeout (hidden from other readers while the command works on it), and is
 * then either deleted (its work is done) or released (made visible again at once, for
 * the next run). A listing releases everything it read.
 */
import { ChangeMessageVisibilityBatchCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** One message received. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  /** Deliveries so far, this one included. */
  readonly receiveCount: number;
  readonly sentAt: string | null;
}

/** Options of {@link QueueMessages.receiveAll}. */
export interface ReceiveOptions {
  /** Stop after this many messages. */
  readonly max: number;
  /** Seconds the messages stay hidden from other readers. */
  readonly visibilityTimeoutSeconds: number;
  /** Called with the number received so far. */
  readonly onReceived?: (count: number) => void;
}

const MAX_PER_CALL = 10;
const BATCH = 10;

/** The messages of one queue. */
export class QueueMessages {
  constructor(
    private readonly sqs: SQSClient,
    readonly queueUrl: string,
  ) {}

  /** How many messages the queue holds, visible or not (SQS's approximation). */
  async approximateCount(): Promise<number> {
    const { Attributes } = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  }

  /**
   * Receives every visible message (up to `max`), each hidden for the visibility timeout.
   *
   * @example
   * const messages = await queue.receiveAll({ max: 1000, visibilityTimeoutSeconds: 300 });
   */
  async receiveAll(options: ReceiveOptions): Promise<ReceivedMessage[]> {
    const received = new Map<string, ReceivedMessage>();
    while (received.size < options.max) {
      const { Messages = [] } = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: Math.min(MAX_PER_CALL, options.max - received.size),
          VisibilityTimeout: options.visibilityTimeoutSeconds,
          // A short long-poll: an empty answer then means the queue has no visible message left.
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
        }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) {
        const messageId = message.MessageId ?? '';
        const sent = message.Attributes?.SentTimestamp;
        received.set(messageId, {
          messageId,
          receiptHandle: message.ReceiptHandle ?? '',
          body: message.Body ?? '',
          receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
          sentAt: sent === undefined ? null : new Date(Number(sent)).toISOString(),
        });
      }
      options.onReceived?.(received.size);
    }
    return [...received.values()];
  }

  /** Makes messages visible again at once (their work is left for another run). */
  async release(messages: readonly ReceivedMessage[]): Promise<void> {
    for (let start = 0; start < messages.length; start += BATCH) {
      const Entries = messages.slice(start, start + BATCH).map((message, index) => ({ Id: String(index), ReceiptHandle: message.receiptHandle, VisibilityTimeout: 0 }));
      await this.sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: this.queueUrl, Entries }));
    }
  }

  /** Deletes a message whose work is done. */
  async remove(message: ReceivedMessage): Promise<void> {
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: message.receiptHandle }));
  }
}
