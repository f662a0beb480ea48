/**
 * `concord redrive`: works off the resolver's on-failure queue.
 */
import { COMMON_OPTIONS, TABLE_OPTIONS } from '../args';
import type { Command } from '../command';
import { ExitCode } from '../exit-code';
import { QueueMessages } from '../operations/queue/queue-messages';
import { redrive, type RedriveReport } from '../operations/redrive/redrive';
import { DynamoDbStreamReader } from '../operations/redrive/stream-records';
import { workDone } from '../operations/replay/resolver-logic';
import { QUEUE_OPTIONS, receiveLimits, resolverLogic } from '../resolver-logic';
import { columns, plural, shortValue } from '../text';

export const redriveCommand: Command = {
  name: 'redrive',
  summary: "work off the resolver's on-failure queue: fetch each failed batch's records and settle them",
  usage: '[options]',
  description: [
    "Reads the resolver's on-failure queue (CONCORD_ON_FAILURE_QUEUE_URL, or --queue). Each message",
    'names a batch Lambda gave up on; its records are fetched from the table stream while the stream',
    "still holds them (24 hours; DynamoDB Streams endpoint: AWS_ENDPOINT_URL_DYNAMODB_STREAMS), run",
    "through the resolver's logic (merge and write back, policies, quarantine, audit events), and the",
    'message is deleted only once every one of its records is settled. Other messages are released',
    'for another run. Needs the resolver variables: CONCORD_AUDIT_BUS, CONCORD_QUARANTINE_QUEUE_URL.',
    '',
    'Exit status: 0 every message redriven (on a dry run: every record would settle), 1 some kept.',
  ].join('\n'),
  options: { ...TABLE_OPTIONS, ...QUEUE_OPTIONS, ...COMMON_OPTIONS },
  positionals: { min: 0, max: 0, names: [] },
  async run(session) {
    const logic = resolverLogic(session);
    const clients = session.clients();
    const queue = new QueueMessages(clients.sqs(), session.setting('queue', 'CONCORD_ON_FAILURE_QUEUE_URL'));
    const progress = session.progress(logic.dryRun ? 'planning' : 'redriving', { unit: 'messages' });
    let report: RedriveReport;
    try {
      report = await redrive({ queue, reader: new DynamoDbStreamReader(clients.streams()), logic, progress, ...receiveLimits(session) });
    } finally {
      progress.done();
    }
    const done = report.messages.every((message) => workDone(message, 'redriven'));
    return { exitCode: done ? ExitCode.Ok : ExitCode.Problems, data: report, text: formatRedrive(report) };
  },
};

function formatRedrive(report: RedriveReport): string {
  const count = (status: string): number => report.messages.filter((message) => message.status === status).length;
  const lines = [
    report.dryRun
      ? `dry run: ${plural(report.messages.length, 'message')} read from ${report.queueUrl}; nothing written or deleted`
      : `${plural(count('redriven'), 'message')} redriven and deleted, ${count('kept')} kept, from ${report.queueUrl}`,
  ];
  for (const message of report.messages) {
    const batch = message.batch === null ? '' : ` shard ${message.batch.shardId} ${message.batch.startSequenceNumber}..${message.batch.endSequenceNumber} (${message.batch.condition})`;
    lines.push('', `${message.status} ${message.messageId}${batch}${message.reason === null ? '' : `: ${message.reason}`}`);
    const rows = message.plans.map((plan) => [plan.sequenceNumber ?? '?', plan.eventName ?? '?', shortValue(plan.key, 40), plan.verdict, `would ${plan.action}: ${plan.detail}`]);
    rows.push(...message.records.map((record) => [record.sequenceNumber ?? '?', shortValue(record.key, 40), record.verdict, record.result, record.error ?? '']));
    if (rows.length > 0) lines.push(columns(rows, '    '));
  }
  return `${lines.join('\n')}\n`;
}
