/**
 * `concord shadow`, run as a process: conflicts the real resolver recorded (their events
 * carrying both versions) replayed under candidate rules, from a JSON-lines file and
 * from the central audit log group; per entity and attribute, what would change.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ShadowReport } from '../../cli/operations/shadow/shadow-replay';
import { startResolverHarness, type ResolverHarness } from '../helpers/resolver-harness';
import { concurrentWrites, conflictRecord, itemKey, stockConflict, streamEvent, Writers } from '../helpers/resolver-records';
import { notesConflict } from '../helpers/cli-items';
import { jsonOf, runConcord } from '../helpers/cli';

const CANDIDATE = join('test', 'helpers', 'cli-rules-candidate.ts');

describe('concord shadow', () => {
  let harness: ResolverHarness;
  let folder: string;
  let file: string;
  const shadow = (...args: string[]) => runConcord(['shadow', '--rules', CANDIDATE, ...args], { env: harness.stack.env });

  // Prepare: the resolver settles three conflicts (notes escalated, totals by last writer, a stock
  // counter). The file holds their events, which carry both versions, as npm run local prints them,
  // and the stock's event once more, under another id and without inputs, as events were recorded
  // before they carried them. The log group holds the resolver's own events and the same events
  // again, as two regions resolving the same conflicts would record them.
  beforeAll(async () => {
    // The resolver's clock is the real one: the commands look back from now (--since).
    harness = await startResolverHarness({ deps: { now: () => Date.now() } });
    const total = (amount: number) => ({ type: 'update' as const, set: { total: { N: String(amount) } } });
    const conflicts = [notesConflict('ORDER#1'), concurrentWrites(new Writers(), itemKey('ORDER#2', 'ORDER'), { type: 'put', item: { total: { N: '30' } } }, total(40), total(35)), stockConflict(new Writers(), 'STOCK#1')];
    for (const [index, conflict] of conflicts.entries()) {
      await harness.seed(conflict.remote);
      await harness.invoke(streamEvent(conflictRecord(conflict, index + 1)));
    }
    const events = harness.auditEvents();
    const recorded = events.slice(0, conflicts.length);
    const { inputs: _inputs, ...withoutInputs } = events[2]?.detail ?? {};
    const legacy = { ...events[2], detail: { ...withoutInputs, conflictId: 'recorded-before-inputs' } };
    folder = mkdtempSync(join(tmpdir(), 'concord-shadow-'));
    file = join(folder, 'audit.jsonl');
    writeFileSync(file, ['export CONCORD_TABLE=concord-dev', ...[...recorded, legacy].map((event) => JSON.stringify(event))].join('\n'));
    for (const event of recorded) harness.stack.logs.append(harness.stack.env.CONCORD_AUDIT_LOG_GROUP as string, JSON.stringify(event));
  });

  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await harness.close();
  });

  it('tallies, per entity and attribute, the outcomes the candidate rules would change, with examples (exit status 1)', async () => {
    // Act
    const run = await shadow('--from-file', file, '--json');

    // Assess
    const report = jsonOf<ShadowReport>(run);
    const tally = (entity: string, attribute: string) => report.attributes.find((t) => t.entity === entity && t.attribute === attribute);
    expect({ code: run.code, conflicts: report.conflicts, replayed: report.replayed, changed: report.changedConflicts, skipped: Object.values(report.skipped) }).toEqual({ code: 1, conflicts: 4, replayed: 3, changed: 2, skipped: [1] });
    expect(tally('order', 'total')).toMatchObject({ currentRule: 'lww', candidateRule: 'max', conflicts: 2, changed: 1, examples: [{ key: { pk: 'ORDER#2', sk: 'ORDER' }, current: 35, candidate: 40 }] });
    expect(tally('stock', 'onHand')).toMatchObject({ conflicts: 1, changed: 0 });
    expect(report.escalationChanges).toEqual([expect.objectContaining({ key: { pk: 'ORDER#1', sk: 'ORDER' }, current: ['manual notes'], candidate: [] })]);
  });

  it('reads the same conflicts from the central audit log group, each from an event that carries its versions, and prints them for a person', async () => {
    // Act
    const run = await shadow('--since', '1h');

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('3 conflicts recorded (6 events from log group /aws/events/concord-audit-dev (us-east-1)); 3 replayed');
    expect(run.stdout).toMatch(/order\s+total\s+lww → max\s+1\/2\s+\{"pk":"ORDER#2","sk":"ORDER"\}: 35 → 40/);
    expect(run.stdout).toContain('escalations of {"pk":"ORDER#1","sk":"ORDER"}: ["manual notes"] → []');
  });

  it('changes nothing when the candidate is the rules in force (exit status 0)', async () => {
    // Act
    const run = await runConcord(['shadow', '--rules', join('rules', 'example.ts'), '--from-file', file], { env: harness.stack.env });

    // Assess
    expect({ code: run.code, line: run.stdout.split('\n')[1] }).toEqual({ code: 0, line: '0 of 3 would be settled differently' });
  });
});
