/**
 * Nothing leaks: marker values are seeded where the rules redact them (`contact.email`,
 * `addresses[].phone`, a bare `ssn`) and into values that make errors (a malformed
 * number, values a rule cannot compare), a batch of conflicts, quarantines and policies
 * runs through the handler, and every audit event, log line and queue message is
 * searched for them. Redacted values may only be in the payload bucket; the values
 * behind an error may be in the queue (they are the record), never in a message.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBRecord } from 'aws-lambda';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import { merge } from '../../shared/merge/merge';
import { defineRules } from '../../shared/rules/define-rules';
import { harnessPerTest, type ResolverHarness } from '../helpers/resolver-harness';
import { concurrentWrites, conflictRecord, itemKey, LOCAL_REGION, REMOTE_REGION, streamEvent, streamRecord, TABLE, Writers } from '../helpers/resolver-records';

const rules = defineRules({
  entities: {
    profile: { match: { prefix: 'PROFILE#' }, attributes: { contact: 'lww', addresses: 'lww', ssn: 'manual', rank: 'max' } },
  },
  policies: { unversionedOverwrite: 'merge', hardDelete: 'accept' },
  audit: { includeValues: true, redact: ['contact.email', 'addresses[].phone', 'ssn'] },
});

const start = harnessPerTest();

/** A value that must appear nowhere but the payload bucket. */
const secret = (name: string): string => `SECRET-${name}-7f3a`;
/** A value behind an error: it may travel in its record, never in an error message. */
const culprit = (name: string): string => `CULPRIT-${name}-9c1e`;

const contact = (email: string) => ({ M: { email: { S: email }, city: { S: 'Oslo' } } });
const addresses = (phone: string) => ({ L: [{ M: { phone: { S: phone }, street: { S: 'Storgata 1' } } }] });

/** The records of the batch, their items seeded. */
async function markedBatch(harness: ResolverHarness): Promise<DynamoDBRecord[]> {
  const writers = new Writers(rules);
  const put = (item: AttributeMap) => ({ type: 'put', item }) as const;
  const set = (values: AttributeMap) => ({ type: 'update', set: values }) as const;

  // Concurrent edits of redacted values, merged once (the envelope keeps both as siblings) and edited concurrently again.
  const first = concurrentWrites(writers, itemKey('PROFILE#1', 'PROFILE'), put({ contact: contact(secret('1')), addresses: addresses(secret('2')), ssn: { S: secret('3') } }), set({ contact: contact(secret('4')), ssn: { S: secret('5') } }), set({ contact: contact(secret('6')), addresses: addresses(secret('7')), ssn: { S: secret('8') } }));
  const merged = merge(first.local, first.remote, rules, { table: TABLE, writtenIn: LOCAL_REGION }).item;
  const edits = { ...first, local: writers.write(LOCAL_REGION, merged, first.key, set({ rank: { N: '1' } })), remote: writers.write(REMOTE_REGION, merged, first.key, set({ rank: { N: '2' } })) };
  // A malformed number: MalformedAttributeError.
  const malformed = conflictRecord(concurrentWrites(writers, itemKey('PROFILE#2', 'PROFILE'), put({ rank: { N: '1' } }), set({ rank: { N: '2' } }), set({ rank: { N: '3' } })), 2);
  (malformed.dynamodb?.NewImage as AttributeMap).rank = { N: culprit('number') };
  // Values `max` cannot compare: RuleApplicationError.
  const incomparable = concurrentWrites(writers, itemKey('PROFILE#3', 'PROFILE'), put({ rank: { N: '1' } }), set({ rank: { S: culprit('rank') } }), set({ rank: { BOOL: true } }));
  // A malformed envelope on an item holding a redacted value: quarantined, masked.
  const broken = conflictRecord(concurrentWrites(writers, itemKey('PROFILE#4', 'PROFILE'), put({ contact: contact(secret('9')) }), set({ rank: { N: '1' } }), set({ rank: { N: '2' } })), 4);
  ((broken.dynamodb?.OldImage as AttributeMap)._cc as { M: AttributeMap }).M.ex = { M: { yesterday: { BOOL: true } } };
  // Overwritten without Concord, then deleted outright.
  const overwriteKey = itemKey('PROFILE#5', 'PROFILE');
  const versioned = writers.write(LOCAL_REGION, undefined, overwriteKey, put({ rank: { N: '1' } }));
  const overwrite = { ...overwriteKey, contact: contact(secret('10')), addresses: addresses(secret('11')) };
  const deletedKey = itemKey('PROFILE#6', 'PROFILE');
  const deleted = writers.write(LOCAL_REGION, undefined, deletedKey, put({ ssn: { S: secret('12') } }));

  await harness.seed(edits.remote, incomparable.remote, overwrite);
  return [
    conflictRecord(edits, 1),
    malformed,
    conflictRecord(incomparable, 3),
    broken,
    streamRecord({ eventName: 'MODIFY', key: overwriteKey, oldImage: versioned, newImage: overwrite, sequence: 5, createdAtMs: writers.now }),
    streamRecord({ eventName: 'REMOVE', key: deletedKey, oldImage: deleted, sequence: 6, createdAtMs: writers.now }),
  ];
}

/** Every line the handler writes to stdout and stderr while `act` runs. */
async function captureLogs(act: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    }),
  );
  try {
    await act();
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
  return lines;
}

describe('markers seeded in redacted paths and in values behind errors', () => {
  let harness: ResolverHarness;
  let logs: string[];

  beforeEach(async () => {
    harness = await start({ rules, deps: { logger: new Logger({ serviceName: 'concord-resolver', logLevel: 'DEBUG' }) } });
    const records = await markedBatch(harness);
    logs = await captureLogs(() => harness.invoke(streamEvent(...records)));
  });

  const events = () => harness.auditEvents().map((event) => JSON.stringify(event));
  const queueMessages = () => harness.stack.sqs.messages('concord-quarantine-dev').map((message) => message.body);

  it('ran the whole batch: a conflict, three quarantines, an overwrite and a hard delete', () => {
    // Assess
    expect(harness.auditEvents().map((event) => event['detail-type']).sort()).toEqual(['ConflictEscalated', 'HardDeleteObserved', 'RecordQuarantined', 'RecordQuarantined', 'RecordQuarantined', 'UnversionedOverwrite']);
    expect(logs.length).toBeGreaterThan(6);
  });

  it('finds no redacted value in any audit event, log line or queue message', () => {
    // Act
    const found = [...events(), ...logs, ...queueMessages()].filter((text) => text.includes('SECRET-'));

    // Assess
    expect(found).toEqual([]);
  });

  it('finds no value behind an error in any audit event or log line', () => {
    // Act
    const found = [...events(), ...logs].filter((text) => text.includes('CULPRIT-'));

    // Assess
    expect(found).toEqual([]);
  });

  it('shows [redacted] where the values were, and keeps the exact record in the payload bucket', () => {
    // Act
    const conflict = harness.auditEvents().find((event) => event['detail-type'] === 'ConflictEscalated')?.detail;
    const payloads = JSON.stringify([...harness.payloads().values()]);

    // Assess
    expect(conflict?.attributes).toMatchObject({ contact: { values: { merged: { email: '[redacted]', city: 'Oslo' } } }, addresses: { values: { merged: [{ phone: '[redacted]', street: 'Storgata 1' }] } } });
    expect(JSON.stringify(conflict?.inputs)).toContain('[redacted]');
    expect(payloads).toContain(secret('9'));
  });
});
