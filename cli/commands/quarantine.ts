/**
 * `concord quarantine list|show|replay`: the records the resolver quarantined.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { CommandLineError } from '../../shared/errors';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import { parseAttributeMap } from '../../shared/dynamodb/attribute-value';
import { keyOf } from '../../shared/item/state';
import { COMMON_OPTIONS, TABLE_OPTIONS } from '../args';
import type { Command } from '../command';
import { ExitCode } from '../exit-code';
import { formatItemView } from '../operations/inspect/item-text';
import { viewItem, type ItemView } from '../operations/inspect/item-view';
import { S3PayloadReader } from '../operations/quarantine/payloads';
import { SqsQuarantineSource, type QuarantinedRecord, type QuarantineSource } from '../operations/quarantine/quarantine-source';
import { replayQuarantined, selectQuarantined, type ReplayResult } from '../operations/quarantine/replay';
import { QueueMessages } from '../operations/queue/queue-messages';
import { workDone } from '../operations/replay/resolver-logic';
import { QUEUE_OPTIONS, receiveLimits, resolverLogic } from '../resolver-logic';
import type { Session } from '../session';
import { columns, plural, shortValue } from '../text';
import type { RuleSet } from '../../shared/rules/types';
import { toPlainMap, type Json } from '../../shared/resolver/audit/plain';

const ID = '<id>';
const QUARANTINE_QUEUE = { ...QUEUE_OPTIONS.queue, help: 'the quarantine queue (default: CONCORD_QUARANTINE_QUEUE_URL)' };
const LISTING_OPTIONS = { ...TABLE_OPTIONS, queue: QUARANTINE_QUEUE, max: QUEUE_OPTIONS.max, ...COMMON_OPTIONS };
/** A listing hides the messages only while it reads them, then releases them. */
const LISTING_VISIBILITY_SECONDS = 30;

/** A quarantined record as a listing shows it. */
interface QuarantineLine {
  readonly id: string;
  readonly messageId: string;
  readonly quarantinedAt: string | null;
  readonly region: string | null;
  readonly reason: string | null;
  readonly eventName: string | null;
  readonly sequenceNumber: string | null;
  readonly key: Readonly<Record<string, Json>> | null;
  readonly problem: string | null;
}

function sourceOf(session: Session): QuarantineSource {
  const clients = session.clients();
  const queue = new QueueMessages(clients.sqs(), session.setting('queue', 'CONCORD_QUARANTINE_QUEUE_URL'));
  return new SqsQuarantineSource(queue, new S3PayloadReader(clients.s3()), session.rules().rules.table.envelopeAttribute);
}

/** Every quarantined record, read and released at once (nothing is consumed). */
async function readAll(session: Session, source: QuarantineSource): Promise<QuarantinedRecord[]> {
  const records = await source.receive({ max: session.args.integer('max', 1000, 1, 1_000_000), visibilityTimeoutSeconds: LISTING_VISIBILITY_SECONDS });
  await source.release(records);
  return records;
}

function lineOf(record: QuarantinedRecord): QuarantineLine {
  const stream = record.record?.dynamodb;
  return {
    id: record.id,
    messageId: record.message.messageId,
    quarantinedAt: record.quarantinedAt,
    region: record.region,
    reason: record.reason === null ? null : `${record.reason.error}: ${record.reason.message}`,
    eventName: record.record?.eventName ?? null,
    sequenceNumber: stream?.SequenceNumber ?? null,
    key: plainKeyOf(stream?.Keys),
    problem: record.problem,
  };
}

export const quarantineListCommand: Command = {
  name: 'quarantine list',
  summary: 'list the quarantined records: why, where, when, which item',
  usage: '[options]',
  description: ['Lists the records the resolver quarantined (CONCORD_QUARANTINE_QUEUE_URL, or --queue), reading', 'every message and releasing it at once: nothing is consumed.', '', 'Exit status: 0 the queue is empty, 1 some records are quarantined.'].join('\n'),
  options: LISTING_OPTIONS,
  positionals: { min: 0, max: 0, names: [] },
  async run(session) {
    const lines = (await readAll(session, sourceOf(session))).map(lineOf);
    const rows = [['id', 'quarantined at', 'region', 'record', 'key', 'reason']];
    for (const line of lines) rows.push([line.id.slice(0, 12), line.quarantinedAt ?? '?', line.region ?? '?', `${line.eventName ?? '?'} ${line.sequenceNumber ?? ''}`, shortValue(line.key, 40), shortValue(line.problem ?? line.reason ?? '', 80)]);
    const text = `${plural(lines.length, 'quarantined record')}\n${lines.length === 0 ? '' : `${columns(rows)}\n`}`;
    return { exitCode: lines.length === 0 ? ExitCode.Ok : ExitCode.Problems, data: { records: lines }, text };
  },
};

