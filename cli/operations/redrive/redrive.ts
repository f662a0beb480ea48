/**
 * `concord redrive`: the resolver's on-failure queue worked off. Each message names a
 * batch Lambda gave up on; its records are fetched from the stream (while it holds
 * them), run through the resolver's logic, and the message is deleted only once every
 * one of its records is settled. A message that cannot be worked off (unreadable, its
 * records gone, a record still failing) is released for another run and reported.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { StreamRecordsUnavailableError, UnreadableMessageError } from '../../../shared/errors';
import type { Progress } from '../../progress';
import type { QueueMessages } from '../queue/queue-messages';
import { recordResultOf, type RecordResult } from '../replay/record-result';
import type { RecordsWork, ResolverLogic } from '../replay/resolver-logic';
import { streamBatchOf, type StreamBatch } from './on-failure-message';
import type { StreamBatchReader } from './stream-records';

/** What became of one message. */
export interface MessageResult extends RecordsWork {
  readonly messageId: string;
  /** `redriven`: settled and deleted; `planned`: a dry run; `kept`: released for another run. */
  readonly status: 'redriven' | 'planned' | 'kept';
  readonly batch: StreamBatch | null;
}

export interface RedriveReport {
  readonly queueUrl: string;
  readonly dryRun: boolean;
  readonly messages: readonly MessageResult[];
}

/** What a redrive works with. */
export interface RedriveContext {
  readonly queue: QueueMessages;
  readonly reader: StreamBatchReader;
  readonly logic: ResolverLogic;
  readonly max: number;
  readonly visibilityTimeoutSeconds: number;
  readonly progress: Progress;
}

/**
 * Works off the on-failure queue.
 *
 * @example
 * const report = await redrive({ queue, reader: new DynamoDbStreamReader(streams), logic, max: 100, visibilityTimeoutSeconds: 300, progress });
 */
export async function redrive(context: RedriveContext): Promise<RedriveReport> {
  const { queue, progress } = context;
  progress.setTotal(Math.min(context.max, await queue.approximateCount()));
  const messages = await queue.receiveAll({ max: context.max, visibilityTimeoutSeconds: context.visibilityTimeoutSeconds });
  const results: MessageResult[] = [];
  for (const message of messages) {
    const result = await redriveMessage(message.messageId, message.body, context);
    if (result.status === 'redriven') await queue.remove(message);
    else await queue.release([message]);
    results.push(result);
    progress.advance();
  }
  return { queueUrl: queue.queueUrl, dryRun: context.logic.dryRun, messages: results };
}

async function redriveMessage(messageId: string, body: string, context: RedriveContext): Promise<MessageResult> {
  const kept = (batch: StreamBatch | null, reason: string, records: readonly RecordResult[] = []): MessageResult => ({ messageId, status: 'kept', batch, reason, records, plans: [] });
  let batch: StreamBatch;
  let records: DynamoDBRecord[];
  try {
    batch = streamBatchOf(messageId, body);
  } catch (error) {
    if (error instanceof UnreadableMessageError) return kept(null, error.message);
    throw error;
  }
  try {
    records = await context.reader.read(batch);
  } catch (error) {
    if (error instanceof StreamRecordsUnavailableError) return kept(batch, error.message);
    throw error;
  }
  if (context.logic.dryRun) return { messageId, status: 'planned', batch, reason: null, records: [], plans: context.logic.plan(records) };
  const report = await context.logic.settle(records);
  const results = report.settlements.map(recordResultOf);
  if (!report.settled) return kept(batch, `${results.filter((result) => result.error !== null).length} of its ${results.length} records are not settled`, results);
  return { messageId, status: 'redriven', batch, reason: null, records: results, plans: [] };
}
