/**
 * `npx tsx scripts/make-events.ts`: writes the sample stream events of events/ (one per
 * verdict) and events/seed.json (what the table holds when each record is delivered:
 * its new image). Every item is written through `applyWrite` with the example rules on
 * a virtual clock, so the files are reproducible to the byte; a test checks that the
 * committed files equal this script's output.
 *
 * The records come from the stream of us-east-1 (table concord-dev); the concurrent
 * writes that won last-writer-wins come from eu-west-1.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { AttributeMap } from '../shared/dynamodb/attribute-value';
import type { Change } from '../shared/write/change';
import { concurrentWrites, conflictRecord, itemKey, LOCAL_REGION, REMOTE_REGION, streamRecord, Writers } from '../test/helpers/resolver-records';

/** One sample: its file name (without .json), what it shows, and its record. */
export interface Sample {
  readonly name: string;
  readonly description: string;
  readonly record: DynamoDBRecord;
}

/**
 * Builds every sample, in file order.
 *
 * @example
 * sampleEvents().map((sample) => sample.name); // ['conflict-stock-counter', ...]
 */
export function sampleEvents(): Sample[] {
  const writers = new Writers();
  let sequence = 100;
  const conflict = (name: string, description: string, pk: string, sk: string, base: Change, local: Change, remote: Change): Sample => ({
    name,
    description,
    record: conflictRecord(concurrentWrites(writers, itemKey(pk, sk), base, local, remote), (sequence += 1)),
  });
  const samples: Sample[] = [
    conflict(
      'conflict-stock-counter',
      'STOCK counter: +2 in us-east-1 and -3 in eu-west-1 on 10 units; last-writer-wins kept 7, the merge gives 9.',
      'STOCK#1001',
      'STOCK',
      { type: 'update', increment: { onHand: 10 }, set: { location: { S: 'A1' } } },
      { type: 'update', increment: { onHand: 2 } },
      { type: 'update', increment: { onHand: -3 } },
    ),
    conflict(
      'conflict-cart-add-wins',
      'CART add-wins set: us-east-1 adds sku-1 again while eu-west-1 removes it; the add wins, sku-1 stays.',
      'CART#2001',
      'CART',
      { type: 'update', addToSet: { items: ['sku-1', 'sku-2'] } },
      { type: 'update', addToSet: { items: ['sku-1'] } },
      { type: 'update', removeFromSet: { items: ['sku-1'] } },
    ),
    conflict(
      'conflict-profile-different-fields',
      'PROFILE (fallback rules, lww): us-east-1 edits email, eu-west-1 edits city; the merge keeps both edits (email is redacted in the audit event).',
      'PROFILE#3001',
      'PROFILE',
      { type: 'put', item: { name: { S: 'Ada' }, city: { S: 'Oslo' }, email: { S: 'ada@example.com' } } },
      { type: 'update', set: { email: { S: 'ada@example.org' } } },
      { type: 'update', set: { city: { S: 'Bergen' } } },
    ),
    conflict(
      'conflict-order-status-priority',
      'ORDER status (priority PENDING < PAID < SHIPPED < DELIVERED < CANCELLED): us-east-1 ships, eu-west-1 marks paid later; SHIPPED wins.',
      'ORDER#4001',
      'ORDER',
      { type: 'put', item: { status: { S: 'PENDING' }, total: { N: '40' } } },
      { type: 'update', set: { status: { S: 'SHIPPED' } } },
      { type: 'update', set: { status: { S: 'PAID' } } },
    ),
    conflict(
      'conflict-order-notes-manual',
      'ORDER notes (manual): two different notes written concurrently; both kept as siblings, the conflict is escalated (ConflictEscalated).',
      'ORDER#4002',
      'ORDER',
      { type: 'put', item: { status: { S: 'PAID' }, total: { N: '25' } } },
      { type: 'update', set: { notes: { S: 'Leave at the door' } } },
      { type: 'update', set: { notes: { S: 'Call on arrival' } } },
    ),
    conflict(
      'conflict-cart-update-wins-over-delete',
      'CART (onDelete updateWins): us-east-1 adds sku-9 while eu-west-1 deletes the cart; the cart lives on with what the deleter had not seen (sku-9).',
      'CART#2002',
      'CART',
      { type: 'update', addToSet: { items: ['sku-1'] }, set: { coupon: { S: 'WELCOME' } } },
      { type: 'update', addToSet: { items: ['sku-9'] } },
      { type: 'delete' },
    ),
    conflict(
      'conflict-order-delete-wins-over-update',
      'ORDER (onDelete deleteWins): us-east-1 deletes the order while eu-west-1 marks it paid; the tombstone wins.',
      'ORDER#4003',
      'ORDER',
      { type: 'put', item: { status: { S: 'PENDING' }, total: { N: '99' } } },
      { type: 'delete' },
      { type: 'update', set: { status: { S: 'PAID' } } },
    ),
  ];

  const successorKey = itemKey('STOCK#1002', 'STOCK');
  const before = writers.write(LOCAL_REGION, undefined, successorKey, { type: 'update', increment: { onHand: 5 } });
  const after = writers.write(REMOTE_REGION, before, successorKey, { type: 'update', increment: { onHand: 1 } });
  samples.push({
    name: 'skip-successor',
    description: 'A causal successor (eu-west-1 wrote on top of what us-east-1 had): no conflict, skipped (the fast path of most records).',
    record: streamRecord({ eventName: 'MODIFY', key: successorKey, oldImage: before, newImage: after, sequence: (sequence += 1), createdAtMs: writers.now }),
  });

  const expiredKey = itemKey('CART#2003', 'CART');
  const live = writers.write(LOCAL_REGION, undefined, expiredKey, { type: 'update', addToSet: { items: ['sku-4'] } });
  const tombstone = writers.write(LOCAL_REGION, live, expiredKey, { type: 'delete' });
  samples.push({
    name: 'skip-ttl-removal',
    description: 'DynamoDB TTL collecting a tombstone (userIdentity dynamodb.amazonaws.com): skipped.',
    record: streamRecord({ eventName: 'REMOVE', key: expiredKey, oldImage: tombstone, sequence: (sequence += 1), createdAtMs: writers.now, ttl: true }),
  });

  const userKey = itemKey('USER#5001', 'PROFILE');
  const versioned = writers.write(LOCAL_REGION, undefined, userKey, {
    type: 'put',
    item: { loginCount: { N: '3' }, lastLoginAt: { N: '1732851200' }, email: { S: 'grace@example.com' } },
  });
  const legacyPut: AttributeMap = { ...userKey, loginCount: { N: '4' }, lastLoginAt: { N: '1732851500' }, email: { S: 'grace@example.net' } };
  samples.push({
    name: 'policy-unversioned-overwrite',
    description: 'A client without Concord overwrote a versioned USER item (no _cc); the example policy "merge" brings its values in as a Concord write by us-east-1.',
    record: streamRecord({ eventName: 'MODIFY', key: userKey, oldImage: versioned, newImage: legacyPut, sequence: (sequence += 1), createdAtMs: writers.now + 1_000 }),
  });

  const deletedKey = itemKey('ORDER#4004', 'ORDER');
  const deleted = writers.write(LOCAL_REGION, undefined, deletedKey, { type: 'put', item: { status: { S: 'DELIVERED' }, total: { N: '15' } } });
  samples.push({
    name: 'policy-hard-delete',
    description: 'A versioned ORDER deleted outright (DeleteItem, not a tombstone); the example policy "accept" audits it (HardDeleteObserved).',
    record: streamRecord({ eventName: 'REMOVE', key: deletedKey, oldImage: deleted, sequence: (sequence += 1), createdAtMs: writers.now + 1_000 }),
  });

  const malformed = conflict(
    'quarantine-malformed-envelope',
    'A record whose old image has a malformed envelope (a version vector entry that is not a clock): quarantined with its whole payload (RecordQuarantined).',
    'STOCK#1003',
    'STOCK',
    { type: 'update', increment: { onHand: 1 } },
    { type: 'update', increment: { onHand: 1 } },
    { type: 'update', increment: { onHand: 1 } },
  );
  const oldEnvelope = (malformed.record.dynamodb?.OldImage as Record<string, { M: Record<string, { M: Record<string, unknown> }> }>)._cc;
  (oldEnvelope?.M.vv as { M: Record<string, unknown> }).M[LOCAL_REGION] = { S: 'not-a-clock' };
  samples.push(malformed);
  return samples;
}