export const quarantineShowCommand: Command = {
  name: 'quarantine show',
  summary: 'show one quarantined record: the reason, the record and both images',
  usage: `${ID} [options]`,
  description: [`Shows one quarantined record: why, where and when, the stream record, and its old and new images`, `as concord inspect shows an item. ${ID} is the id concord quarantine list prints (the RecordQuarantined`, "event's id), the message id, or a unique prefix of either.", '', 'Exit status: 0 shown, 1 no such record.'].join('\n'),
  options: LISTING_OPTIONS,
  positionals: { min: 1, max: 1, names: [ID] },
  async run(session) {
    const { rules } = session.rules();
    const records = await readAll(session, sourceOf(session));
    const { found } = selectQuarantined(records, [session.args.positional(0, ID)]);
    const record = found[0];
    if (record === undefined) return { exitCode: ExitCode.Problems, data: { found: false }, text: `no quarantined record ${session.args.positionals[0]} (of ${records.length})\n` };
    const images = imagesOf(record.record, rules, session.io.now());
    const data = { found: true, ...lineOf(record), payload: record.payload, record: record.record, images };
    const text = [
      `quarantined record ${record.id} (message ${record.message.messageId}, received ${record.message.receiveCount} time(s))`,
      `  when   ${record.quarantinedAt ?? '?'} in ${record.region ?? '?'} (table ${record.table ?? '?'})`,
      `  why    ${record.reason === null ? '?' : `${record.reason.error}: ${record.reason.message}`}`,
      `  record ${record.record?.eventName ?? '?'} ${record.record?.dynamodb?.SequenceNumber ?? ''} (event ${record.record?.eventID ?? '?'})${record.payload === null ? '' : ` · payload s3://${record.payload.bucket}/${record.payload.key}`}`,
      ...(record.problem === null ? [] : [`  cannot be replayed: ${record.problem}`]),
      ...Object.entries(images).flatMap(([name, view]) => ['', `${name}:`, formatItemView(view).trimEnd()]),
    ].join('\n');
    return { exitCode: ExitCode.Ok, data, text: `${text}\n` };
  },
};

export const quarantineReplayCommand: Command = {
  name: 'quarantine replay',
  summary: "run quarantined records through the resolver's logic again (after a rules fix)",
  usage: `[${ID}...] [--all] [options]`,
  description: [
    "Runs quarantined records through the resolver's logic again, with the rules as they are now",
    `(--rules or CONCORD_RULES): the records ${ID} names, or every one with --all. A record that settles`,
    'has its message deleted; one still refused is quarantined again (a fresh message and event, same',
    'id) and its old message deleted; one failing for a reason a retry may cure is left in the queue.',
    'Only records quarantined in this region are replayed. Needs the resolver variables:',
    'CONCORD_AUDIT_BUS, CONCORD_QUARANTINE_QUEUE_URL.',
    '',
    'Exit status: 0 every record replayed (on a dry run: would be), 1 some still quarantined or kept.',
  ].join('\n'),
  options: { ...TABLE_OPTIONS, ...QUEUE_OPTIONS, queue: QUARANTINE_QUEUE, all: { type: 'boolean', help: 'replay every quarantined record' }, ...COMMON_OPTIONS },
  positionals: { min: 0, max: 1000, names: [] },
  async run(session) {
    const ids = session.args.positionals;
    if (ids.length === 0 && !session.args.flag('all')) throw new CommandLineError(ID, 'name the records to replay, or pass --all');
    if (ids.length > 0 && session.args.flag('all')) throw new CommandLineError('--all', 'replays every record: give no ids with it');
    const logic = resolverLogic(session);
    const source = sourceOf(session);
    const received = await source.receive(receiveLimits(session));
    const { found, unknown } = ids.length === 0 ? { found: received, unknown: [] } : selectQuarantined(received, ids);
    await source.release(received.filter((record) => !found.includes(record)));
    const progress = session.progress(logic.dryRun ? 'planning' : 'replaying', { unit: 'records' });
    let results: ReplayResult[];
    try {
      results = await replayQuarantined(found, { source, region: session.region(), logic, progress });
    } finally {
      progress.done();
    }
    const done = results.every((result) => workDone(result, 'replayed'));
    return { exitCode: done && unknown.length === 0 ? ExitCode.Ok : ExitCode.Problems, data: { dryRun: logic.dryRun, results, unknown }, text: formatReplay(results, unknown, logic.dryRun) };
  },
};

/** A record's key as plain values; null when it has none, or a malformed one (maybe why it was quarantined). */
function plainKeyOf(keys: unknown): Readonly<Record<string, Json>> | null {
  try {
    return keys === undefined ? null : toPlainMap(parseAttributeMap(keys, 'Keys'));
  } catch {
    return null;
  }
}

function imagesOf(record: DynamoDBRecord | null, rules: RuleSet, now: number): Record<string, ItemView> {
  const images: Record<string, ItemView> = {};
  const stream = record?.dynamodb;
  for (const [name, raw] of [['old image', stream?.OldImage], ['new image', stream?.NewImage]] as const) {
    if (raw === undefined) continue;
    try {
      const image: AttributeMap = parseAttributeMap(raw, name);
      images[name] = viewItem(image, rules, { key: keyOf(image, rules.table), now });
    } catch {
      // A malformed image is the reason it was quarantined; the record above shows it as it is.
    }
  }
  return images;
}

function formatReplay(results: readonly ReplayResult[], unknown: readonly string[], dryRun: boolean): string {
  const lines = [dryRun ? `dry run: ${plural(results.length, 'record')} planned; nothing written, published or deleted` : `${plural(results.filter((r) => r.status === 'replayed').length, 'record')} replayed, ${results.filter((r) => r.status === 'requarantined').length} quarantined again, ${results.filter((r) => r.status === 'kept').length} kept`];
  if (unknown.length > 0) lines.push(`no single quarantined record has the id ${unknown.join(', ')}`);
  for (const result of results) {
    const detail = result.plans.map((plan) => `would ${plan.action}: ${plan.detail}`).join('; ') || result.records.map((record) => record.result).join('; ');
    lines.push(`  ${result.status.padEnd(13)} ${result.id.slice(0, 12)}  ${detail}${result.reason === null || result.status === 'requarantined' ? '' : `  (${result.reason})`}`);
  }
  return `${lines.join('\n')}\n`;
}
