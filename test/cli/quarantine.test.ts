/**
 * `concord quarantine list|show|replay`, run as processes against the local stack and
 * the real resolver: a note whose custom merge throws is quarantined; the operator
 * lists it, shows it, replays it under the same rules (quarantined again, under the
 * same id) and then under fixed rules (merged, written, audited, message gone).
 */
import { join } from 'node:path';
import throwingRules from '../helpers/cli-rules-throwing';
import { startResolverHarness, type ResolverHarness } from '../helpers/resolver-harness';
import { concurrentWrites, conflictRecord, itemKey, streamEvent, Writers } from '../helpers/resolver-records';
import { jsonOf, runConcord } from '../helpers/cli';

const HELPERS = join('test', 'helpers');
const THROWING = join(HELPERS, 'cli-rules-throwing.ts');
const FIXED = join(HELPERS, 'cli-rules-fixed.ts');
const NOTE = itemKey('NOTE#1', 'NOTE');

describe('concord quarantine', () => {
  let harness: ResolverHarness;
  const concord = (...args: string[]) => runConcord(args, { env: { ...harness.stack.env, CONCORD_RULES: THROWING } });
  const queued = () => harness.stack.sqs.messages('concord-quarantine-dev');
  const listed = async (): Promise<{ id: string; reason: string }[]> => jsonOf<{ records: { id: string; reason: string }[] }>(await concord('quarantine', 'list', '--json')).records;

  // Prepare: "short" in us-east-1 and "much longer" in eu-west-1, concurrently; the merge throws.
  beforeAll(async () => {
    harness = await startResolverHarness({ rules: throwingRules });
    const text = (value: string) => ({ type: 'update' as const, set: { text: { S: value } } });
    const conflict = concurrentWrites(new Writers(throwingRules), NOTE, text('first'), text('short'), text('much longer'));
    await harness.seed(conflict.remote);
    await harness.invoke(streamEvent(conflictRecord(conflict, 1)));
  });

  afterAll(async () => {
    await harness.close();
  });

  it('lists the quarantined record, why and which item, and consumes nothing (exit status 1)', async () => {
    // Act
    const run = await concord('quarantine', 'list');

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^1 quarantined record\n/);
    expect(run.stdout).toMatch(/us-east-1\s+MODIFY \d+\s+\{"pk":"NOTE#1","sk":"NOTE"\}\s+"RuleApplicationError: rule of entity \\"note\\" attribute \\"text\\" failed/);
    expect(queued()).toHaveLength(1);
  });

  it('shows one record by a prefix of its id: the reason and both images', async () => {
    // Prepare
    const [record] = await listed();

    // Act
    const run = await concord('quarantine', 'show', (record?.id ?? '').slice(0, 8));

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`quarantined record ${record?.id}`);
    expect(run.stdout).toContain('the note merge is not written yet');
    expect(run.stdout).toMatch(/old image:\nNOTE#1 \/ NOTE\n[\s\S]*text\s+custom\s+"short"/);
    expect(run.stdout).toMatch(/new image:\nNOTE#1 \/ NOTE\n[\s\S]*text\s+custom\s+"much longer"/);
  });

  it('plans a replay under the same rules without touching anything: it would be quarantined again (exit status 1)', async () => {
    // Act
    const run = await concord('quarantine', 'replay', '--all', '--dry-run', '--json');

    // Assess
    const { results } = jsonOf<{ results: { status: string; plans: { action: string }[] }[] }>(run);
    expect({ code: run.code, results: results.map((result) => [result.status, result.plans.map((plan) => plan.action)]), queued: queued().length }).toEqual({ code: 1, results: [['planned', ['quarantine']]], queued: 1 });
  });

  it('quarantines a record again when the rules still refuse it: a fresh message under the same id', async () => {
    // Prepare
    const [before] = await listed();

    // Act
    const run = await concord('quarantine', 'replay', before?.id ?? '');

    // Assess
    const after = await listed();
    expect({ code: run.code, ids: after.map((record) => record.id), messages: queued().length }).toEqual({ code: 1, ids: [before?.id], messages: 1 });
    expect(run.stdout).toMatch(/0 records replayed, 1 quarantined again, 0 kept/);
  });

  it('replays it under fixed rules: merged and written, audited, its message deleted (exit status 0)', async () => {
    // Act
    const run = await runConcord(['quarantine', 'replay', '--all', '--rules', FIXED], { env: { ...harness.stack.env } });

    // Assess
    const stored = await harness.item(NOTE);
    const audit = harness.auditEvents().map((event) => event['detail-type']);
    expect({ code: run.code, text: stored?.text, queued: queued().length, lastEvent: audit.at(-1) }).toEqual({ code: 0, text: { S: 'much longer' }, queued: 0, lastEvent: 'ConflictResolved' });
  });
});