/**
 * The files to write: one Lambda event per sample, and seed.json with each record's
 * new image (what the us-east-1 table holds when the record is delivered).
 *
 * @example
 * for (const [path, text] of sampleFiles()) writeFileSync(join('events', path), text);
 */
export function sampleFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const seed: unknown[] = [];
  const samples = sampleEvents();
  for (const sample of samples) {
    const event: DynamoDBStreamEvent = { Records: [sample.record] };
    files.set(`${sample.name}.json`, json(event));
    if (sample.record.dynamodb?.NewImage !== undefined) seed.push(sample.record.dynamodb.NewImage);
  }
  files.set('seed.json', json(seed));
  files.set('README.md', readme(samples));
  return files;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function readme(samples: readonly Sample[]): string {
  const rows = samples.map((sample) => `| \`${sample.name}.json\` | ${sample.description} |`).join('\n');
  return `# Sample stream events

Generated by \`npx tsx scripts/make-events.ts\` (do not edit by hand): one DynamoDB stream
event per verdict, as the resolver of us-east-1 receives it for the table \`concord-dev\`,
built with the example rules (rules/example.ts). \`seed.json\` holds each record's new
image: what the table holds when the record is delivered; \`npm run local\` loads it.

| file | what it shows |
| --- | --- |
${rows}
`;
}

if (require.main === module) {
  const directory = join(__dirname, '..', 'events');
  mkdirSync(directory, { recursive: true });
  const files = sampleFiles();
  for (const [name, text] of files) writeFileSync(join(directory, name), text);
  process.stdout.write(`wrote ${files.size} files to ${directory}\n`);
}
